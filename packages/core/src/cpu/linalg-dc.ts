/**
 * Eigenvectors of a symmetric tridiagonal matrix by divide and conquer (Cuppen's method with the
 * deflation of Dongarra–Sorensen and the stable eigenvectors of Gu–Eisenstat, as in LAPACK's
 * dstedc/dlaed0–dlaed4): the matrix is torn into two halves by a rank-one term, each half is
 * solved recursively (implicit QL with vector accumulation below {@link DC_LEAF} rows), and the
 * halves are merged by solving the secular equation of the rank-one update of a diagonal matrix.
 * The work of a merge is one matrix product (old eigenvectors × the K×K eigenvector matrix of the
 * rank-one problem), done by the {@link DenseOps} given: WebAssembly GEMM or plain JS.
 *
 * Eigenvectors are stored as rows (`zt[i·n + j]` = component j of eigenvector i), so that the
 * rotations of the QL leaves and of the deflation act on contiguous rows.
 * @module
 */
import { NonConvergenceError } from '../errors.js';
import type { DenseOps } from './linalg-dense.js';
import { SECULAR_MAXIT, secular2, secularRoot } from './linalg-secular.js';

export { type DenseOps, jsDenseOps } from './linalg-dense.js';
export { secularRoot } from './linalg-secular.js';

/** Largest subproblem solved directly by QL with vectors. */
export const DC_LEAF = 32;
const EPS = 2 ** -53;

/** Rotates rows x, y (length len at the offsets): x ← c·x + s·y, y ← c·y − s·x. */
function rotRows(z: Float64Array, xo: number, yo: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const x = z[xo + k]!;
    const y = z[yo + k]!;
    z[xo + k] = c * x + s * y;
    z[yo + k] = c * y - s * x;
  }
}

/**
 * Implicit QL with Wilkinson shifts on the block [s, s+m) (d, e with e[i] coupling i and i+1),
 * accumulating rotations into rows s.. of zt (columns s..s+m), which must hold the identity.
 */
function qlBlock(d: Float64Array, e: Float64Array, zt: Float64Array, n: number, s: number, m: number): void {
  const end = s + m;
  const saved = e[end - 1]!;
  e[end - 1] = 0;
  for (let l = s; l < end; l++) {
    let iter = 0;
    let mm: number;
    do {
      for (mm = l; mm < end - 1; mm++) {
        const dd = Math.abs(d[mm]!) + Math.abs(d[mm + 1]!);
        if (Math.abs(e[mm]!) <= EPS * dd) break;
      }
      if (mm !== l) {
        if (iter++ === 60) {
          throw new NonConvergenceError(`eigh: implicit QL on a ${m}×${m} block did not converge in 60 iterations`, 60, Math.abs(e[l]!));
        }
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[mm]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
        let sn = 1;
        let cs = 1;
        let p = 0;
        let i: number;
        let underflow = false;
        for (i = mm - 1; i >= l; i--) {
          const f = sn * e[i]!;
          const b = cs * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] = d[i + 1]! - p;
            e[mm] = 0;
            underflow = true;
            break;
          }
          sn = f / r;
          cs = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * sn + 2 * cs * b;
          p = sn * r;
          d[i + 1] = g + p;
          g = cs * r - b;
          // Eigenvector columns i, i+1 are rows i, i+1 of zt.
          rotRows(zt, (i + 1) * n + s, i * n + s, m, cs, sn);
        }
        if (underflow) continue;
        d[l] = d[l]! - p;
        e[l] = g;
        e[mm] = 0;
      }
    } while (mm !== l);
  }
  e[end - 1] = saved;
}

/** State of one run of {@link tridiagonalEigh}. */
interface DcState {
  n: number;
  d: Float64Array;
  e: Float64Array;
  zt: Float64Array;
  /** Sorting permutation of each solved block, block-local (perm[s + r] ∈ [0, m)). */
  perm: Int32Array;
  ops: DenseOps;
}

function solveBlock(st: DcState, s: number, m: number): void {
  const { n, d, e, zt, perm } = st;
  if (m <= DC_LEAF) {
    for (let i = 0; i < m; i++) zt[(s + i) * n + s + i] = 1;
    qlBlock(d, e, zt, n, s, m);
    const idx = Array.from({ length: m }, (_, i) => i).sort((x, y) => d[s + x]! - d[s + y]!);
    for (let i = 0; i < m; i++) perm[s + i] = idx[i]!;
    return;
  }
  const n1 = m >> 1;
  const k = s + n1 - 1;
  const beta = e[k]!;
  d[k] = d[k]! - Math.abs(beta);
  d[k + 1] = d[k + 1]! - Math.abs(beta);
  solveBlock(st, s, n1);
  solveBlock(st, s + n1, m - n1);
  merge(st, s, n1, m - n1, beta);
}

