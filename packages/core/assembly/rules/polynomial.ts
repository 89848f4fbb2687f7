// polynomial(coef) and monomial(d), as packages/layers/src/activations/polynomial.ts: Σ′ and Σ̇
// are polynomials in (q1, q2, c) (Hermite expansion + Mehler's formula, neural-tangents
// `Polynomial`), Σ Σ_t coef_t·c^k·q1^e1·q2^e2, exact at ρ = ±1 and at zero variance. The terms
// are expanded once in JS (rule-ids.ts, the same expansion as the layer's, in the same order).
// Params: [n0, n1, then n0 terms of Σ′ and n1 terms of Σ̇, each (coef, k, e1, e2)].
import { k2, powi } from '../math';
import { paramInt, ruleDot } from './common';

/** Σ_t coef·c^k·q1^e1·q2^e2 over the n terms at t, summed in order as the JS rule. */
// @ts-ignore: decorator
@inline function moments(t: usize, n: i32, q1: v128, q2: v128, c: v128): v128 {
  let s = k2(0.0);
  for (let i = 0; i < n; i++) {
    const term = f64x2.mul(f64x2.mul(f64x2.mul(v128.load_splat<f64>(t), powi(c, <i32>load<f64>(t, 8))), powi(q1, <i32>load<f64>(t, 16))), powi(q2, <i32>load<f64>(t, 24)));
    s = f64x2.add(s, term);
    t += 32;
  }
  return s;
}

// @ts-ignore: decorator
@inline export function polynomial(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const n0 = paramInt(p, 0);
  const t0 = p + 16;
  ruleDot = moments(t0 + (<usize>n0 << 5), paramInt(p, 1), q1, q2, c);
  return moments(t0, n0, q1, q2, c);
}
