// Shared SIMD helpers of the linear-algebra kernels (f64x2).

import { madd } from '../math';

/** a·b + c per lane (one fused multiply-add in the relaxed-SIMD build). */
// @ts-ignore: decorator
@inline export function lmadd(a: v128, b: v128, c: v128): v128 {
  return madd(a, b, c);
}

/** [x0 + x1, y0 + y1] for x = [x0, x1], y = [y0, y1]. */
@inline export function hpair(x: v128, y: v128): v128 {
  return f64x2.add(f64x2.shuffle(x, y, 0, 2), f64x2.shuffle(x, y, 1, 3));
}

/** x0 + x1. */
@inline export function hsum(x: v128): f64 {
  return f64x2.extract_lane(x, 0) + f64x2.extract_lane(x, 1);
}

/** Σ x[k]·y[k] for k < n (pointers in bytes), four independent vector chains. */
export function ldot(x: usize, y: usize, n: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  const n8 = <usize>(n & ~7) << 3;
  let k: usize = 0;
  for (; k < n8; k += 64) {
    a0 = lmadd(v128.load(x + k), v128.load(y + k), a0);
    a1 = lmadd(v128.load(x + k, 16), v128.load(y + k, 16), a1);
    a2 = lmadd(v128.load(x + k, 32), v128.load(y + k, 32), a2);
    a3 = lmadd(v128.load(x + k, 48), v128.load(y + k, 48), a3);
  }
  const n2 = <usize>(n & ~1) << 3;
  for (; k < n2; k += 16) a0 = lmadd(v128.load(x + k), v128.load(y + k), a0);
  let s = hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
  if (n & 1) s += load<f64>(x + k) * load<f64>(y + k);
  return s;
}

/** y[k] += a·x[k] for k < n. */
export function laxpy(y: usize, x: usize, a: f64, n: i32): void {
  const av = f64x2.splat(a);
  const n4 = <usize>(n & ~3) << 3;
  let k: usize = 0;
  for (; k < n4; k += 32) {
    v128.store(y + k, lmadd(av, v128.load(x + k), v128.load(y + k)));
    v128.store(y + k, lmadd(av, v128.load(x + k, 16), v128.load(y + k, 16)), 16);
  }
  const nb = <usize>n << 3;
  for (; k < nb; k += 8) store<f64>(y + k, load<f64>(y + k) + a * load<f64>(x + k));
}
