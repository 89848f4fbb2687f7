/**
 * Full symmetric eigendecomposition, shared by the WebAssembly and the plain-JS paths: the
 * reflectors of the tridiagonalisation are applied to the tridiagonal eigenvectors (from
 * {@link tridiagonalEigh}) in blocks, I − V·T·Vᵀ (compact WY, LAPACK dlarft/dlarfb), each block
 * two matrix products of the {@link DenseOps} given.
 *
 * Reflector convention (also that of the WebAssembly tridiagonalisation): the lower triangle of
 * the row-major work matrix is reduced from the last row up; H(k) = I − τ_k·v_k·v_kᵀ with
 * v_k[i] = work[k][i] for i < k−1, v_k[k−1] = 1, v_k[i] = 0 for i ≥ k, and A = Q·T·Qᵀ with
 * Q = H(n−1)·…·H(1).
 * @module
 */
import { NonFiniteInputError } from '../errors.js';
import { type DenseOps, tridiagonalEigh } from './linalg-dc.js';

/** Reflectors per block of the back-transformation. */
export const BACK_NB = 128;

/** The reduction of {@link tridiagonalizeRowsJs} (plain JS, unblocked). */
export interface RowTridiagonal {
  d: Float64Array;
  e: Float64Array;
  tau: Float64Array;
  work: Float64Array;
}

/** Plain-JS Householder tridiagonalisation in the reflector convention above (lower triangle read). */
export function tridiagonalizeRowsJs(a: Float64Array, n: number): RowTridiagonal {
  const w = Float64Array.from(a.subarray(0, n * n));
  let amax = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = w[i * n + j]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`the matrix holds ${v} at [${i}, ${j}]`);
      amax = Math.max(amax, Math.abs(v));
    }
  }
  // Scale by a power of two into [2⁻⁴⁰⁰, 2⁴⁰⁰] so that nothing overflows or underflows.
  const sigma = amax === 0 || (amax > 2 ** -400 && amax < 2 ** 400) ? 1 : 2 ** -Math.round(Math.log2(amax));
  if (sigma !== 1) for (let i = 0; i < n * n; i++) w[i] = w[i]! * sigma;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  const v = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = n - 1; k >= 1; k--) {
    const row = k * n;
    d[k] = w[row + k]!;
    const m = k - 1;
    const alphaRaw = w[row + m]!;
    let s = Math.abs(alphaRaw);
    for (let i = 0; i < m; i++) s = Math.max(s, Math.abs(w[row + i]!));
    let ss = 0;
    if (s > 0) for (let i = 0; i < m; i++) ss += (w[row + i]! / s) ** 2;
    let t = 0;
    let beta = alphaRaw;
    if (ss === 0) {
      v.fill(0, 0, m);
    } else {
      const alpha = alphaRaw / s;
      let b = Math.sqrt(alpha * alpha + ss);
      if (alpha >= 0) b = -b;
      t = (b - alpha) / b;
      const f = 1 / (alpha - b);
      for (let i = 0; i < m; i++) v[i] = (w[row + i]! / s) * f;
      beta = b * s;
    }
    v[m] = 1;
    for (let i = 0; i < m; i++) w[row + i] = v[i]!;
    tau[k] = t;
    e[k - 1] = beta;
    if (t === 0) continue;
    // y = τ·A[0:k, 0:k]·v from the lower triangle, w = y − ½τ(yᵀv)·v, A −= v·wᵀ + w·vᵀ.
    y.fill(0, 0, k);
    for (let i = 0; i < k; i++) {
      const ri = i * n;
      let acc = 0;
      for (let j = 0; j < i; j++) {
        acc += w[ri + j]! * v[j]!;
        y[j] = y[j]! + w[ri + j]! * v[i]!;
      }
      y[i] = y[i]! + acc + w[ri + i]! * v[i]!;
    }
    let yv = 0;
    for (let i = 0; i < k; i++) {
      y[i] = t * y[i]!;
      yv += y[i]! * v[i]!;
    }
    const h = -0.5 * t * yv;
    for (let i = 0; i < k; i++) y[i] = y[i]! + h * v[i]!;
    for (let i = 0; i < k; i++) {
      const ri = i * n;
      const vi = v[i]!;
      const wi = y[i]!;
      for (let j = 0; j <= i; j++) w[ri + j] = w[ri + j]! - vi * y[j]! - wi * v[j]!;
    }
  }
  if (n >= 1) d[0] = w[0]!;
  for (let i = 0; i < n; i++) {
    d[i] = d[i]! / sigma;
    e[i] = e[i]! / sigma;
  }
  return { d, e, tau, work: w };
}

