// Cholesky factorisation (blocked, right-looking) and triangular solves: the parts that are not a
// plain packed GEMM. Row-major, leading dimensions in elements, pointers in bytes.
import { hpair, ldot, lmadd } from './simd';
import { lin_pack } from './gemm';

/** Largest finite double: a pivot must lie in (0, MAX]. */
const MAX: f64 = 1.7976931348623157e308;

/** C[r][c] −= Σ_{k<K} X[r][k]·Y[c][k] for r < 4, c < 2 (byte strides). */
@inline function sub4x2(C: usize, ldcb: usize, X: usize, ldxb: usize, Y: usize, ldyb: usize, K: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const x1 = X + ldxb, x2 = x1 + ldxb, x3 = x2 + ldxb, y1 = Y + ldyb;
  const ke = <usize>(K & ~1) << 3;
  for (let k: usize = 0; k < ke; k += 16) {
    const b0 = v128.load(Y + k), b1 = v128.load(y1 + k);
    let a = v128.load(X + k);
    c00 = lmadd(a, b0, c00); c01 = lmadd(a, b1, c01);
    a = v128.load(x1 + k);
    c10 = lmadd(a, b0, c10); c11 = lmadd(a, b1, c11);
    a = v128.load(x2 + k);
    c20 = lmadd(a, b0, c20); c21 = lmadd(a, b1, c21);
    a = v128.load(x3 + k);
    c30 = lmadd(a, b0, c30); c31 = lmadd(a, b1, c31);
  }
  let r0 = hpair(c00, c01), r1 = hpair(c10, c11), r2 = hpair(c20, c21), r3 = hpair(c30, c31);
  if (K & 1) {
    const b = f64x2.replace_lane(f64x2.splat(load<f64>(Y + ke)), 1, load<f64>(y1 + ke));
    r0 = lmadd(f64x2.splat(load<f64>(X + ke)), b, r0);
    r1 = lmadd(f64x2.splat(load<f64>(x1 + ke)), b, r1);
    r2 = lmadd(f64x2.splat(load<f64>(x2 + ke)), b, r2);
    r3 = lmadd(f64x2.splat(load<f64>(x3 + ke)), b, r3);
  }
  v128.store(C, f64x2.sub(v128.load(C), r0));
  v128.store(C + ldcb, f64x2.sub(v128.load(C + ldcb), r1));
  v128.store(C + 2 * ldcb, f64x2.sub(v128.load(C + 2 * ldcb), r2));
  v128.store(C + 3 * ldcb, f64x2.sub(v128.load(C + 3 * ldcb), r3));
}

/**
 * Solves x·Lᵀ = a in place for 4 rows x (at X, stride ldb bytes) over columns [0, kb): L is lower
 * triangular (at L, same stride), invd[j] = 1/L[j][j].
 */
function trsm4(X: usize, L: usize, ldb: usize, invd: usize, kb: i32): void {
  let j = 0;
  for (; j + 2 <= kb; j += 2) {
    const jb = <usize>j << 3;
    const Lj = L + <usize>j * ldb;
    sub4x2(X + jb, ldb, X, ldb, Lj, ldb, j);
    const l10 = load<f64>(Lj + ldb + jb);
    const d = v128.load(invd + jb);
    const d0 = f64x2.extract_lane(d, 0), d1 = f64x2.extract_lane(d, 1);
    let p = X + jb;
    for (let r = 0; r < 4; r++) {
      const x0 = load<f64>(p) * d0;
      store<f64>(p, x0);
      store<f64>(p, (load<f64>(p, 8) - x0 * l10) * d1, 8);
      p += ldb;
    }
  }
  if (j < kb) {
    const jb = <usize>j << 3;
    const Lj = L + <usize>j * ldb;
    const d = load<f64>(invd + jb);
    let p = X;
    for (let r = 0; r < 4; r++) {
      store<f64>(p + jb, (load<f64>(p + jb) - ldot(p, Lj, j)) * d);
      p += ldb;
    }
  }
}

