// exp(a, b): φ = a·e^{b·x}, and gaussian(a, b): φ = a·e^{b·x²}, as
// packages/layers/src/activations/exp.ts (Gaussian moment generating functions):
//   exp: Σ′ = a²·e^{b²(q1+q2+2c)/2}, Σ̇ = a²b²·e^{b²(q1+q2+2c)/2}  (overflow gives +∞: the chain
//        driver turns non-finite outputs into a typed error);
//   gaussian: d_i = 1 − 2b·q_i, D = d1·d2 − 4b²c², Σ′ = a²·D^{−1/2}, Σ̇ = 4a²b²·c·D^{−3/2}.
//   The JS rule throws where not (d1 > 0, d2 > 0, D > 0) (the moments diverge); here both
//   outputs are NaN there, the chain driver turns that into a typed error, and rule-ids.ts has
//   the O(n) pre-check on the variances that throws the JS rule's own message.
// Params (rule-ids.ts): exp [a², b², a²b²]; gaussian [a², 2b, 4b², 4a²b²].
import { exp as expv, k2 } from '../math';
import { param, positive, ruleDot } from './common';

// @ts-ignore: decorator
@inline export function exp(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const e = expv(f64x2.mul(f64x2.mul(param(p, 1), f64x2.add(f64x2.add(q1, q2), f64x2.add(c, c))), k2(0.5)));
  ruleDot = f64x2.mul(param(p, 2), e);
  return f64x2.mul(param(p, 0), e);
}

// @ts-ignore: decorator
@inline export function gaussian(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const b2 = param(p, 1);
  const d1 = f64x2.sub(k2(1.0), f64x2.mul(b2, q1));
  const d2 = f64x2.sub(k2(1.0), f64x2.mul(b2, q2));
  const D = f64x2.sub(f64x2.mul(d1, d2), f64x2.mul(f64x2.mul(param(p, 2), c), c));
  const ok = v128.and(v128.and(positive(d1), positive(d2)), positive(D));
  const sD = f64x2.sqrt(D);
  const nan = k2(NaN);
  ruleDot = v128.bitselect(f64x2.div(f64x2.mul(param(p, 3), c), f64x2.mul(D, sD)), nan, ok);
  return v128.bitselect(f64x2.div(param(p, 0), sD), nan, ok);
}
