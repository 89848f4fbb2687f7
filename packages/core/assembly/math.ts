// Vectorised (f64x2) elementary functions for the kernel rules, accurate to float64: every lane is
// computed branch-free (both branches of a piecewise formula are evaluated and combined with
// v128.bitselect), so the functions inline into the rule loops. Measured against Math.* (V8's are
// fdlibm's) by packages/core/test/wasm-rules.test.ts: acos, asin ≤ 1 ulp; exp bit-identical.
// NaN in gives NaN out; arguments of acos/asin outside [−1, 1] give NaN.

/** A constant vector (binaryen folds it into a v128.const). */
// @ts-ignore: decorator
@inline export function k2(x: f64): v128 {
  return f64x2.splat(x);
}

/** a·b + c: one fused multiply-add in the relaxed-SIMD build (last bits may differ), else mul + add. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** min(max(x, −1), 1), keeping NaN (pmin/pmax are one instruction each: `x < −1 ? −1 : x`). */
// @ts-ignore: decorator
@inline export function clampUnit(x: v128): v128 {
  return f64x2.pmin(f64x2.pmax(x, k2(-1.0)), k2(1.0));
}

/** x^n for an integer n ≥ 0 by binary powering (pow(x, 0) = 1, also for 0 and NaN, as Math.pow). */
// @ts-ignore: decorator
@inline export function powi(x: v128, n: i32): v128 {
  let r = k2(1.0);
  let b = x;
  while (n > 0) {
    if (n & 1) r = f64x2.mul(r, b);
    n >>= 1;
    if (n) b = f64x2.mul(b, b);
  }
  return r;
}

// fdlibm 5.3 e_asin.c / e_acos.c (Sun Microsystems, 1993): asin(x) = x + x·z·R(z), z = x²,
// R = P/Q a rational approximation on [0, ¼]; for |x| ≥ ½, asin|x| = π/2 − 2·asin √((1−|x|)/2).
const pio2_hi: f64 = 1.57079632679489655800e+00;
const pio2_lo: f64 = 6.12323399573676603587e-17;
const pi_hi: f64 = 3.14159265358979311600e+00;
const pS0: f64 = 1.66666666666666657415e-01;
const pS1: f64 = -3.25565818622400915405e-01;
const pS2: f64 = 2.01212532134862925881e-01;
const pS3: f64 = -4.00555345006794114027e-02;
const pS4: f64 = 7.91534994289814532176e-04;
const pS5: f64 = 3.47933107596021167570e-05;
const qS1: f64 = -2.40339491173441421878e+00;
const qS2: f64 = 2.02094576023350569471e+00;
const qS3: f64 = -6.88283971605453293030e-01;
const qS4: f64 = 7.70381505559019352791e-02;

/** The lanes of the big branch, |x| ≥ ½. */
// @ts-ignore: decorator
@inline function bigLanes(x: v128): v128 {
  return f64x2.ge(f64x2.abs(x), k2(0.5));
}

/** The argument of R: x² in the small branch, z = (1 − |x|)/2 in the big one. */
// @ts-ignore: decorator
@inline function asinZ(x: v128, big: v128): v128 {
  return v128.bitselect(f64x2.mul(f64x2.sub(k2(1.0), f64x2.abs(x)), k2(0.5)), f64x2.mul(x, x), big);
}

/** fdlibm's df: √z with its low 32 bits cleared, so 2·df is exact in what it is subtracted from. */
// @ts-ignore: decorator
@inline function sqrtHigh(z: v128): v128 {
  return v128.and(f64x2.sqrt(z), i64x2.splat(0xFFFFFFFF00000000));
}

/**
 * The shared core of asin and acos: w = x·R(x²) in the small branch, and w = √z·R(z) + c with
 * c = (z − df²)/(√z + df) the sqrt rounding correction (fdlibm's) in the big branch, with one
 * division per lane (R and c share the denominator q·(√z + df)). The caller recomputes big, z
 * and df (pure, so V8 shares them: no second sqrt).
 */
// @ts-ignore: decorator
@inline function asinW(x: v128, z: v128, big: v128): v128 {
  let p = madd(z, k2(pS5), k2(pS4));
  p = madd(z, p, k2(pS3));
  p = madd(z, p, k2(pS2));
  p = madd(z, p, k2(pS1));
  p = f64x2.mul(z, madd(z, p, k2(pS0)));
  let q = madd(z, k2(qS4), k2(qS3));
  q = madd(z, q, k2(qS2));
  q = madd(z, q, k2(qS1));
  q = madd(z, q, k2(1.0));
  const s = f64x2.sqrt(z);
  const df = sqrtHigh(z);
  // s + df is 0 only at |x| = 1 (z = 0, where w must be 0): keep it positive; 1 in the small branch.
  const sd = v128.bitselect(f64x2.pmax(f64x2.add(s, df), k2(1e-300)), k2(1.0), big);
  const numBig = madd(f64x2.mul(p, s), sd, f64x2.mul(q, f64x2.sub(z, f64x2.mul(df, df))));
  const num = v128.bitselect(numBig, f64x2.mul(x, p), big);
  return f64x2.div(num, f64x2.mul(q, sd));
}

/** arcsin x (fdlibm e_asin.c, both branches + bitselect). */
// @ts-ignore: decorator
@inline export function asin(x: v128): v128 {
  const big = bigLanes(x);
  const z = asinZ(x, big);
  const w = asinW(x, z, big);
  const df = sqrtHigh(z);
  const small = f64x2.add(x, w);
  // π/2 − 2df is exact (df has 21 significant bits), so one rounding: (π/2 − 2df) − (2w − pio2_lo).
  const t = f64x2.sub(f64x2.sub(k2(pio2_hi), f64x2.add(df, df)), f64x2.sub(f64x2.add(w, w), k2(pio2_lo)));
  return v128.bitselect(v128.or(t, v128.and(x, i64x2.splat(0x8000000000000000))), small, big);
}