/** One-row version of {@link trsm4}. */
function trsm1(x: usize, L: usize, ldb: usize, invd: usize, kb: i32): void {
  for (let j = 0; j < kb; j++) {
    const jb = <usize>j << 3;
    store<f64>(x + jb, (load<f64>(x + jb) - ldot(x, L + <usize>j * ldb, j)) * load<f64>(invd + jb));
  }
}

/**
 * Unblocked Cholesky of the kb×kb diagonal block at A (lower triangle; entries above the diagonal
 * of the block are scratch). Writes 1/L[j][j] to invd. Returns −1, or the index of the first
 * pivot that is not in (0, MAX] (NaN included) with its value stored at `info`.
 */
export function lin_potf2(A: usize, ld: i32, kb: i32, invd: usize, info: usize): i32 {
  const ldb = <usize>ld << 3;
  let i = 0;
  for (; i + 4 <= kb; i += 4) {
    const Xi = A + <usize>i * ldb;
    const ib = <usize>i << 3;
    trsm4(Xi, A, ldb, invd, i);
    sub4x2(Xi + ib, ldb, Xi, ldb, Xi, ldb, i);
    sub4x2(Xi + ib + 16, ldb, Xi, ldb, Xi + 2 * ldb, ldb, i);
    for (let r = 0; r < 4; r++) {
      const pr = Xi + <usize>r * ldb + ib;
      for (let c = 0; c < r; c++) {
        const pc = Xi + <usize>c * ldb + ib;
        let v = load<f64>(pr + (<usize>c << 3));
        for (let t = 0; t < c; t++) v -= load<f64>(pr + (<usize>t << 3)) * load<f64>(pc + (<usize>t << 3));
        store<f64>(pr + (<usize>c << 3), v * load<f64>(invd + ib + (<usize>c << 3)));
      }
      let s = load<f64>(pr + (<usize>r << 3));
      for (let t = 0; t < r; t++) {
        const l = load<f64>(pr + (<usize>t << 3));
        s -= l * l;
      }
      if (!(s > 0 && s <= MAX)) {
        store<f64>(info, s);
        return i + r;
      }
      const d = Math.sqrt(s);
      store<f64>(pr + (<usize>r << 3), d);
      store<f64>(invd + ib + (<usize>r << 3), 1 / d);
    }
  }
  for (; i < kb; i++) {
    const Xi = A + <usize>i * ldb;
    const ib = <usize>i << 3;
    trsm1(Xi, A, ldb, invd, i);
    const s = load<f64>(Xi + ib) - ldot(Xi, Xi, i);
    if (!(s > 0 && s <= MAX)) {
      store<f64>(info, s);
      return i;
    }
    const d = Math.sqrt(s);
    store<f64>(Xi + ib, d);
    store<f64>(invd + ib, 1 / d);
  }
  return -1;
}

/**
 * Rows [r0, r1) (relative to X) of a panel solve x·Lᵀ = a over columns [0, kb) (L the kb×kb
 * factored diagonal block, invd its inverse diagonal), then packs these rows (P2, K = kb) into the
 * strips of `packed` (row r of X is row r of the packed matrix of R rows; r0 even). Rows r ≥ R
 * and the strip padding up to `S` strips are zero-filled.
 */
export function lin_panel_rows(X: usize, ld: i32, L: usize, invd: usize, kb: i32, R: i32, r0: i32, r1: i32, packed: usize, S: i32): void {
  const ldb = <usize>ld << 3;
  const re = min(r1, R);
  let r = r0;
  for (; r + 4 <= re; r += 4) trsm4(X + <usize>r * ldb, L, ldb, invd, kb);
  for (; r < re; r++) trsm1(X + <usize>r * ldb, L, ldb, invd, kb);
  if (packed != 0) {
    const s1 = r1 >= R ? S : r1 >> 1;
    lin_pack(X, ld, R, kb, 0, packed, r0 >> 1, s1);
  }
}

/** Task form of {@link lin_panel_rows}: task t covers rows [t·rows, (t+1)·rows). */
export function lin_panel_task(X: usize, ld: i32, L: usize, invd: usize, kb: i32, R: i32, packed: usize, S: i32, rows: i32, task: i32): void {
  const r0 = task * rows;
  lin_panel_rows(X, ld, L, invd, kb, R, r0, r0 + rows, packed, S);
}

