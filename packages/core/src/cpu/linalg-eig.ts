/**
 * Symmetric eigensolver on the WebAssembly runtime: blocked Householder tridiagonalisation
 * (`assembly/linalg/sytrd.ts`), then the tridiagonal eigenvalues by Pal–Walker–Kahan QL/QR
 * (`assembly/linalg/sterf.ts`; the reference is linalg-tridiagonal.ts), or the eigenvectors by
 * divide and conquer (linalg-dc.ts) and the blocked back-transformation (linalg-eigh.ts).
 * @module
 */
import { NonConvergenceError, NonFiniteInputError } from '../errors.js';
import { type DenseOps, tridiagonalEigh } from './linalg-dc.js';
import { type Eigh, applyReflectors } from './linalg-eigh.js';
import { type Ctx, clock, ctxOf, gemm, profile, run, withScratch } from './linalg-wasm.js';
import { newArray } from './wasm/arena.js';
import type { WasmRuntime } from './wasm/runtime.js';

/** Reflectors per panel of the tridiagonalisation. */
export const TRD_NB = 32;
/** Leading-block size from which the symmetric product runs on the pool. */
const SYMV_PARALLEL = 384;

/** Result of {@link tridiagonalizeWasm}. */
export interface Tridiagonal {
  /** Diagonal (n). */
  d: Float64Array;
  /** Off-diagonal: e[i] couples i and i+1 (n, e[n−1] = 0). */
  e: Float64Array;
  /** τ of the reflector built from row k (tau[k], k ≥ 1; tau[0] = 0). */
  tau: Float64Array;
  /** Byte offset of the n×n work matrix holding the reflectors (row k, columns < k−1). */
  work: number;
}

/**
 * max |a| over the lower triangle of the n×n matrix at `A`; throws NonFiniteInputError naming the
 * first NaN or infinite entry.
 */
export function lowerMaxAbs(c: Ctx, A: number, n: number, what: string): number {
  const m = c.ex['lin_lower_maxabs']!(A, n, 0, n);
  if (Number.isFinite(m)) return m;
  const view = c.rt.f64(A, n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = view[i * n + j]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`${what} holds ${v} at [${i}, ${j}]`);
    }
  }
  return m;
}

/**
 * The power of two σ to multiply a matrix of largest entry `amax` by, so that its entries lie
 * in [2⁻⁴⁰⁰, 2⁴⁰⁰] and nothing in the reduction can overflow or underflow (1 when they do).
 */
export function safeScale(amax: number): number {
  if (amax === 0 || (amax > 2 ** -400 && amax < 2 ** 400)) return 1;
  return 2 ** -Math.round(Math.log2(amax));
}

/**
 * Reduces the symmetric n×n matrix `a` (lower triangle read) to tridiagonal form T = Qᵀ·A·Q with
 * Q = H(n−1)·…·H(1), H(k) = I − τ_k·v_k·v_kᵀ acting on indices < k. The work matrix is a scratch
 * block: valid until the next top-level linear-algebra call.
 */
export function tridiagonalizeWasm(rt: WasmRuntime, a: Float64Array, n: number): Tridiagonal {
  return tridiagonalizeIn(ctxOf(rt), rt, a, n);
}

