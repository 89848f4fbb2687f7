// rectifiedMonomial(d): φ = x^d·1[x ≥ 0], as packages/layers/src/activations/rectified-monomial.ts:
// the arc-cosine kernel of order d (Cho & Saul 2009, eq. 7),
//   Σ′ = (q1q2)^{d/2}·J_d(θ)/(2π),  J_d = Σ coef·(π − θ)^e·ρ^i·sin^jθ  (θ = arccos ρ, sin θ as
//   √((1−ρ)(1+ρ))), Σ̇ = d²·Σ′ of order d − 1 (0 for d = 0);
// where q1q2 is not > 0: 0 for d > 0, and for d = 0: 1 if q1 = q2 = 0, else ½.
// The terms of J_d and J_{d−1} are expanded once in JS (rule-ids.ts, same expansion and order).
// Params: [d, n0, n1, then n0 terms of J_d and n1 terms of J_{d−1}, each (coef, e, i, j)].
import { acos, k2, powi } from '../math';
import { INV_2PI, correlation, param, paramInt, positive, ruleDot, sinOfAngle } from './common';

/** J(θ) = Σ coef·(π − θ)^e·ρ^i·s^j over the n terms at t (e ∈ {0, 1}), in order. */
// @ts-ignore: decorator
@inline function arcCosineSum(t: usize, n: i32, pt: v128, rho: v128, s: v128): v128 {
  let J = k2(0.0);
  for (let m = 0; m < n; m++) {
    const e = powi(pt, <i32>load<f64>(t, 8));
    const term = f64x2.mul(f64x2.mul(f64x2.mul(v128.load_splat<f64>(t), e), powi(rho, <i32>load<f64>(t, 16))), powi(s, <i32>load<f64>(t, 24)));
    J = f64x2.add(J, term);
    t += 32;
  }
  return J;
}

/** (q1q2)^{deg/2}·J/(2π) where q1q2 > 0, else the zero-variance value of order deg. */
// @ts-ignore: decorator
@inline function arcCosineKernel(deg: i32, J: v128, qq: v128, pos: v128, q1: v128, q2: v128): v128 {
  let scale = powi(qq, deg >> 1);
  if (deg & 1) scale = f64x2.mul(scale, f64x2.sqrt(qq));
  const k = f64x2.mul(f64x2.mul(scale, J), k2(INV_2PI));
  const bothZero = v128.and(f64x2.eq(q1, k2(0.0)), f64x2.eq(q2, k2(0.0)));
  const atZero = deg > 0 ? k2(0.0) : v128.bitselect(k2(1.0), k2(0.5), bothZero);
  return v128.bitselect(k, atZero, pos);
}

// @ts-ignore: decorator
@inline export function rectifiedMonomial(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const d = paramInt(p, 0);
  const n0 = paramInt(p, 1);
  const qq = f64x2.mul(q1, q2);
  const pos = positive(qq);
  const rho = correlation(qq, c, pos);
  const pt = f64x2.sub(k2(Math.PI), acos(rho));
  const s = sinOfAngle(rho);
  const t0 = p + 24;
  if (d == 0) {
    ruleDot = k2(0.0);
  } else {
    const J1 = arcCosineSum(t0 + (<usize>n0 << 5), paramInt(p, 2), pt, rho, s);
    ruleDot = f64x2.mul(f64x2.mul(param(p, 0), param(p, 0)), arcCosineKernel(d - 1, J1, qq, pos, q1, q2));
  }
  return arcCosineKernel(d, arcCosineSum(t0, n0, pt, rho, s), qq, pos, q1, q2);
}