/** Merges the solved halves [s, s+n1) and [s+n1, s+n1+n2) coupled by β (see the module doc). */
function merge(st: DcState, s: number, n1: number, n2: number, beta: number): void {
  const { n, d, zt, perm, ops } = st;
  const m = n1 + n2;
  const sigma = beta >= 0 ? 1 : -1;
  // z = [last components of the first half's vectors, σ·first components of the second's] / √2.
  const z = new Float64Array(m);
  const dv = new Float64Array(m);
  for (let r = 0; r < n1; r++) z[r] = zt[(s + r) * n + s + n1 - 1]! * Math.SQRT1_2;
  for (let r = n1; r < m; r++) z[r] = sigma * zt[(s + r) * n + s + n1]! * Math.SQRT1_2;
  for (let r = 0; r < m; r++) dv[r] = d[s + r]!;
  const rho = 2 * Math.abs(beta);
  // Rows in ascending order of d (merge of the two sorted halves).
  const order = new Int32Array(m);
  {
    let a = 0;
    let b = 0;
    for (let q = 0; q < m; q++) {
      const ra = a < n1 ? perm[s + a]! : -1;
      const rb = b < n2 ? n1 + perm[s + n1 + b]! : -1;
      if (rb < 0 || (ra >= 0 && dv[ra]! <= dv[rb]!)) {
        order[q] = ra;
        a++;
      } else {
        order[q] = rb;
        b++;
      }
    }
  }
  let zmax = 0;
  let dmax = 0;
  for (let r = 0; r < m; r++) {
    zmax = Math.max(zmax, Math.abs(z[r]!));
    dmax = Math.max(dmax, Math.abs(dv[r]!));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  // Deflation: type 1 = row of the first half only, 3 = second half only, 2 = mixed by a rotation.
  const type = new Int8Array(m);
  for (let r = 0; r < m; r++) type[r] = r < n1 ? 1 : 3;
  const kept: number[] = [];
  const deflated: number[] = [];
  if (rho * zmax > tol) {
    let pj = -1;
    for (let q = 0; q < m; q++) {
      const nj = order[q]!;
      if (rho * Math.abs(z[nj]!) <= tol) {
        deflated.push(nj);
        continue;
      }
      if (pj < 0) {
        pj = nj;
        continue;
      }
      // Close to the previous candidate? Rotate z[pj] into z[nj].
      let sn = z[pj]!;
      let cs = z[nj]!;
      const tau = Math.hypot(cs, sn);
      const t = dv[nj]! - dv[pj]!;
      cs /= tau;
      sn = -sn / tau;
      if (Math.abs(t * cs * sn) <= tol) {
        z[nj] = tau;
        z[pj] = 0;
        if (type[nj] !== type[pj]) type[nj] = 2;
        rotRows(zt, (s + pj) * n + s, (s + nj) * n + s, m, cs, sn);
        const tp = dv[pj]! * cs * cs + dv[nj]! * sn * sn;
        dv[nj] = dv[pj]! * sn * sn + dv[nj]! * cs * cs;
        dv[pj] = tp;
        deflated.push(pj);
        pj = nj;
      } else {
        kept.push(pj);
        pj = nj;
      }
    }
    if (pj >= 0) kept.push(pj);
  } else {
    for (let q = 0; q < m; q++) deflated.push(order[q]!);
  }
  const K = kept.length;
  // Gather the rows: kept ones grouped by type (1, 2, 3), then the deflated ones.
  const W1 = ops.work(0, m * m);
  const gathered: number[] = [];
  for (const ty of [1, 2, 3]) for (const r of kept) if (type[r] === ty) gathered.push(r);
  const c1 = gathered.filter((r) => type[r] === 1).length;
  const c2 = gathered.filter((r) => type[r] === 2).length;
  const c3 = K - c1 - c2;
  const pos = new Int32Array(m).fill(-1);
  gathered.forEach((r, p) => (pos[r] = p));
  for (let p = 0; p < K; p++) W1.set(zt.subarray((s + gathered[p]!) * n + s, (s + gathered[p]!) * n + s + m), p * m);
  for (let q = 0; q < deflated.length; q++) {
    const r = deflated[q]!;
    W1.set(zt.subarray((s + r) * n + s, (s + r) * n + s + m), (K + q) * m);
  }
  const newD = new Float64Array(m);
  if (K > 0) {
    // kept is in ascending order of dv (deflation keeps the order of `order`).
    const dl = ops.work(9, K).subarray(0, K);
    const wv = ops.work(10, K).subarray(0, K);
    for (let q = 0; q < K; q++) {
      dl[q] = dv[kept[q]!]!;
      wv[q] = z[kept[q]!]!;
    }
    // Normalise w (deflation removed components; LAPACK keeps ρ‖w‖² in ρ the same way).
    let wn = 0;
    for (let q = 0; q < K; q++) wn += wv[q]! * wv[q]!;
    const rhoK = rho * wn;
    const wsc = 1 / Math.sqrt(wn);
    for (let q = 0; q < K; q++) wv[q] = wv[q]! * wsc;
    // St (K×K): row j = eigenvector j of diag(dl) + ρ·w·wᵀ, columns in gathered order.
    const St = ops.work(1, K * K);
    const lam = ops.work(11, K).subarray(0, K);
    if (K === 1) {
      lam[0] = dl[0]! + rhoK * wv[0]! * wv[0]!;
      St[0] = 1;
    } else if (K >= 3 && ops.rankOne) {
      const pw = ops.work(12, Math.ceil(K / 2) + 1);
      const posK = new Int32Array(pw.buffer, pw.byteOffset, K);
      for (let q = 0; q < K; q++) posK[q] = pos[kept[q]!]!;
      const bad = ops.rankOne(dl, wv, rhoK, K, St, lam, posK);
      if (bad >= 0) throw new NonConvergenceError(`eigh: the secular equation for root ${bad} of ${K} did not converge in ${SECULAR_MAXIT} iterations`, SECULAR_MAXIT, NaN);
    } else {
      const delta = new Float64Array(K);
      // Δ[j][q] = dl_q − λ_j (rows of St hold Δ first).
      for (let j = 0; j < K; j++) {
        if (K === 2) {
          const { tau, origin } = secular2(j, dl[0]!, dl[1]!, wv[0]!, wv[1]!, rhoK);
          const org = dl[origin]!;
          lam[j] = org + tau;
          for (let q = 0; q < 2; q++) delta[q] = dl[q]! - org - tau;
        } else {
          lam[j] = secularRoot(dl, wv, rhoK, j, delta);
        }
        St.set(delta.subarray(0, K), j * K);
      }
      // Gu–Eisenstat: recompute ŵ from the computed roots, so the vectors come out orthogonal.
      const what = new Float64Array(K);
      for (let q = 0; q < K; q++) what[q] = St[q * K + q]!;
      for (let j = 0; j < K; j++) {
        const dj = dl[j]!;
        for (let q = 0; q < K; q++) {
          if (q !== j) what[q] = what[q]! * (St[j * K + q]! / (dl[q]! - dj));
        }
      }
      for (let q = 0; q < K; q++) what[q] = Math.sign(wv[q]!) * Math.sqrt(Math.max(0, -what[q]!));
      const row = new Float64Array(K);
      for (let j = 0; j < K; j++) {
        let nrm = 0;
        for (let q = 0; q < K; q++) {
          const u = what[q]! / St[j * K + q]!;
          row[q] = u;
          nrm += u * u;
        }
        const inv = 1 / Math.sqrt(nrm);
        for (let q = 0; q < K; q++) St[j * K + pos[kept[q]!]!] = row[q]! * inv;
      }
    }
    // New vectors of the kept roots: rows s..s+K of zt, = St · W1[gathered] block-wise.
    for (let j = 0; j < K; j++) zt.fill(0, (s + j) * n + s, (s + j) * n + s + m);
    if (c1 + c2 > 0) ops.gemm(zt, s * n + s, n, K, n1, c1 + c2, St, 0, K, false, W1, 0, m, true, 1);
    if (c2 + c3 > 0) ops.gemm(zt, s * n + s + n1, n, K, n2, c2 + c3, St, c1, K, false, W1, c1 * m + n1, m, true, 1);
    for (let j = 0; j < K; j++) newD[j] = lam[j]!;
  }
  for (let q = 0; q < deflated.length; q++) {
    zt.set(W1.subarray((K + q) * m, (K + q) * m + m), (s + K + q) * n + s);
    newD[K + q] = dv[deflated[q]!]!;
  }
  for (let r = 0; r < m; r++) d[s + r] = newD[r]!;
  const idx = Array.from({ length: m }, (_, i) => i).sort((x, y) => newD[x]! - newD[y]!);
  for (let r = 0; r < m; r++) perm[s + r] = idx[r]!;
}

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix (d, e; e[i] couples i and i+1).
 * Returns the eigenvalues ascending and `order`: the eigenvector of values[p] is row order[p] of
 * `zt` (n×n, supplied zero-filled by the caller).
 */
export function tridiagonalEigh(d0: Float64Array, e0: Float64Array, zt: Float64Array, ops: DenseOps): { values: Float64Array; order: Int32Array } {
  const n = d0.length;
  const d = Float64Array.from(d0);
  const e = Float64Array.from(e0);
  if (n === 0) return { values: d, order: new Int32Array(0) };
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]!), i < n - 1 ? Math.abs(e[i]!) : 0);
  if (!Number.isFinite(scale)) throw new NonConvergenceError('eigh: the tridiagonal matrix holds NaN or infinity', 0, NaN);
  if (scale === 0) {
    for (let i = 0; i < n; i++) zt[i * n + i] = 1;
    return { values: d, order: Int32Array.from({ length: n }, (_, i) => i) };
  }
  for (let i = 0; i < n; i++) {
    d[i] = d[i]! / scale;
    e[i] = e[i]! / scale;
  }
  const st: DcState = { n, d, e, zt, perm: new Int32Array(n), ops };
  solveBlock(st, 0, n);
  const values = new Float64Array(n);
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    order[p] = st.perm[p]!;
    values[p] = d[order[p]!]! * scale;
  }
  return { values, order };
}