function tridiagonalizeIn(c: Ctx, rt: WasmRuntime, a: Float64Array, n: number): Tridiagonal {
  const nb = TRD_NB;
  const work = c.scratch('trd:work').get(n * n * 8);
  rt.f64(work, n * n).set(a.subarray(0, n * n));
  const sigma = safeScale(lowerMaxAbs(c, work, n, 'the matrix'));
  if (sigma !== 1) c.ex['lin_lower_scale']!(work, n, sigma, 0, n);
  const T = Math.max(1, Math.min(8, 2 * rt.threads));
  // Panel scratch: VW, WV (n × 2nb each), v (n), partial products (T × n), bounds, out, u.
  const l2 = 2 * nb;
  const VW = c.scratch('trd:panel').get((2 * n * l2 + n + T * n + 2 * nb + 16) * 8 + (T + 1) * 4 + 64);
  const WV = VW + n * l2 * 8;
  const v = WV + n * l2 * 8;
  const ybuf = v + n * 8;
  const u = ybuf + T * n * 8;
  const out = u + 2 * nb * 8;
  const bounds = out + 16 * 8;
  const ex = c.ex;
  const prepare = ex['lin_trd_prepare']!;
  const finish = ex['lin_trd_finish']!;
  const symvRows = ex['lin_symv_rows']!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  let outView = rt.f64(out, 3);
  let boundsView = new Int32Array(rt.memory.buffer, bounds, T + 1);
  const t0 = profile ? clock() : 0;
  let tSymv = 0;
  let tPrep = 0;
  let tFin = 0;
  for (let k = n - 1; k >= 1; ) {
    const pb = Math.min(nb, k);
    // Columns of the panel not yet computed must be zero (the kernels and the rank update rely on it).
    rt.f64(VW, (k + 1) * l2).fill(0);
    rt.f64(WV, (k + 1) * l2).fill(0);
    for (let j = 0; j < pb; j++) {
      const kk = k - j;
      const tp = profile ? clock() : 0;
      prepare(work, n, VW, WV, nb, j, kk, v, out);
      if (profile) tPrep += clock() - tp;
      if (outView.buffer !== rt.memory.buffer) {
        outView = rt.f64(out, 3);
        boundsView = new Int32Array(rt.memory.buffer, bounds, T + 1);
      }
      const t = outView[0]!;
      tau[kk] = t;
      e[kk - 1] = outView[1]!;
      d[kk] = outView[2]!;
      // y = A[0:kk, 0:kk]·v (the leading block, not yet updated for this panel).
      const ts = profile ? clock() : 0;
      let parts = 1;
      if (t === 0) {
        rt.f64(ybuf, kk).fill(0);
      } else if (kk < SYMV_PARALLEL || T === 1) {
        symvRows(work, n, v, ybuf, 0, kk);
      } else {
        parts = T;
        boundsView[0] = 0;
        for (let q = 1; q < T; q++) boundsView[q] = Math.min(kk, Math.round((kk * Math.sqrt(q / T)) / 4) * 4);
        boundsView[T] = kk;
        rt.parallel('lin_symv_task', [work, n, v, ybuf, n, bounds, kk], T);
      }
      if (profile) tSymv += clock() - ts;
      const tf = profile ? clock() : 0;
      finish(ybuf, n, parts, kk, VW, WV, nb, j, v, t, u);
      if (profile) tFin += clock() - tf;
    }
    // A[0:m, 0:m] −= V·Wᵀ + W·Vᵀ over the remaining leading block.
    const m = k - pb + 1;
    gemm(c, work, n, m, m, l2, { ptr: VW, ld: l2, trans: false }, { ptr: WV, ld: l2, trans: false }, -1, 1);
    k -= pb;
  }
  d[0] = rt.f64(work, 1)[0]!;
  if (sigma !== 1) {
    for (let i = 0; i < n; i++) {
      d[i] = d[i]! / sigma;
      e[i] = e[i]! / sigma;
    }
  }
  if (profile) {
    profile['trd:symv'] = (profile['trd:symv'] ?? 0) + tSymv;
    profile['trd:prepare'] = (profile['trd:prepare'] ?? 0) + tPrep;
    profile['trd:finish'] = (profile['trd:finish'] ?? 0) + tFin;
    profile['trd:total'] = (profile['trd:total'] ?? 0) + clock() - t0;
  }
  return { d, e, tau, work };
}

/** Eigenvalues (ascending) of the symmetric n×n matrix `a` (lower triangle read). */
export function eigvalshWasm(rt: WasmRuntime, a: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const c = ctxOf(rt);
  return withScratch(c, () => {
    const { d, e } = tridiagonalizeIn(c, rt, a, n);
    const t0 = profile ? clock() : 0;
    const de = c.scratch('sterf').get(16 * n);
    const view = rt.f64(de, 2 * n);
    view.set(d);
    view.set(e, n);
    const bad = c.ex['lin_sterf']!(de, de + 8 * n, n);
    if (bad > 0) {
      throw new NonConvergenceError(`eigvalsh: ${bad} of ${n} eigenvalues of the tridiagonal matrix did not converge in ${30 * n} QL/QR iterations`, 30 * n, NaN);
    }
    const out = Float64Array.from(rt.f64(de, n)).sort();
    if (profile) profile['sterf'] = (profile['sterf'] ?? 0) + clock() - t0;
    return out;
  });
}

