/**
 * The CPU pair map: applies an elementwise nonlinearity's kernel rule to every entry of Σ and Θ.
 * Uses symmetry when x1 is x2 (upper triangle, then mirror) and sets the diagonal exactly
 * from the variances (so ρ = 1 there without rounding). Rules with a portable form run on
 * worker threads when the kernel is large (./threads.ts).
 * @module
 */
import type { PairLayout, PairMapResult, PairRule } from '../backend.js';
import { mirrorUpper } from './blas.js';
import { runPairThreaded, zeros } from './threads.js';

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
 * Task `task` of a pair-map job: rows [task·PAIR_ROWS, …) (from the diagonal on, when symmetric).
 * Self-contained (its source also runs on worker threads; PAIR_ROWS is defined there too).
 */
export function pairRows(job: PairJob, task: number): void {
  const { n1, n2, positions: P, diagonalSpatial, symmetric } = job.layout;
  const { both, nngp, ntk, var1, var2, outN, outT } = job;
  const Q = diagonalSpatial ? 1 : P;
  const tri = symmetric && diagonalSpatial;
  const out = new Float64Array(2);
  const iEnd = Math.min(n1, (task + 1) * PAIR_ROWS);
  for (let i = task * PAIR_ROWS; i < iEnd; i++) {
    for (let j = tri ? i : 0; j < n2; j++) {
      const base = (i * n2 + j) * P * Q;
      for (let p = 0; p < P; p++) {
        const q1 = var1[i * P + p]!;
        for (let pp = 0; pp < Q; pp++) {
          const idx = base + p * Q + pp;
          const q2 = var2[j * P + (diagonalSpatial ? p : pp)]!;
          // On the exact diagonal of a symmetric kernel use c = q (ρ = 1 exactly).
          const c = tri && i === j ? q1 : nngp[idx]!;
          both(q1, q2, c, out);
          outN[idx] = out[0]!;
          if (outT) outT[idx] = out[1]! * ntk![idx]!;
        }
      }
    }
  }
}

function mapVariances(rule: PairRule, v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const q = v[i]!;
    out[i] = rule.nngp(q, q, q);
  }
  return out;
}

/** The rule as one function computing what the job needs. */
function bothOf(rule: PairRule, needDot: boolean): PairJob['both'] {
  if (rule.both) return rule.both.bind(rule);
  return needDot
    ? (q1, q2, c, out) => {
        out[0] = rule.nngp(q1, q2, c);
        out[1] = rule.dnngp(q1, q2, c);
      }
    : (q1, q2, c, out) => {
        out[0] = rule.nngp(q1, q2, c);
      };
}

/** See {@link Backend.pairMap}. */
export function pairMap(rule: PairRule, layout: PairLayout, nngp: Float64Array, ntk: Float64Array | null, var1: Float64Array, var2: Float64Array, inPlace: boolean): PairMapResult {
  const job: PairJob = {
    both: bothOf(rule, ntk !== null),
    layout,
    nngp,
    ntk,
    var1,
    var2,
    outN: inPlace ? nngp : zeros(nngp.length),
    outT: ntk ? (inPlace ? ntk : zeros(ntk.length)) : null,
  };
  if (!runPairThreaded(rule, job)) {
    const tasks = Math.ceil(layout.n1 / PAIR_ROWS);
    for (let t = 0; t < tasks; t++) pairRows(job, t);
  }
  if (layout.symmetric && layout.diagonalSpatial) {
    mirrorUpper(job.outN, layout.n1, layout.positions);
    if (job.outT) mirrorUpper(job.outT, layout.n1, layout.positions);
  }
  const v1 = mapVariances(rule, var1);
  const v2 = var2 === var1 ? v1 : mapVariances(rule, var2);
  return { nngp: job.outN, ntk: job.outT, var1: v1, var2: v2 };
}