/** arccos x (fdlibm e_acos.c, the three branches + bitselect). */
// @ts-ignore: decorator
@inline export function acos(x: v128): v128 {
  const big = bigLanes(x);
  const z = asinZ(x, big);
  const w = asinW(x, z, big);
  const df = sqrtHigh(z);
  const small = f64x2.sub(k2(pio2_hi), f64x2.sub(x, f64x2.sub(k2(pio2_lo), w)));
  const df2 = f64x2.add(df, df);
  const pos = f64x2.add(df2, f64x2.add(w, w));
  // π − 2df is exact as well; x = −1 gives pi_hi + 2·pio2_lo, fdlibm's π.
  const neg = f64x2.sub(f64x2.sub(k2(pi_hi), df2), f64x2.mul(k2(2.0), f64x2.sub(w, k2(pio2_lo))));
  return v128.bitselect(v128.bitselect(neg, pos, f64x2.lt(x, k2(0.0))), small, big);
}

// exp: fdlibm e_exp.c as V8 ships it (src/base/ieee754.cc, FreeBSD msun), lane by lane and
// bit-identical to Math.exp on x64 (plain mul/add here, never madd: Math.exp has no FMA there).
// Reduction x = k·ln2 + r, |r| ≤ ½ln2 (k = 0 for |x| ≤ ½ln2 by fdlibm's high-word test; ln2 split
// so that k·ln2_hi is exact), R(r²) = r − r²·P(r²) a Remez polynomial, e^r = 1 − ((lo − r·R/(2 − R)) − hi),
// then the scaling by 2^k as 2^k1·2^k2 (k1 = ⌊k/2⌋): exact for normal results and one rounding when
// subnormal (fdlibm's twom1000 step rounds the same). Special cases as V8: e^x = 1 + x for
// |x| < 2⁻²⁸, e^1 = E (V8's correctly rounded special case), +∞ above 709.78, 0 below −745.13.
const ln2_hi: f64 = 6.93147180369123816490e-01;
const ln2_lo: f64 = 1.90821492927058770002e-10;
const inv_ln2: f64 = 1.44269504088896338700e+00;
const eP1: f64 = 1.66666666666666019037e-01;
const eP2: f64 = -2.77777777770155933842e-03;
const eP3: f64 = 6.61375632143793436117e-05;
const eP4: f64 = -1.65339022054652515390e-06;
const eP5: f64 = 4.13813679705723846039e-08;
const o_threshold: f64 = 7.09782712893383973096e+02;
const u_threshold: f64 = -7.45133219101941108420e+02;
/** |x| ≥ this ⟺ fdlibm's high word of |x| > 0x3fd62e42 (|x| > ½ln2): k from x/ln2. */
const halfLn2Word: f64 = 0.3465735912322998; // 0x3fd62e43_00000000
/** |x| < this ⟺ high word < 0x3e300000 (|x| < 2⁻²⁸). */
const tinyWord: f64 = 3.725290298461914e-9; // 0x3e300000_00000000
/** 1.5·2^52 + 1023: adding it puts k + 1023 into the low mantissa bits of an integral k. */
const expMagic: f64 = 6755399441055744.0 + 1023.0;

/** 2^k for integral k in [−1022, 1023] (as a float vector), from the bits. */
// @ts-ignore: decorator
@inline function pow2i(k: v128): v128 {
  return i64x2.shl(f64x2.add(k, k2(expMagic)), 52);
}

/** e^x, bit-identical to V8's Math.exp (x64); NaN kept. */
// @ts-ignore: decorator
@inline export function exp(x: v128): v128 {
  const ax = f64x2.abs(x);
  // k = (int)(x/ln2 ± ½) where |x| > ½ln2 (by the high word), else 0.
  const half = v128.or(k2(0.5), v128.and(x, i64x2.splat(0x8000000000000000)));
  const kf = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(k2(inv_ln2), x), half)), f64x2.ge(ax, k2(halfLn2Word)));
  const hi = f64x2.sub(x, f64x2.mul(kf, k2(ln2_hi)));
  const lo = f64x2.mul(kf, k2(ln2_lo));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let P = f64x2.add(k2(eP4), f64x2.mul(t, k2(eP5)));
  P = f64x2.add(k2(eP3), f64x2.mul(t, P));
  P = f64x2.add(k2(eP2), f64x2.mul(t, P));
  P = f64x2.add(k2(eP1), f64x2.mul(t, P));
  const c = f64x2.sub(r, f64x2.mul(t, P));
  const y = f64x2.sub(k2(1.0), f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(k2(2.0), c))), hi));
  const k1 = f64x2.floor(f64x2.mul(kf, k2(0.5)));
  let e = f64x2.mul(f64x2.mul(y, pow2i(k1)), pow2i(f64x2.sub(kf, k1)));
  e = v128.bitselect(f64x2.add(k2(1.0), x), e, f64x2.lt(ax, k2(tinyWord)));
  e = v128.bitselect(k2(2.718281828459045), e, f64x2.eq(x, k2(1.0)));
  e = v128.bitselect(k2(Infinity), e, f64x2.gt(x, k2(o_threshold)));
  return v128.andnot(e, f64x2.lt(x, k2(u_threshold)));
}