/** {@link DenseOps} on the runtime: arrays must be views on its memory. */
export function wasmDenseOps(rt: WasmRuntime): DenseOps {
  const c = ctxOf(rt);
  let ops = opsCache.get(rt);
  if (ops) return ops;
  ops = {
    gemm(cArr, cOff, ldc, M, N, K, a, aOff, lda, aT, b, bOff, ldb, bT, alpha) {
      const cp = rt.offsetOf(cArr);
      const ap = rt.offsetOf(a);
      const bp = rt.offsetOf(b);
      if (cp < 0 || ap < 0 || bp < 0) throw new Error('wasmDenseOps.gemm: operands must live in the WebAssembly memory');
      gemm(c, cp + cOff * 8, ldc, M, N, K, { ptr: ap + aOff * 8, ld: lda, trans: aT }, { ptr: bp + bOff * 8, ld: ldb, trans: bT }, alpha);
    },
    rankOne(dl, w, rho, K, St, lam, pos) {
      const per = Math.max(8, Math.ceil(K / (8 * rt.threads)));
      const tasks = Math.ceil(K / per);
      const dlp = rt.offsetOf(dl);
      const wp = rt.offsetOf(w);
      const Sp = rt.offsetOf(St);
      const lp = rt.offsetOf(lam);
      run(c, 'lin_secular_task', [dlp, wp, K, rho, Sp, lp, per], tasks, K * K * 20);
      for (let j = 0; j < K; j++) if (Number.isNaN(lam[j]!)) return j;
      const what = this.work(13, K);
      run(c, 'lin_lowner_task', [Sp, K, dlp, wp, rt.offsetOf(what), per], tasks, K * K * 4);
      const tmp = this.work(14, tasks * K);
      run(c, 'lin_dcvec_task', [Sp, K, rt.offsetOf(what), pos.byteOffset, rt.offsetOf(tmp), per], tasks, K * K * 4);
      return -1;
    },
    work(slot, length) {
      return rt.f64(c.scratch(`ops:${slot}`).get(Math.max(64, length * 8)), length);
    },
  };
  opsCache.set(rt, ops);
  return ops;
}
const opsCache = new WeakMap<WasmRuntime, DenseOps>();

/** Eigenvalues (ascending) and eigenvectors (columns of a row-major n×n runtime array). */
export function eighWasm(rt: WasmRuntime, a: Float64Array, n: number): Eigh {
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const c = ctxOf(rt);
  return withScratch(c, () => eighIn(c, rt, a, n));
}

function eighIn(c: Ctx, rt: WasmRuntime, a: Float64Array, n: number): Eigh {
  const tri = tridiagonalizeIn(c, rt, a, n);
  const ops = wasmDenseOps(rt);
  const zt = ops.work(7, n * n);
  const t0 = profile ? clock() : 0;
  run(ctxOf(rt), 'fillTask', [rt.offsetOf(zt), n * n, 0], Math.ceil((n * n) / 65536), n * n);
  const { values, order } = tridiagonalEigh(tri.d, tri.e, zt, ops);
  const t1 = profile ? clock() : 0;
  applyReflectors(ops, rt.f64(tri.work, n * n), tri.tau, zt, n);
  const t2 = profile ? clock() : 0;
  const vectors = newArray(rt, n * n, false);
  const perm = ops.work(8, Math.ceil(n / 2));
  const permView = new Int32Array(perm.buffer, perm.byteOffset, n);
  permView.set(order);
  const per = 64;
  run(ctxOf(rt), 'lin_transpose_perm_task', [rt.offsetOf(zt), n, perm.byteOffset, n, rt.offsetOf(vectors), n, n, per], Math.ceil(n / per), n * n);
  if (profile) {
    profile['eigh:dc'] = (profile['eigh:dc'] ?? 0) + t1 - t0;
    profile['eigh:back'] = (profile['eigh:back'] ?? 0) + t2 - t1;
    profile['eigh:out'] = (profile['eigh:out'] ?? 0) + clock() - t2;
  }
  return { values, vectors };
}

export { run };
