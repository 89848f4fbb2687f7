/**
 * The kernel of the CPU pair map: one task = a block of rows of Σ and Θ. Self-contained, so
 * that worker threads run its very source (./threads.ts).
 * @module
 */
import type { PairLayout } from '../backend.js';

/** Rows per task of a pair-map job. */
export const PAIR_ROWS = 16;

/** A pair-map job: `both(q1, q2, c, out)` sets out[0] = Σ′, out[1] = Σ̇ (the latter only read when `ntk`). */
export interface PairJob {
  both: (q1: number, q2: number, c: number, out: Float64Array) => void;
  layout: PairLayout;
  nngp: Float64Array;
  ntk: Float64Array | null;
  var1: Float64Array;
  var2: Float64Array;
  outN: Float64Array;
  outT: Float64Array | null;
}

/**
 * Task `task` of a pair-map job: rows [task·PAIR_ROWS, …) (from the diagonal on, when symmetric
 * on the diagonal layout). Entry (i, j, p, p′) maps c = Σ(i, j)ₚₚ′ with q1 = Σ(x1ᵢ, x1ᵢ)ₚₚ and
 * q2 = Σ(x2ⱼ, x2ⱼ)ₚ′ₚ′, read from var1[i·P + p] on the diagonal layout and from the diagonal of
 * the per-sample P×P blocks, var1[(i·P + p)·P + p], on the full layout.
 * Self-contained (its source also runs on worker threads; PAIR_ROWS is defined there too).
 */
export function pairRows(job: PairJob, task: number): void {
  const { n1, n2, positions: P, diagonalSpatial, symmetric } = job.layout;
  const { both, nngp, ntk, var1, var2, outN, outT } = job;
  const Q = diagonalSpatial ? 1 : P;
  // Stride of the variances' own diagonal: 1 (n·P numbers) or P + 1 (n·P·P blocks).
  const V = diagonalSpatial ? 1 : P + 1;
  const tri = symmetric && diagonalSpatial;
  const out = new Float64Array(2);
  const iEnd = Math.min(n1, (task + 1) * PAIR_ROWS);
  for (let i = task * PAIR_ROWS; i < iEnd; i++) {
    for (let j = tri ? i : 0; j < n2; j++) {
      const base = (i * n2 + j) * P * Q;
      const self = symmetric && i === j;
      for (let p = 0; p < P; p++) {
        const q1 = var1[(i * P + p) * Q + (diagonalSpatial ? 0 : p)]!;
        for (let pp = 0; pp < Q; pp++) {
          const idx = base + p * Q + pp;
          const p2 = diagonalSpatial ? p : pp;
          const q2 = var2[j * P * Q + p2 * V]!;
          // On the exact diagonal of a symmetric kernel use c = q (ρ = 1 exactly).
          const c = self && p2 === p ? q1 : nngp[idx]!;
          both(q1, q2, c, out);
          outN[idx] = out[0]!;
          if (outT) outT[idx] = out[1]! * ntk![idx]!;
        }
      }
    }
  }
}
