// What the rule files share: the Σ̇ side channel, parameter loads, and the correlation ρ.
import { clampUnit, k2 } from '../math';

/**
 * Σ̇ of the two entries of the last rule call (see dispatch.ts for the contract). A module global:
 * each worker thread has its own instance, so its own copy; read it right after the call.
 */
export let ruleDot: v128 = f64x2(0.0, 0.0);

/** 1/(2π). */
export const INV_2PI: f64 = 0.15915494309189535;

/** Parameter i of the block at p, in both lanes. */
// @ts-ignore: decorator
@inline export function param(p: usize, i: usize): v128 {
  return v128.load_splat<f64>(p + (i << 3));
}

/** Parameter i of the block at p as an integer (counts, exponents). */
// @ts-ignore: decorator
@inline export function paramInt(p: usize, i: usize): i32 {
  return <i32>load<f64>(p + (i << 3));
}

/** Lanes where q1·q2 > 0 (false for NaN). */
// @ts-ignore: decorator
@inline export function positive(qq: v128): v128 {
  return f64x2.gt(qq, k2(0.0));
}

/**
 * ρ = c/√(q1q2) clamped to [−1, 1], and 0 where q1q2 is not > 0 — layers' `correlation`
 * (activation.ts). `pos` = positive(q1q2).
 */
// @ts-ignore: decorator
@inline export function correlation(qq: v128, c: v128, pos: v128): v128 {
  return v128.and(clampUnit(f64x2.div(c, f64x2.sqrt(qq))), pos);
}

/** √(1 − ρ²) as √(max(0, (1−ρ)(1+ρ))) — layers' `sinOfAngle` (NaN kept). */
// @ts-ignore: decorator
@inline export function sinOfAngle(rho: v128): v128 {
  return f64x2.sqrt(f64x2.pmax(f64x2.mul(f64x2.sub(k2(1.0), rho), f64x2.add(k2(1.0), rho)), k2(0.0)));
}
