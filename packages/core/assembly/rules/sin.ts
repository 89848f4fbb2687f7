// sin(a, b, c0): φ = a·sin(b·x + c0) (and cos, rbf), neural-tangents `Sin`, as
// packages/layers/src/activations/trig.ts, with m = −b²(q1+q2)/2 (exponents combined first, so
// nothing overflows: m ± b²c ≤ 0):
//   Σ′ = (a²/2)·(e^{m + b²c} − e^{m − b²c}·cos 2c0),  Σ̇ = (a²b²/2)·(e^{m + b²c} + e^{m − b²c}·cos 2c0).
// Params (rule-ids.ts): [a²/2, b², −b², cos 2c0, a²b²/2] — cos is taken once, in JS.
import { exp, k2 } from '../math';
import { param, ruleDot } from './common';

// @ts-ignore: decorator
@inline export function sin(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const m = f64x2.mul(f64x2.mul(param(p, 2), f64x2.add(q1, q2)), k2(0.5));
  const bc = f64x2.mul(param(p, 1), c);
  const ep = exp(f64x2.add(m, bc));
  const em = f64x2.mul(exp(f64x2.sub(m, bc)), param(p, 3));
  ruleDot = f64x2.mul(param(p, 4), f64x2.add(ep, em));
  return f64x2.mul(param(p, 0), f64x2.sub(ep, em));
}