/**
 * xt ← xt·H(1)·H(2)·…·H(n−1) for the n rows of xt (n×n, each row a vector z becoming Q·z), in
 * blocks of {@link BACK_NB} reflectors. `work` holds the reflectors (see the module doc).
 */
export function applyReflectors(ops: DenseOps, work: Float64Array, tau: Float64Array, xt: Float64Array, n: number, nb = BACK_NB): void {
  for (let k0 = 2; k0 < n; k0 += nb) {
    const k1 = Math.min(n, k0 + nb);
    const b = k1 - k0;
    const act = k1 - 1;
    // Vt (b × act): row c = v_{k0+c}.
    const Vt = ops.work(2, b * act);
    for (let c = 0; c < b; c++) {
      const k = k0 + c;
      const o = c * act;
      Vt.set(work.subarray(k * n, k * n + k - 1), o);
      Vt[o + k - 1] = 1;
      Vt.fill(0, o + k, o + act);
    }
    // T (b×b, upper): T[c][c] = τ, T[0:c, c] = −τ·T[0:c, 0:c]·(V[:, 0:c]ᵀ·v_c).
    const G = ops.work(3, b * b);
    G.fill(0, 0, b * b);
    ops.gemm(G, 0, b, b, b, act, Vt, 0, act, false, Vt, 0, act, false, 1);
    const T = ops.work(4, b * b);
    T.fill(0, 0, b * b);
    const g = new Float64Array(b);
    for (let c = 0; c < b; c++) {
      const t = tau[k0 + c]!;
      T[c * b + c] = t;
      if (t === 0) continue;
      for (let q = 0; q < c; q++) g[q] = G[q * b + c]!;
      for (let r = 0; r < c; r++) {
        let s = 0;
        for (let q = r; q < c; q++) s += T[r * b + q]! * g[q]!;
        T[r * b + c] = -t * s;
      }
    }
    // Y = Xt[:, 0:act]·V (n×b), Y2 = Y·T, Xt[:, 0:act] −= Y2·Vᵀ.
    const Y = ops.work(5, n * b);
    Y.fill(0, 0, n * b);
    ops.gemm(Y, 0, b, n, b, act, xt, 0, n, false, Vt, 0, act, false, 1);
    const Y2 = ops.work(6, n * b);
    Y2.fill(0, 0, n * b);
    ops.gemm(Y2, 0, b, n, b, b, Y, 0, b, false, T, 0, b, true, 1);
    ops.gemm(xt, 0, n, n, act, b, Y2, 0, b, false, Vt, 0, act, true, -1);
  }
}

/** Eigenvalues (ascending) and eigenvectors of a symmetric matrix. */
export interface Eigh {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as the columns of a row-major n×n matrix: column p belongs to values[p]. */
  vectors: Float64Array;
}

/** Plain-JS eigendecomposition (reference and fallback): {@link tridiagonalizeRowsJs}, divide and conquer, back-transformation. */
export function eighJs(a: Float64Array, n: number, ops: DenseOps): Eigh {
  const tri = tridiagonalizeRowsJs(a, n);
  const zt = new Float64Array(n * n);
  const { values, order } = tridiagonalEigh(tri.d, tri.e, zt, ops);
  applyReflectors(ops, tri.work, tri.tau, zt, n);
  const vectors = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    const r = order[p]! * n;
    for (let j = 0; j < n; j++) vectors[j * n + p] = zt[r + j]!;
  }
  return { values, vectors };
}
