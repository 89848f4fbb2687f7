// erf(a, b, c0): φ = a·erf(b·x) + c0 (and sigmoidLike), Williams 1997 / neural-tangents `Erf`, as
// packages/layers/src/activations/erf.ts, with P = (1 + 2b²q1)(1 + 2b²q2):
//   Σ′ = a²·(2/π)·arcsin(clamp(2b²c/√P)) + c0²,  Σ̇ = 4a²b² / (π·√max(P − 4b⁴c², MIN_VALUE)).
// Params (rule-ids.ts): [a²·(2/π), c0², 2b², 4b⁴, 4a²b²].
import { asin, clampUnit, k2 } from '../math';
import { param, ruleDot } from './common';

// @ts-ignore: decorator
@inline export function erf(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const b2x2 = param(p, 2);
  const P = f64x2.mul(f64x2.add(k2(1.0), f64x2.mul(b2x2, q1)), f64x2.add(k2(1.0), f64x2.mul(b2x2, q2)));
  const s = clampUnit(f64x2.div(f64x2.mul(b2x2, c), f64x2.sqrt(P)));
  const det = f64x2.sub(P, f64x2.mul(f64x2.mul(param(p, 3), c), c));
  ruleDot = f64x2.div(param(p, 4), f64x2.mul(k2(Math.PI), f64x2.sqrt(f64x2.pmax(det, k2(f64.MIN_VALUE)))));
  return f64x2.add(f64x2.mul(param(p, 0), asin(s)), param(p, 1));
}
