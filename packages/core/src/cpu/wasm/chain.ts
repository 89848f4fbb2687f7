/**
 * The fused chain of the WebAssembly backend (assembly/chain.ts): consecutive affine (dense, ntk
 * parameterisation) and pair (activation) steps applied to every kernel entry in one pass over
 * memory, and the native pair map as a chain of one step.
 *
 * Variance tables q⁽ˡ⁾ (the variances entering step l, O(n·L)) are computed first by the same
 * vector code (assembly `chainVarTask`), so the exact diagonal and any entry with c = q (a sample
 * present in both batches) reproduce them bit for bit. They are checked before the O(n²) pass: a
 * variance that overflows or turns NaN names its step at once; the pass itself reports the first
 * step at which any entry became non-finite, per task, through memory.
 * @module
 */
import type { ChainStep, PairLayout, PairMapResult } from '../../backend.js';
import { NON_FINITE_PROBLEMS, NonFiniteKernelError, nonFiniteKind } from '../../errors.js';
import { Scratch, adopt, newArray, offsetOf } from './arena.js';
import { mirror } from './gram.js';
import { type NativeRule, nativeRule, nativeRulePrecheck } from './rule-ids.js';
import type { WasmRuntime } from './runtime.js';

/** Kernel entries per chain task (×steps gives the work): small tasks keep the first, un-optimised call short. */
const TASK_ENTRIES = 24576;

/** Arrays a chain reads and writes. */
export interface ChainArrays {
  readonly nngp: Float64Array;
  readonly ntk: Float64Array | null;
  readonly var1: Float64Array;
  readonly var2: Float64Array;
}

/** The native rules of the pair steps (null entries for the other steps), or null if one has none. */
export function nativeSteps(steps: readonly ChainStep[]): (NativeRule | null)[] | null {
  const out: (NativeRule | null)[] = [];
  for (const s of steps) {
    if (s.kind !== 'pair') out.push(null);
    else {
      const n = nativeRule(s.rule);
      if (!n) return null;
      out.push(n);
    }
  }
  return out;
}

/**
 * Runs `steps` (affine and pair steps only) over a same-position kernel (layout.diagonalSpatial
 * must be true) and returns the
 * new arrays: Σ and Θ in place when `inPlace` and they live in WebAssembly memory, else in new
 * arena arrays. Throws {@link NonFiniteKernelError} with `step` set (its layer still unnamed) when
 * a step's results overflow or turn NaN, and the native rules' pre-checks' errors.
 */
export function runChain(rt: WasmRuntime, steps: readonly ChainStep[], natives: readonly (NativeRule | null)[], layout: PairLayout, k: ChainArrays, inPlace: boolean): PairMapResult {
  const { n1, n2, positions: P, symmetric: sym } = layout;
  const L = steps.length;
  const m1 = n1 * P;
  const m2 = n2 * P;
  const scratch = new Scratch(rt);
  try {
    // Step records: kind, then w², b² or rule id, params offset.
    const rec = new Float64Array(4 * L);
    steps.forEach((s, l) => {
      const nat = natives[l];
      if (s.kind === 'affine') rec.set([0, s.w2, s.b2, 0], 4 * l);
      else if (s.kind !== 'pair') throw new Error(`internal: runChain takes affine and pair steps, not ${s.kind}`);
      else rec.set([1, nat!.id, scratch.f64(nat!.params.length ? nat!.params : [0]), 0], 4 * l);
    });
    const stepsOff = scratch.f64(rec);
    const tables = (v: Float64Array, m: number): number => {
      const off = scratch.alloc((L + 1) * m * 8);
      rt.f64(off, m).set(v);
      if (m > 0) rt.parallel('chainVarTask', [stepsOff, L, off, m], rt.exports['chainVarTasks']!(m));
      return off;
    };
    const v1 = tables(k.var1, m1);
    const v2 = sym ? v1 : tables(k.var2, m2);
    const table = (off: number, m: number, l: number) => rt.f64(off + l * m * 8, m);
    // Variances first: O(n·L), and they name the failing step before the O(n²) pass.
    for (let l = 0; l < L; l++) {
      const s = steps[l]!;
      if (s.kind === 'pair') nativeRulePrecheck(s.rule, table(v1, m1, l), sym ? table(v1, m1, l) : table(v2, m2, l));
      const bad = Math.max(nonFiniteKind(table(v1, m1, l + 1)), sym ? 0 : nonFiniteKind(table(v2, m2, l + 1)));
      if (bad) throw new NonFiniteKernelError('', '', NON_FINITE_PROBLEMS[bad - 1]!, l);
    }
    const nngpIn = adopt(rt, k.nngp);
    const ntkIn = k.ntk ? adopt(rt, k.ntk) : null;
    const own = (a: Float64Array, src: Float64Array) => (inPlace || a !== src) && a.length > 0;
    const nngp = own(nngpIn, k.nngp) ? nngpIn : newArray(rt, nngpIn.length, false);
    const ntk = ntkIn ? (own(ntkIn, k.ntk!) ? ntkIn : newArray(rt, ntkIn.length, false)) : null;
    if (n1 > 0 && n2 > 0 && P > 0) {
      const rows = Math.max(1, Math.min(64, Math.floor(TASK_ENTRIES / (n2 * P))));
      const tasks = Math.ceil(n1 / rows);
      const flagsOff = scratch.alloc(tasks * 4);
      const o = (a: Float64Array | null) => (a ? offsetOf(rt, a) : 0);
      rt.parallel('chainTask', [o(nngpIn), o(ntkIn), o(nngp), o(ntk), n1, n2, P, sym ? 1 : 0, stepsOff, L, v1, v2, flagsOff, rows], tasks);
      let code = 0x7fffffff;
      for (const f of new Int32Array(rt.memory.buffer, flagsOff, tasks)) code = Math.min(code, f);
      if (code !== 0x7fffffff) throw new NonFiniteKernelError('', '', NON_FINITE_PROBLEMS[code & 3]!, code >> 2);
      if (sym) mirror(rt, nngp, ntk, n1, P);
    }
    const var1 = table(v1, m1, L).slice();
    const var2 = sym ? var1 : table(v2, m2, L).slice();
    return { nngp, ntk, var1, var2 };
  } finally {
    scratch.free();
  }
}
