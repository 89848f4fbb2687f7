// sign and step, as packages/layers/src/activations/sign.ts (θ = arccos ρ; Σ̇ = 0 by convention,
// the derivative being a delta; Σ′ = 0 where a variance is not > 0):
//   sign: Σ′ = (2/π)·arcsin ρ,  step: Σ′ = (π − θ)/(2π).
// No params.
import { acos, asin, k2 } from '../math';
import { INV_2PI, correlation, positive, ruleDot } from './common';

/** Lanes where q1 > 0 and q2 > 0. */
// @ts-ignore: decorator
@inline function bothPositive(q1: v128, q2: v128): v128 {
  return v128.and(positive(q1), positive(q2));
}

// @ts-ignore: decorator
@inline export function sign(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const qq = f64x2.mul(q1, q2);
  const rho = correlation(qq, c, positive(qq));
  ruleDot = f64x2(0.0, 0.0);
  return v128.and(f64x2.mul(k2(2 / Math.PI), asin(rho)), bothPositive(q1, q2));
}

// @ts-ignore: decorator
@inline export function step(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const qq = f64x2.mul(q1, q2);
  const rho = correlation(qq, c, positive(qq));
  ruleDot = f64x2(0.0, 0.0);
  return v128.and(f64x2.mul(f64x2.sub(k2(Math.PI), acos(rho)), k2(INV_2PI)), bothPositive(q1, q2));
}