/** Zeroes the entries above the diagonal in rows [r0, r1) of the n×n matrix at A. */
export function lin_zero_upper(A: usize, n: i32, r0: i32, r1: i32): void {
  const ldb = <usize>n << 3;
  for (let i = r0; i < min(r1, n); i++) {
    if (i + 1 < n) memory.fill(A + <usize>i * ldb + (<usize>(i + 1) << 3), 0, <usize>(n - i - 1) << 3);
  }
}

export function lin_zero_upper_task(A: usize, n: i32, rows: i32, task: i32): void {
  lin_zero_upper(A, n, task * rows, task * rows + rows);
}

/** invd[i] = 1/L[i][i] for i < n. */
export function lin_inv_diag(L: usize, ld: i32, n: i32, invd: usize): void {
  const step = (<usize>ld + 1) << 3;
  for (let i = 0; i < n; i++) store<f64>(invd + (<usize>i << 3), 1 / load<f64>(L + <usize>i * step));
}

/**
 * Forward substitution on the diagonal block for RHS rows [r0, r1) of Y (rows of length ≥ jb,
 * stride ldy): y·Lᵀ = b over the jb×jb lower block L (stride ldl), invd its inverse diagonal.
 */
export function lin_trsm_fwd_rows(Y: usize, ldy: i32, L: usize, ldl: i32, invd: usize, jb: i32, r0: i32, r1: i32): void {
  const ldyb = <usize>ldy << 3;
  if (ldy == ldl) {
    let r = r0;
    for (; r + 4 <= r1; r += 4) trsm4(Y + <usize>r * ldyb, L, ldyb, invd, jb);
    for (; r < r1; r++) trsm1(Y + <usize>r * ldyb, L, ldyb, invd, jb);
  } else {
    const ldlb = <usize>ldl << 3;
    for (let r = r0; r < r1; r++) {
      const y = Y + <usize>r * ldyb;
      for (let j = 0; j < jb; j++) {
        const jo = <usize>j << 3;
        store<f64>(y + jo, (load<f64>(y + jo) - ldot(y, L + <usize>j * ldlb, j)) * load<f64>(invd + jo));
      }
    }
  }
}

/**
 * Backward substitution on the diagonal block for RHS rows [r0, r1): x·L = y over the jb×jb
 * lower block, given Ut = Lᵀ of the block (jb×jb, stride jb, Ut[j][t] = L[t][j]).
 */
export function lin_trsm_bwd_rows(Y: usize, ldy: i32, Ut: usize, invd: usize, jb: i32, r0: i32, r1: i32): void {
  const ldyb = <usize>ldy << 3;
  const ldu = <usize>jb << 3;
  for (let r = r0; r < r1; r++) {
    const y = Y + <usize>r * ldyb;
    for (let j = jb - 1; j >= 0; j--) {
      const jo = <usize>j << 3;
      const t = jo + 8;
      store<f64>(y + jo, (load<f64>(y + jo) - ldot(y + t, Ut + <usize>j * ldu + t, jb - 1 - j)) * load<f64>(invd + jo));
    }
  }
}

export function lin_trsm_fwd_task(Y: usize, ldy: i32, L: usize, ldl: i32, invd: usize, jb: i32, m: i32, rows: i32, task: i32): void {
  lin_trsm_fwd_rows(Y, ldy, L, ldl, invd, jb, task * rows, min(m, task * rows + rows));
}

export function lin_trsm_bwd_task(Y: usize, ldy: i32, Ut: usize, invd: usize, jb: i32, m: i32, rows: i32, task: i32): void {
  lin_trsm_bwd_rows(Y, ldy, Ut, invd, jb, task * rows, min(m, task * rows + rows));
}

