/**
 * The fused chain of the WebAssembly backend over images (assembly/cnn.ts): a run of conv
 * (`window`), activation (`pair`), dense (`affine`) and `flatten` steps on a kernel stored on the
 * spatial diagonal, one sample pair at a time with its P-vectors of Σ and Θ in cache (a CNN-V of
 * depth 21 on 28×28 images keeps 2 × 6 KiB in L1 through 41 steps instead of streaming n²·P
 * numbers through memory per layer).
 *
 * As in ./chain.ts, the variance tables q⁽ˡ⁾ (n·Pₗ numbers per step) are computed first by the same
 * code (assembly `cnnVarTask`), so a symmetric kernel's diagonal pairs reproduce them bit for bit;
 * they are checked before the O(n²) pass, which names the first failing step of each task through
 * memory. Every step's arithmetic is the plain-JS ops' (see ChainStep), so the result equals the
 * layers run one by one bit for bit.
 * @module
 */
import type { ChainStep, WindowSpec } from '../../backend.js';
import { NON_FINITE_PROBLEMS, NonFiniteKernelError, nonFiniteKind } from '../../errors.js';
import type { Kernel } from '../../kernel.js';
import { Scratch, adopt, newArray, offsetOf } from './arena.js';
import { mirror } from './gram.js';
import { type NativeRule, nativeRulePrecheck } from './rule-ids.js';
import type { WasmRuntime } from './runtime.js';
import { WINDOW_SAME, slotScratch, specPositions, specRecord, windowBuffer, windowPad } from './window.js';

/** Step-positions per task (pairs per task follow from it): short tasks keep the first, un-optimised call short. */
const TASK_WORK = 1 << 16;

