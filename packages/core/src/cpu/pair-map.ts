/**
 * The CPU pair map: applies an elementwise nonlinearity's kernel rule to every entry of Σ and Θ.
 * Uses symmetry when x1 is x2 (upper triangle, then mirror) and sets the diagonal exactly
 * from the variances (so ρ = 1 there without rounding). Rules with a portable form run on
 * worker threads when the kernel is large (./threads.ts).
 * @module
 */
import type { PairLayout, PairMapResult, PairRule } from '../backend.js';
import { mirrorUpper } from './blas.js';
import { PAIR_ROWS, type PairJob, pairRows } from './pair-rows.js';
import { runPairThreaded, zeros } from './threads.js';

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
