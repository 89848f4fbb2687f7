/**
 * The CPU pair map: applies an elementwise nonlinearity's kernel rule to every entry of Σ and Θ,
 * on either spatial layout (q's from the variances' own diagonal: n·P numbers, or the diagonals
 * of the full layout's per-sample P×P blocks, which are mapped as kernels themselves). Uses
 * symmetry when x1 is x2 on the diagonal layout (upper triangle, then mirror) and sets the
 * exact diagonal from the variances (so ρ = 1 there without rounding). Rules with a portable form run on
 * worker threads when the kernel is large (./threads.ts).
 * @module
 */
import type { PairLayout, PairMapResult, PairRule } from '../backend.js';
import { ShapeMismatchError } from '../errors.js';
import { mirrorUpper } from './blas.js';
import { PAIR_ROWS, type PairJob, pairRows } from './pair-rows.js';
import { runPairThreaded, zeros } from './threads.js';

/** Diagonal layout: q′ = Σ′(q, q, q) for every variance. */
function mapVariances(rule: PairRule, v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const q = v[i]!;
    out[i] = rule.nngp(q, q, q);
  }
  return out;
}

/**
 * Full layout: each per-sample P×P block B = Σ(x, x)ₚₚ′ maps as a kernel of its own,
 * B′ₚₚ′ = Σ′(Bₚₚ, Bₚ′ₚ′, Bₚₚ′) by `both` (the function the pair rows use, so that block i equals
 * the (i, i) block of a symmetric Σ′), and its diagonal exactly as the diagonal layout's
 * variances, Σ′(q, q, q) by `rule.nngp`.
 */
function mapVarianceBlocks(rule: PairRule, both: PairJob['both'], v: Float64Array, P: number): Float64Array {
  const out = new Float64Array(v.length);
  const r = new Float64Array(2);
  for (let base = 0; base < v.length; base += P * P) {
    for (let p = 0; p < P; p++) {
      const q1 = v[base + p * (P + 1)]!;
      for (let pp = 0; pp < P; pp++) {
        const idx = base + p * P + pp;
        if (pp === p) {
          out[idx] = rule.nngp(q1, q1, q1);
        } else {
          both(q1, v[base + pp * (P + 1)]!, v[idx]!, r);
          out[idx] = r[0]!;
        }
      }
    }
  }
  return out;
}

/** Throws ShapeMismatchError unless the arrays have the lengths the layout says. */
function checkLengths(layout: PairLayout, nngp: Float64Array, ntk: Float64Array | null, var1: Float64Array, var2: Float64Array): void {
  const { n1, n2, positions: P, diagonalSpatial } = layout;
  const E = diagonalSpatial ? P : P * P;
  const what = diagonalSpatial ? `${P} same-position entries` : `${P}×${P} position pairs`;
  const bad = (name: string, got: number, want: number) =>
    new ShapeMismatchError(`pairMap: ${name} has ${got} numbers, but ${n1}×${n2} samples with ${what} need ${want}${name.startsWith('var') && !diagonalSpatial ? ' (on the full layout the variances are per-sample P×P blocks)' : ''}`);
  if (nngp.length !== n1 * n2 * E) throw bad('nngp', nngp.length, n1 * n2 * E);
  if (ntk && ntk.length !== nngp.length) throw bad('ntk', ntk.length, n1 * n2 * E);
  if (var1.length !== n1 * E) throw bad('var1', var1.length, n1 * E);
  if (var2.length !== n2 * E) throw bad('var2', var2.length, n2 * E);
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
  checkLengths(layout, nngp, ntk, var1, var2);
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
  const P = layout.positions;
  const both = bothOf(rule, false);
  const map = (v: Float64Array) => (layout.diagonalSpatial ? mapVariances(rule, v) : mapVarianceBlocks(rule, both, v, P));
  const v1 = map(var1);
  const v2 = var2 === var1 ? v1 : map(var2);
  return { nngp: job.outN, ntk: job.outT, var1: v1, var2: v2 };
}
