// Householder tridiagonalisation of a symmetric matrix, blocked (LAPACK dsytrd/dlatrd with
// UPLO = 'U' in column-major terms): the lower triangle of a row-major n×n matrix is reduced from
// the last row upwards, so row k's part left of the diagonal — the vector each reflector is built
// from — is contiguous. Per panel of nb rows: one symmetric matrix-vector product with the not yet
// updated leading block per row (tasks on the pool, private partial sums), corrections with the
// panel's V and W, and finally the rank-2nb update A ← A − V·Wᵀ − W·Vᵀ as a packed GEMM (lower
// tiles). VW holds rows [V_i | W_i] and WV rows [W_i | V_i] (n × 2nb each).
import { hsum, laxpy, ldot, lmadd } from './simd';

/**
 * Partial symmetric product over rows [r0, r1) of the lower triangle: y[j] += A[i][j]·v[i] and
 * y[i] += A[i][j]·v[j] for j ≤ i. y must be zero on [0, r1) beforehand (it is zeroed here).
 */
export function lin_symv_rows(A: usize, ld: i32, v: usize, y: usize, r0: i32, r1: i32): void {
  const ldb = <usize>ld << 3;
  memory.fill(y, 0, <usize>r1 << 3);
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    const a0 = A + <usize>i * ldb, a1 = a0 + ldb, a2 = a1 + ldb, a3 = a2 + ldb;
    const ib = <usize>i << 3;
    const w0 = f64x2.splat(load<f64>(v + ib)), w1 = f64x2.splat(load<f64>(v + ib, 8));
    const w2 = f64x2.splat(load<f64>(v + ib, 16)), w3 = f64x2.splat(load<f64>(v + ib, 24));
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    const je = <usize>(i & ~1) << 3;
    for (let j: usize = 0; j < je; j += 16) {
      const vv = v128.load(v + j);
      const x0 = v128.load(a0 + j), x1 = v128.load(a1 + j), x2 = v128.load(a2 + j), x3 = v128.load(a3 + j);
      s0 = lmadd(x0, vv, s0);
      s1 = lmadd(x1, vv, s1);
      s2 = lmadd(x2, vv, s2);
      s3 = lmadd(x3, vv, s3);
      v128.store(y + j, lmadd(x3, w3, lmadd(x2, w2, lmadd(x1, w1, lmadd(x0, w0, v128.load(y + j))))));
    }
    let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
    if (i & 1) {
      const j = je;
      const vj = load<f64>(v + j);
      const x0 = load<f64>(a0 + j), x1 = load<f64>(a1 + j), x2 = load<f64>(a2 + j), x3 = load<f64>(a3 + j);
      t0 += x0 * vj; t1 += x1 * vj; t2 += x2 * vj; t3 += x3 * vj;
      store<f64>(y + j, load<f64>(y + j) + x0 * f64x2.extract_lane(w0, 0) + x1 * f64x2.extract_lane(w1, 0) + x2 * f64x2.extract_lane(w2, 0) + x3 * f64x2.extract_lane(w3, 0));
    }
    // The 4×4 lower corner.
    const v0 = f64x2.extract_lane(w0, 0), v1 = f64x2.extract_lane(w1, 0), v2 = f64x2.extract_lane(w2, 0), v3 = f64x2.extract_lane(w3, 0);
    const c10 = load<f64>(a1 + ib), c20 = load<f64>(a2 + ib), c21 = load<f64>(a2 + ib, 8);
    const c30 = load<f64>(a3 + ib), c31 = load<f64>(a3 + ib, 8), c32 = load<f64>(a3 + ib, 16);
    t0 += load<f64>(a0 + ib) * v0 + c10 * v1 + c20 * v2 + c30 * v3;
    t1 += c10 * v0 + load<f64>(a1 + ib, 8) * v1 + c21 * v2 + c31 * v3;
    t2 += c20 * v0 + c21 * v1 + load<f64>(a2 + ib, 16) * v2 + c32 * v3;
    t3 += c30 * v0 + c31 * v1 + c32 * v2 + load<f64>(a3 + ib, 24) * v3;
    store<f64>(y + ib, load<f64>(y + ib) + t0);
    store<f64>(y + ib, load<f64>(y + ib, 8) + t1, 8);
    store<f64>(y + ib, load<f64>(y + ib, 16) + t2, 16);
    store<f64>(y + ib, load<f64>(y + ib, 24) + t3, 24);
  }
  for (; i < r1; i++) {
    const a0 = A + <usize>i * ldb;
    const ib = <usize>i << 3;
    const vi = load<f64>(v + ib);
    const t = ldot(a0, v, i);
    laxpy(y, a0, vi, i);
    store<f64>(y + ib, load<f64>(y + ib) + t + load<f64>(a0 + ib) * vi);
  }
}