/** dst (cols×rows, stride ldd) = srcᵀ for src rows×cols (stride lds), in 8×8 blocks, rows [r0, r1). */
export function lin_transpose(src: usize, lds: i32, rows: i32, cols: i32, dst: usize, ldd: i32, r0: i32, r1: i32): void {
  const ldsb = <usize>lds << 3, lddb = <usize>ldd << 3;
  const re = min(r1, rows);
  for (let i0 = r0; i0 < re; i0 += 8) {
    const i1 = min(i0 + 8, re);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = min(j0 + 8, cols);
      for (let i = i0; i < i1; i++) {
        const s = src + <usize>i * ldsb;
        const d = dst + (<usize>i << 3);
        for (let j = j0; j < j1; j++) store<f64>(d + <usize>j * lddb, load<f64>(s + (<usize>j << 3)));
      }
    }
  }
}

export function lin_transpose_task(src: usize, lds: i32, rows: i32, cols: i32, dst: usize, ldd: i32, per: i32, task: i32): void {
  lin_transpose(src, lds, rows, cols, dst, ldd, task * per, task * per + per);
}

/**
 * dst[j][p] = src[perm[p]][j] for output columns p ∈ [p0, p1) (perm: i32 table) and j < cols:
 * rows of src picked through perm become columns of dst (8×8 blocks).
 */
export function lin_transpose_perm(src: usize, lds: i32, perm: usize, cols: i32, dst: usize, ldd: i32, p0: i32, p1: i32): void {
  const ldsb = <usize>lds << 3, lddb = <usize>ldd << 3;
  for (let q0 = p0; q0 < p1; q0 += 8) {
    const q1 = min(q0 + 8, p1);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = min(j0 + 8, cols);
      for (let q = q0; q < q1; q++) {
        const s = src + <usize>load<i32>(perm + (<usize>q << 2)) * ldsb;
        const d = dst + (<usize>q << 3);
        for (let j = j0; j < j1; j++) store<f64>(d + <usize>j * lddb, load<f64>(s + (<usize>j << 3)));
      }
    }
  }
}

export function lin_transpose_perm_task(src: usize, lds: i32, perm: usize, cols: i32, dst: usize, ldd: i32, total: i32, per: i32, task: i32): void {
  lin_transpose_perm(src, lds, perm, cols, dst, ldd, task * per, min(total, task * per + per));
}

/** y[i] = Σ_j A[i][j]·x[j] for rows i ∈ [r0, r1) of the row-major A (n columns, stride ld). */
export function lin_gemv_rows(A: usize, ld: i32, n: i32, x: usize, y: usize, r0: i32, r1: i32): void {
  const ldb = <usize>ld << 3;
  let i = r0;
  for (; i + 2 <= r1; i += 2) {
    const a0 = A + <usize>i * ldb, a1 = a0 + ldb;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), t0 = f64x2.splat(0), t1 = f64x2.splat(0);
    const e4 = <usize>(n & ~3) << 3;
    let j: usize = 0;
    for (; j < e4; j += 32) {
      const x0 = v128.load(x + j), x1 = v128.load(x + j, 16);
      s0 = lmadd(v128.load(a0 + j), x0, s0);
      t0 = lmadd(v128.load(a0 + j, 16), x1, t0);
      s1 = lmadd(v128.load(a1 + j), x0, s1);
      t1 = lmadd(v128.load(a1 + j, 16), x1, t1);
    }
    let u0 = hpair(f64x2.add(s0, t0), f64x2.add(s1, t1));
    let r0s = f64x2.extract_lane(u0, 0), r1s = f64x2.extract_lane(u0, 1);
    const nb = <usize>n << 3;
    for (; j < nb; j += 8) {
      const xj = load<f64>(x + j);
      r0s += load<f64>(a0 + j) * xj;
      r1s += load<f64>(a1 + j) * xj;
    }
    store<f64>(y + (<usize>i << 3), r0s);
    store<f64>(y + (<usize>i << 3), r1s, 8);
  }
  for (; i < r1; i++) store<f64>(y + (<usize>i << 3), ldot(A + <usize>i * ldb, x, n));
}

export function lin_gemv_task(A: usize, ld: i32, n: i32, x: usize, y: usize, m: i32, rows: i32, task: i32): void {
  lin_gemv_rows(A, ld, n, x, y, task * rows, min(m, task * rows + rows));
}
