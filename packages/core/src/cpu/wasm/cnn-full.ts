/**
 * The fused chain of the WebAssembly backend on kernels with all position pairs
 * (assembly/cnn-full.ts): a run of conv (`window`), activation (`pair`), dense (`affine`), `pool`
 * and `flatten` steps, one sample pair's P×P blocks at a time in a thread's scratch; for x2 = x1
 * only the pairs j ≥ i run and the rest is mirrored. A CNN-GAP (convs and relus, then global
 * average pooling) then writes one number per pair instead of streaming n²·P² numbers through
 * memory in every op, and takes half the pairs of the layer-by-layer path.
 *
 * First the per-sample variance blocks run through the steps as kernels of a sample with itself
 * (assembly `fullSelfTask`), recording their diagonals before every step: the q tables the pairs'
 * activation steps read. Every step's arithmetic is that of the ops the layers use (see ChainStep),
 * so the result equals the layers one by one (bit for bit on the pairs the layers compute the same
 * way; the mirrored half is the transpose of the upper one).
 * @module
 */
import type { ChainStep } from '../../backend.js';
import { NON_FINITE_PROBLEMS, NonFiniteKernelError } from '../../errors.js';
import type { Kernel } from '../../kernel.js';
import { mirrorUpperPairs } from '../../pair-blocks.js';
import { Scratch, adopt, borrow, newArray, offsetOf } from './arena.js';
import type { CnnPlan } from './cnn.js';
import { mirror } from './gram.js';
import { type NativeRule, nativeRulePrecheck } from './rule-ids.js';
import type { WasmRuntime } from './runtime.js';
import { WINDOW_POOL, WINDOW_TIED, slotScratch, specRecord, windowBuffer, windowPad } from './window.js';

/** Whether `k`'s arrays have the full layout's lengths (n·n·P² and n·P²). */
export function fullLengths(k: Kernel): boolean {
  const E = k.spatial.reduce((a, b) => a * b, 1) ** 2;
  return k.nngp.length === k.n1 * k.n2 * E && (!k.ntk || k.ntk.length === k.nngp.length) && k.var1.length === k.n1 * E && k.var2.length === k.n2 * E;
}

/** The smallest failure code (4·step + kind) among `count` i32 flags at byte `flags`, or 0x7fffffff. */
function firstFailure(rt: WasmRuntime, flags: number, count: number): number {
  let code = 0x7fffffff;
  for (const f of new Int32Array(rt.memory.buffer, flags, count)) code = Math.min(code, f);
  return code;
}

/**
 * Runs `steps` (planned by {@link planSteps} on a full-layout kernel; `natives` the pair steps'
 * native rules) and returns the new arrays in the plan's output layout. Throws
 * {@link NonFiniteKernelError} with `step` set, and the native rules' pre-check errors.
 */