/** A chain's steps resolved on an input: each window's spec, the positions entering every step (and after the last), and the output's metadata. */
export interface CnnPlan {
  readonly specs: readonly (WindowSpec | null)[];
  readonly positions: readonly number[];
  readonly spatial: readonly number[];
  readonly diagonalSpatial: boolean;
  readonly channels: number;
  readonly isGaussian: boolean;
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/**
 * Resolves the windows of `steps` on a kernel of spatial shape `k.spatial`, tracking the output's
 * metadata as the layers do: null when a spec does not take that input (its rank or sizes
 * differ), a step has no positions, or a pool step meets a same-position kernel of several
 * positions, so that the layers run one by one and report it.
 */
export function planSteps(steps: readonly ChainStep[], k: Pick<Kernel, 'spatial' | 'channels' | 'isGaussian' | 'diagonalSpatial'>): CnnPlan | null {
  let spatial = k.spatial;
  let diagonal = k.diagonalSpatial;
  let channels = k.channels;
  let gaussian = k.isGaussian;
  const positions = [prod(spatial)];
  const specs: (WindowSpec | null)[] = [];
  const fits = (spec: WindowSpec) => spec.axes.length === spatial.length && spec.axes.every((a, i) => a.in === spatial[i]);
  for (const s of steps) {
    let spec: WindowSpec | null = null;
    if (s.kind === 'window' || s.kind === 'pool') {
      if (s.kind === 'pool' && diagonal && prod(spatial) > 1) return null;
      spec = s.spec(spatial);
      if (!fits(spec)) return null;
      const out = spec.axes.map((a) => a.out);
      if (s.kind === 'window') {
        spatial = out;
        channels = s.channels;
        gaussian = true;
      } else {
        // Pooling (packages/layers pool.ts): no spatial axes when global; one position is stored on the diagonal.
        spatial = s.global ? [] : out;
        if (prod(out) === 1) diagonal = true;
      }
    } else if (s.kind === 'flatten') {
      // Flatten's metadata (packages/layers flatten.ts): channels·P, Gaussian only when P = 1.
      const p = positions[positions.length - 1]!;
      channels *= p;
      gaussian = gaussian && p === 1;
      spatial = [];
      diagonal = true;
    } else if (s.kind === 'affine') {
      channels = s.channels;
      gaussian = true;
    } else {
      gaussian = false;
    }
    specs.push(spec);
    positions.push(prod(spatial));
  }
  if (positions.includes(0)) return null;
  return { specs, positions, spatial, diagonalSpatial: diagonal, channels, isGaussian: gaussian };
}

/**
 * Runs `steps` (planned by {@link planSteps}; `natives` the pair steps' native rules) over a
 * same-position kernel and returns the new arrays: Σ and Θ in place when the positions do not
 * change and `inPlace` (or the input was copied into WebAssembly memory), else new arena arrays.
 * Throws {@link NonFiniteKernelError} with `step` set, and the native rules' pre-check errors.
 */
export function runCnnChain(rt: WasmRuntime, steps: readonly ChainStep[], natives: readonly (NativeRule | null)[], plan: CnnPlan, k: Kernel, inPlace: boolean): { nngp: Float64Array; ntk: Float64Array | null; var1: Float64Array; var2: Float64Array } {
  const { n1, n2 } = k;
  const sym = k.x1IsX2;
  const L = steps.length;
  const P = plan.positions;
  const scratch = new Scratch(rt);
  try {
    const tables = (v: Float64Array, n: number) => {
      const offs = P.map((p) => scratch.alloc(n * p * 8));
      rt.f64(offs[0]!, n * P[0]!).set(v);
      return offs;
    };
    const tab1 = tables(k.var1, n1);
    const tab2 = sym ? tab1 : tables(k.var2, n2);
    // Step records (assembly/cnn.ts): kind, 4 parameters, positions in, tables in (x1, x2).
    const rec = new Float64Array(8 * (L + 1));
    let slotDoubles = 1;
    let padDoubles = 1;
    let work = 0;
    steps.forEach((s, l) => {
      const head =
        s.kind === 'affine'
          ? [0, s.w2, s.b2, 0, 0]
          : s.kind === 'pair'
            ? [1, natives[l]!.id, scratch.f64(natives[l]!.params.length ? natives[l]!.params : [0]), 0, 0]
            : s.kind === 'window'
              ? [2, s.w2, s.b2, s.trainable ? 1 : 0, specRecord(scratch, plan.specs[l]!)]
              : [3, 0, 0, 0, 0];
      rec.set([...head, P[l]!, tab1[l]!, tab2[l]!], 8 * l);
      if (s.kind === 'window') {
        slotDoubles = Math.max(slotDoubles, windowBuffer(plan.specs[l]!, WINDOW_SAME));
        padDoubles = Math.max(padDoubles, windowPad(plan.specs[l]!));
        work += 4 * (P[l]! + specPositions(plan.specs[l]!).pout);
      } else work += P[l]!;
    });
    rec.set([0, 0, 0, 0, 0, P[L]!, tab1[L]!, tab2[L]!], 8 * L);
    const stepsOff = scratch.f64(rec);
    const maxP = Math.max(1, ...P);
    const { base, slots, count } = slotScratch(rt, scratch, 2 * maxP + 2 * slotDoubles + padDoubles);
    const slotArgs = [base, maxP, slotDoubles, padDoubles, slots, count];

    // Variance tables first: O(n·L), and they name the failing step before the O(n²) pass.
    const perTask = Math.max(1, Math.floor(TASK_WORK / Math.max(1, work)));
    const varTables = (which: number, n: number) => {
      if (n > 0) rt.parallel('cnnVarTask', [stepsOff, L, which, n, perTask, ...slotArgs], Math.ceil(n / perTask));
    };
    varTables(0, n1);
    if (!sym) varTables(1, n2);
    const table = (offs: number[], n: number, l: number) => rt.f64(offs[l]!, n * P[l]!);
    for (let l = 0; l < L; l++) {
      const s = steps[l]!;
      if (s.kind === 'pair') nativeRulePrecheck(s.rule, table(tab1, n1, l), table(tab2, sym ? n1 : n2, l));
      const bad = Math.max(nonFiniteKind(table(tab1, n1, l + 1)), sym ? 0 : nonFiniteKind(table(tab2, n2, l + 1)));
      if (bad) throw new NonFiniteKernelError('', '', NON_FINITE_PROBLEMS[bad - 1]!, l);
    }

    const nngpIn = adopt(rt, k.nngp);
    const ntkIn = k.ntk ? adopt(rt, k.ntk) : null;
    const PL = P[L]!;
    const same = PL === P[0];
    const own = (a: Float64Array, src: Float64Array) => same && (inPlace || a !== src) && a.length > 0;
    const nngp = own(nngpIn, k.nngp) ? nngpIn : newArray(rt, n1 * n2 * PL, false);
    const ntk = ntkIn ? (own(ntkIn, k.ntk!) ? ntkIn : newArray(rt, n1 * n2 * PL, false)) : null;
    if (n1 > 0 && n2 > 0 && PL > 0) {
      const J = Math.max(1, Math.min(n2, perTask));
      const tasks = n1 * Math.ceil(n2 / J);
      const flags = scratch.alloc(tasks * 4);
      const o = (a: Float64Array | null) => (a && a.length > 0 ? offsetOf(rt, a) : 0);
      rt.parallel('cnnTask', [o(nngpIn), o(ntkIn), o(nngp), o(ntk), n1, n2, sym ? 1 : 0, stepsOff, L, flags, J, ...slotArgs], tasks);
      let code = 0x7fffffff;
      for (const f of new Int32Array(rt.memory.buffer, flags, tasks)) code = Math.min(code, f);
      if (code !== 0x7fffffff) throw new NonFiniteKernelError('', '', NON_FINITE_PROBLEMS[code & 3]!, code >> 2);
      if (sym) mirror(rt, nngp, ntk, n1, PL);
    }
    const var1 = table(tab1, n1, L).slice();
    const var2 = sym ? var1 : table(tab2, n2, L).slice();
    return { nngp, ntk, var1, var2 };
  } finally {
    scratch.free();
  }
}
