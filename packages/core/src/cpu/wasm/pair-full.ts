/**
 * The pair map of the WebAssembly backend on the full spatial layout (assembly/pair-full.ts): the
 * sample pairs' P×P blocks and the per-sample variance blocks, q1 and q2 from the variance blocks'
 * diagonals, the exact diagonal (c = q) on every block of a sample with itself; the semantics of
 * the plain-JS pair rows (../pair-rows.ts, ../pair-map.ts), every pair computed as there.
 * @module
 */
import type { PairLayout, PairMapResult, PairRule } from '../../backend.js';
import { Scratch, adopt, newArray, offsetOf } from './arena.js';
import { type NativeRule, nativeRulePrecheck } from './rule-ids.js';
import type { WasmRuntime } from './runtime.js';

/** Entries a task aims at. */
const TASK_ENTRIES = 1 << 15;

/** The diagonals of n blocks of P×P numbers (n·P numbers). */
function blockDiagonals(v: Float64Array, n: number, P: number): Float64Array {
  const d = new Float64Array(n * P);
  for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) d[i * P + p] = v[(i * P + p) * P + p]!;
  return d;
}

/**
 * Full-layout pair map (layout.diagonalSpatial false) with a native rule; the arrays must have the
 * layout's lengths (the caller checks). Σ and Θ in place when `inPlace` and they live in
 * WebAssembly memory, else new arena arrays; the variance blocks always new. Throws the native
 * rule's pre-check error (nativeRulePrecheck) from the blocks' diagonals.
 */
export function pairMapFull(rt: WasmRuntime, rule: PairRule, native: NativeRule, layout: PairLayout, nngp: Float64Array, ntk: Float64Array | null, var1: Float64Array, var2: Float64Array, inPlace: boolean): PairMapResult {
  const { n1, n2, positions: P, symmetric } = layout;
  const B = P * P;
  const diag1 = blockDiagonals(var1, n1, P);
  const diag2 = var2 === var1 ? diag1 : blockDiagonals(var2, n2, P);
  nativeRulePrecheck(rule, diag1, diag2);
  const scratch = new Scratch(rt);
  try {
    const prm = scratch.f64(native.params.length ? native.params : [0]);
    const d1 = scratch.f64(diag1);
    const d2 = var2 === var1 ? d1 : scratch.f64(diag2);
    const per = Math.max(1, Math.floor(TASK_ENTRIES / Math.max(1, B)));
    const o = (a: Float64Array | null) => (a && a.length > 0 ? offsetOf(rt, a) : 0);
    // One call per array set: (Σ, Θ) of the pairs, then each batch's variance blocks.
    const map = (s: Float64Array, t: Float64Array | null, own: boolean, dA: number, dB: number, n: number, m: number, mode: number) => {
      const sIn = adopt(rt, s);
      const tIn = t ? adopt(rt, t) : null;
      const outS = (own || sIn !== s) && sIn.length > 0 ? sIn : newArray(rt, sIn.length, false);
      const outT = tIn ? ((own || tIn !== t) && tIn.length > 0 ? tIn : newArray(rt, tIn.length, false)) : null;
      const blocks = mode === 0 ? n * m : n;
      if (blocks > 0 && B > 0) {
        rt.parallel('pairFullTask', [native.id, prm, o(sIn), o(tIn), o(outS), o(outT), dA, dB, n, m, P, symmetric ? 1 : 0, mode, per], Math.ceil(blocks / per));
      }
      return { s: outS, t: outT };
    };
    const pairs = map(nngp, ntk, inPlace, d1, d2, n1, n2, 0);
    const v1 = map(var1, null, false, d1, d1, n1, 1, 1).s;
    const v2 = var2 === var1 ? v1 : map(var2, null, false, d2, d2, n2, 1, 1).s;
    return { nngp: pairs.s, ntk: pairs.t, var1: v1, var2: v2 };
  } finally {
    scratch.free();
  }
}