export function runFullChain(rt: WasmRuntime, steps: readonly ChainStep[], natives: readonly (NativeRule | null)[], plan: CnnPlan, k: Kernel, inPlace: boolean): { nngp: Float64Array; ntk: Float64Array | null; var1: Float64Array; var2: Float64Array } {
  const { n1, n2 } = k;
  const sym = k.x1IsX2;
  const L = steps.length;
  const P = plan.positions;
  const P0 = P[0]!;
  const PL = P[L]!;
  const scratch = new Scratch(rt);
  try {
    const tab1 = P.map((p) => scratch.alloc(n1 * p * 8));
    const tab2 = sym ? tab1 : P.map((p) => scratch.alloc(n2 * p * 8));
    // Step records (assembly/cnn.ts): kind, 4 parameters, positions in, tables in (x1, x2).
    const rec = new Float64Array(8 * (L + 1));
    let block = 1;
    let slotDoubles = 1;
    let padDoubles = 1;
    steps.forEach((s, l) => {
      const spec = plan.specs[l];
      let head: number[];
      if (s.kind === 'affine') head = [0, s.w2, s.b2, 0, 0];
      else if (s.kind === 'pair') head = [1, natives[l]!.id, scratch.f64(natives[l]!.params.length ? natives[l]!.params : [0]), 0, 0];
      else if (s.kind === 'window') head = [2, s.w2, s.b2, s.trainable ? 1 : 0, specRecord(scratch, spec!)];
      else if (s.kind === 'flatten') head = [3, 0, 0, 0, 0];
      else {
        // a = 1/|w| (average) or 1, and a² as packages/layers pool.ts forms it.
        const a = s.average ? 1 / spec!.axes.reduce((t, x) => t * x.size, 1) : 1;
        head = [4, a * a, 0, 0, specRecord(scratch, spec!)];
      }
      rec.set([...head, P[l]!, tab1[l]!, tab2[l]!], 8 * l);
      if (spec) {
        slotDoubles = Math.max(slotDoubles, windowBuffer(spec, s.kind === 'pool' ? WINDOW_POOL : WINDOW_TIED));
        padDoubles = Math.max(padDoubles, windowPad(spec));
      }
    });
    for (const p of P) block = Math.max(block, p * p);
    rec.set([0, 0, 0, 0, 0, PL, tab1[L]!, tab2[L]!], 8 * L);
    const stepsOff = scratch.f64(rec);
    const { base, slots, count } = slotScratch(rt, scratch, 2 * block + 2 * slotDoubles + padDoubles);
    const slotArgs = [base, block, slotDoubles, padDoubles, slots, count];

    // The variance blocks first: they fill the q tables and name a failing step before the O(n²) pass.
    const selfRun = (v: Float64Array, n: number, which: number) => {
      const out = newArray(rt, n * PL * PL, false);
      const src = borrow(rt, v);
      const flags = scratch.alloc(n * 4);
      try {
        if (n > 0) rt.parallel('fullSelfTask', [stepsOff, L, which, src.offset, offsetOf(rt, out), flags, ...slotArgs], n);
      } finally {
        src.done();
      }
      return { out, code: firstFailure(rt, flags, n) };
    };
    const v1 = selfRun(k.var1, n1, 0);
    const v2 = sym ? v1 : selfRun(k.var2, n2, 1);
    const failed = Math.min(v1.code, v2.code);
    const lastGood = failed === 0x7fffffff ? L - 1 : failed >> 2;
    for (let l = 0; l <= lastGood; l++) {
      const s = steps[l]!;
      if (s.kind === 'pair') nativeRulePrecheck(s.rule, rt.f64(tab1[l]!, n1 * P[l]!), rt.f64(tab2[l]!, (sym ? n1 : n2) * P[l]!));
    }
    if (failed !== 0x7fffffff) throw new NonFiniteKernelError('', '', NON_FINITE_PROBLEMS[failed & 3]!, failed >> 2);

    const nngpIn = adopt(rt, k.nngp);
    const ntkIn = k.ntk ? adopt(rt, k.ntk) : null;
    const own = (a: Float64Array, src: Float64Array) => PL === P0 && (inPlace || a !== src) && a.length > 0;
    const nngp = own(nngpIn, k.nngp) ? nngpIn : newArray(rt, n1 * n2 * PL * PL, false);
    const ntk = ntkIn ? (own(ntkIn, k.ntk!) ? ntkIn : newArray(rt, n1 * n2 * PL * PL, false)) : null;
    if (n1 > 0 && n2 > 0) {
      const flags = scratch.alloc(n1 * n2 * 4);
      const o = (a: Float64Array | null) => (a && a.length > 0 ? offsetOf(rt, a) : 0);
      rt.parallel('fullPairTask', [o(nngpIn), o(ntkIn), o(nngp), o(ntk), n1, n2, sym ? 1 : 0, stepsOff, L, flags, ...slotArgs], n1 * n2);
      const code = firstFailure(rt, flags, n1 * n2);
      if (code !== 0x7fffffff) throw new NonFiniteKernelError('', '', NON_FINITE_PROBLEMS[code & 3]!, code >> 2);
      if (sym && PL === 1) mirror(rt, nngp, ntk, n1, 1);
      else if (sym) {
        mirrorUpperPairs(nngp, n1, PL, true);
        if (ntk) mirrorUpperPairs(ntk, n1, PL, true);
      }
    }
    return { nngp, ntk, var1: v1.out, var2: v2.out };
  } finally {
    scratch.free();
  }
}