/**
 * Task t of the product over the leading kk×kk block: rows [bounds[t], bounds[t+1]) (i32 table),
 * partial sums in ybuf + t·ldy doubles (all kk of them written).
 */
export function lin_symv_task(A: usize, ld: i32, v: usize, ybuf: usize, ldy: i32, bounds: usize, kk: i32, task: i32): void {
  const b = bounds + (<usize>task << 2);
  const y = ybuf + <usize>task * (<usize>ldy << 3);
  const r1 = load<i32>(b, 4);
  lin_symv_rows(A, ld, v, y, load<i32>(b), r1);
  if (r1 < kk) memory.fill(y + (<usize>r1 << 3), 0, <usize>(kk - r1) << 3);
}

/**
 * Step j of a panel, before the product: row kk (columns 0..kk) is brought up to date with the
 * panel's earlier reflectors, then the reflector of x = A[kk][0:kk] is built (x[kk−1] → β, the
 * rest annihilated). Writes v (kk doubles, v[kk−1] = 1) to `v`, into VW/WV column j and into
 * A[kk][0:kk−1]; out[0] = τ, out[1] = β (the sub-diagonal entry), out[2] = the diagonal A[kk][kk].
 */
export function lin_trd_prepare(A: usize, ld: i32, VW: usize, WV: usize, nb: i32, j: i32, kk: i32, v: usize, out: usize): void {
  const ldb = <usize>ld << 3;
  const l2 = <usize>(2 * nb) << 3;
  const row = A + <usize>kk * ldb;
  const nbb = <usize>nb << 3;
  if (j > 0) {
    // A[kk][i] −= V[i]·W[kk] + W[i]·V[kk] = VW[i]·WV[kk] over the first jr columns of each half
    // (columns ≥ j are zero: the caller zeroes VW and WV at the start of every panel).
    const jr = <usize>((j + 1) & ~1) << 3;
    const z = WV + <usize>kk * l2;
    let p = VW;
    for (let i = 0; i <= kk; i++) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (let c: usize = 0; c < jr; c += 16) {
        a0 = lmadd(v128.load(p + c), v128.load(z + c), a0);
        a1 = lmadd(v128.load(p + nbb + c), v128.load(z + nbb + c), a1);
      }
      const q = row + (<usize>i << 3);
      store<f64>(q, load<f64>(q) - hsum(f64x2.add(a0, a1)));
      p += l2;
    }
  }
  store<f64>(out, load<f64>(row + (<usize>kk << 3)), 16);
  // Reflector, scaled by s = max |x| so that squares neither overflow nor underflow.
  const m = kk - 1;
  const alphaRaw = load<f64>(row + (<usize>m << 3));
  let s = Math.abs(alphaRaw);
  for (let i = 0; i < m; i++) s = Math.max(s, Math.abs(load<f64>(row + (<usize>i << 3))));
  // Multiply by 1/s where that is exact enough and finite, else divide.
  const byInv = s > 1e-290 && s < 1e290;
  const inv = 1 / s;
  let ss: f64 = 0;
  if (s > 0) {
    for (let i = 0; i < m; i++) {
      const x = load<f64>(row + (<usize>i << 3));
      const xi = byInv ? x * inv : x / s;
      ss += xi * xi;
    }
  }
  let tau: f64 = 0, beta = alphaRaw;
  if (ss == 0) {
    // x[0:m] = 0: H = I.
    for (let i = 0; i < m; i++) store<f64>(v + (<usize>i << 3), 0);
  } else {
    const alpha = alphaRaw / s;
    let b = Math.sqrt(alpha * alpha + ss);
    if (alpha >= 0) b = -b;
    tau = (b - alpha) / b;
    const f = 1 / (alpha - b);
    for (let i = 0; i < m; i++) {
      const p = row + (<usize>i << 3);
      const x = load<f64>(p);
      store<f64>(v + (<usize>i << 3), (byInv ? x * inv : x / s) * f);
    }
    beta = b * s;
  }
  store<f64>(v + (<usize>m << 3), 1);
  memory.copy(row, v, <usize>m << 3);
  // V column j: rows < kk hold v, rows kk.. are zero.
  let p = VW + (<usize>j << 3), q = WV + nbb + (<usize>j << 3);
  for (let i = 0; i < kk; i++) {
    const vi = load<f64>(v + (<usize>i << 3));
    store<f64>(p, vi);
    store<f64>(q, vi);
    p += l2; q += l2;
  }
  store<f64>(out, tau);
  store<f64>(out, beta, 8);
}

