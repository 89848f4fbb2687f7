/**
 * The dense kernels the eigensolver's shared code (divide and conquer, back-transformation) needs,
 * behind one small interface so that the same code runs on WebAssembly GEMM (`wasmDenseOps` in
 * linalg-eig.ts) and in plain JS ({@link jsDenseOps}, the reference and fallback).
 * @module
 */

/** The dense kernels a merge needs. Arrays are addressed by (array, offset in elements). */
export interface DenseOps {
  /**
   * C (M×N, leading dimension ldc, at c[cOff]) += alpha · op(A)·op(B)ᵀ, op(A) M×K and op(B) N×K;
   * `aT`/`bT` mean the array holds the transpose (K×M resp. K×N) with the leading dimension given.
   */
  gemm(c: Float64Array, cOff: number, ldc: number, M: number, N: number, K: number, a: Float64Array, aOff: number, lda: number, aT: boolean, b: Float64Array, bOff: number, ldb: number, bT: boolean, alpha: number): void;
  /** A work array of at least `length` doubles, usable as a GEMM operand (contents arbitrary). */
  work(slot: number, length: number): Float64Array;
  /**
   * Optional native form of the rank-one step (K ≥ 3): the roots of 1/ρ + Σ w_q²/(dl_q − λ) = 0
   * into lam, and St row j = the normalised eigenvector of root j, its entry for pole q stored at
   * column pos[q]. All arrays come from {@link DenseOps.work}. Returns the index of a root that
   * did not converge, or −1.
   */
  rankOne?(dl: Float64Array, w: Float64Array, rho: number, K: number, St: Float64Array, lam: Float64Array, pos: Int32Array): number;
}

/** Plain-JS {@link DenseOps} (the reference and the fallback). */
export const jsDenseOps: DenseOps = {
  gemm(c, cOff, ldc, M, N, K, a, aOff, lda, aT, b, bOff, ldb, bT, alpha) {
    const arow = new Float64Array(K);
    const bcol = new Float64Array(K);
    const bt = new Float64Array(N * K);
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < K; k++) bt[j * K + k] = bT ? b[bOff + k * ldb + j]! : b[bOff + j * ldb + k]!;
    }
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) arow[k] = aT ? a[aOff + k * lda + i]! : a[aOff + i * lda + k]!;
      const ci = cOff + i * ldc;
      for (let j = 0; j < N; j++) {
        bcol.set(bt.subarray(j * K, j * K + K));
        let s = 0;
        for (let k = 0; k < K; k++) s += arow[k]! * bcol[k]!;
        c[ci + j] = c[ci + j]! + alpha * s;
      }
    }
  },
  work: (() => {
    const slots: Float64Array[] = [];
    return (slot: number, length: number) => {
      if (!slots[slot] || slots[slot]!.length < length) slots[slot] = new Float64Array(length);
      return slots[slot]!;
    };
  })(),
};