/**
 * Step j of a panel, after the product: y = Σ_t ybuf[t] (T partial sums, stride ldy doubles) is
 * corrected for the panel's earlier reflectors, y −= V·(Wᵀv) + W·(Vᵀv), then w = τy − ½τ²(yᵀv)v
 * is stored into VW (W half, column j) and WV (W half). u: 2·nb doubles of scratch.
 */
export function lin_trd_finish(ybuf: usize, ldy: i32, T: i32, kk: i32, VW: usize, WV: usize, nb: i32, j: i32, v: usize, tau: f64, u: usize): void {
  const ldyb = <usize>ldy << 3;
  const y = ybuf;
  for (let t = 1; t < T; t++) laxpy(y, ybuf + <usize>t * ldyb, 1, kk);
  const l2 = <usize>(2 * nb) << 3;
  const nbb = <usize>nb << 3;
  if (j > 0) {
    // us = WVᵀ·v = [Wᵀv | Vᵀv]; then y[i] −= VW[i]·us = V[i]·(Wᵀv) + W[i]·(Vᵀv). Only the first
    // jr columns of each half are non-zero.
    const jr = <usize>((j + 1) & ~1) << 3;
    memory.fill(u, 0, nbb << 1);
    let p = WV;
    for (let i = 0; i < kk; i++) {
      const vi = f64x2.splat(load<f64>(v + (<usize>i << 3)));
      for (let c: usize = 0; c < jr; c += 16) {
        v128.store(u + c, lmadd(vi, v128.load(p + c), v128.load(u + c)));
        v128.store(u + nbb + c, lmadd(vi, v128.load(p + nbb + c), v128.load(u + nbb + c)));
      }
      p += l2;
    }
    p = VW;
    for (let i = 0; i < kk; i++) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (let c: usize = 0; c < jr; c += 16) {
        a0 = lmadd(v128.load(p + c), v128.load(u + c), a0);
        a1 = lmadd(v128.load(p + nbb + c), v128.load(u + nbb + c), a1);
      }
      const q = y + (<usize>i << 3);
      store<f64>(q, load<f64>(q) - hsum(f64x2.add(a0, a1)));
      p += l2;
    }
  }
  const alpha = -0.5 * tau * tau * ldot(y, v, kk);
  let p = VW + nbb + (<usize>j << 3), q = WV + (<usize>j << 3);
  for (let i = 0; i < kk; i++) {
    const wi = tau * load<f64>(y + (<usize>i << 3)) + alpha * load<f64>(v + (<usize>i << 3));
    store<f64>(p, wi);
    store<f64>(q, wi);
    p += l2; q += l2;
  }
}

/** max |A[i][j]| over the lower triangle of rows [r0, r1) (NaN if any entry is NaN, +∞ if any is infinite). */
export function lin_lower_maxabs(A: usize, ld: i32, r0: i32, r1: i32): f64 {
  const ldb = <usize>ld << 3;
  let acc = f64x2.splat(0);
  let tail: f64 = 0;
  for (let i = r0; i < r1; i++) {
    const p = A + <usize>i * ldb;
    const e = <usize>((i + 1) & ~1) << 3;
    for (let j: usize = 0; j < e; j += 16) acc = f64x2.max(acc, f64x2.abs(v128.load(p + j)));
    if ((i + 1) & 1) {
      const x = Math.abs(load<f64>(p + e));
      tail = x > tail || x != x ? x : tail;
    }
  }
  const m = f64x2.max(acc, f64x2.splat(tail));
  const a = f64x2.extract_lane(m, 0), b = f64x2.extract_lane(m, 1);
  return a != a || b != b ? NaN : Math.max(a, b);
}

/** A[i][j] *= f over the lower triangle of rows [r0, r1). */
export function lin_lower_scale(A: usize, ld: i32, f: f64, r0: i32, r1: i32): void {
  const ldb = <usize>ld << 3;
  for (let i = r0; i < r1; i++) {
    const p = A + <usize>i * ldb;
    for (let j = 0; j <= i; j++) store<f64>(p + (<usize>j << 3), load<f64>(p + (<usize>j << 3)) * f);
  }
}
