/**
 * The WebAssembly backend: the Gram tensor, row norms, window sums, native pair maps (both
 * spatial layouts), fused chains (dense and activations; conv, activations, flatten and dense over
 * images) and the elementwise ops as WebAssembly SIMD kernels on the runtime's worker pool and
 * shared arena (./runtime.ts); results are views on that arena. Ops without a native form use the plain-JS
 * ones on the same arrays (pair maps of rules without a native form, matmuls), and linear algebra
 * is whatever ../linalg.ts provides. Where the runtime is off (`WIDE_KERNELS=js`, no SIMD) every
 * op is the plain-JS one.
 * @module
 */
import type { Backend, ChainStep, PairLayout } from '../../backend.js';
import type { Kernel } from '../../kernel.js';
import { positionsOf } from '../../kernel.js';
import { jsBackend, setDiagonal } from '../js.js';
import { newArray, releaseArray } from './arena.js';
import { nativeSteps, runChain } from './chain.js';
import { planSteps, runCnnChain } from './cnn.js';
import { fullLengths, runFullChain } from './cnn-full.js';
import { pairMapFull } from './pair-full.js';
import { wasmWindowSum, wasmWindowSumPairs } from './window.js';
import { wasmGram, wasmGramPairs, wasmRowNorms } from './gram.js';
import { wasmAffine, wasmCombine, wasmMultiply, wasmNonFinite } from './ops.js';
import { nativeRule } from './rule-ids.js';
import { type WasmRuntime, wasmRuntime } from './runtime.js';
import { cholesky, choleskySolve, eigh, eigvalsh } from '../linalg.js';

/** The layout of a kernel as pair maps see it. */
function layoutOf(k: Kernel): PairLayout {
  return { n1: k.n1, n2: k.n2, positions: positionsOf(k), diagonalSpatial: k.diagonalSpatial, symmetric: k.x1IsX2 };
}

/** An op that runs on the WebAssembly runtime when it is on (checked at every call), else the JS backend's. */
function either<A extends unknown[], R>(wasm: (rt: WasmRuntime, ...args: A) => R, js: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    const rt = wasmRuntime();
    return rt ? wasm(rt, ...args) : js(...args);
  };
}

/**
 * See {@link Backend.chain}. Same-position kernels: runs of affine and pair steps (./chain.ts), runs
 * with window or flatten steps one sample pair at a time (./cnn.ts). Kernels with all position
 * pairs: runs holding a window or pool step, one pair's P×P blocks at a time (./cnn-full.ts).
 * Null for the rest (a pool on same-position kernels, a full-layout run without a window or
 * pool, a rule without a native form, a window that does not fit the input).
 */
function chain(steps: readonly ChainStep[], k: Kernel): Kernel | null {
  const rt = wasmRuntime();
  if (!rt || steps.length === 0) return null;
  const natives = nativeSteps(steps);
  if (!natives) return null;
  const spatialSteps = steps.some((s) => s.kind === 'window' || s.kind === 'flatten' || s.kind === 'pool');
  const pooling = steps.some((s) => s.kind === 'pool');
  if (k.diagonalSpatial ? pooling : !steps.some((s) => s.kind === 'window' || s.kind === 'pool') || !fullLengths(k)) return null;
  const plan = planSteps(steps, k);
  if (!plan) return null;
  const r = !k.diagonalSpatial
    ? runFullChain(rt, steps, natives, plan, k, k.owned)
    : spatialSteps
      ? runCnnChain(rt, steps, natives, plan, k, k.owned)
      : runChain(rt, steps, natives, layoutOf(k), k, k.owned);
  return {
    ...k,
    spatial: plan.spatial,
    diagonalSpatial: plan.diagonalSpatial,
    nngp: r.nngp,
    ntk: r.ntk,
    var1: r.var1,
    var2: k.x1IsX2 ? r.var1 : r.var2,
    isGaussian: plan.isGaussian,
    channels: plan.channels,
    owned: true,
  };
}

/** Whether the arrays have the lengths a layout says (else the JS pair map reports the mismatch). */
function fits(layout: PairLayout, nngp: Float64Array, ntk: Float64Array | null, var1: Float64Array, var2: Float64Array): boolean {
  const E = layout.diagonalSpatial ? layout.positions : layout.positions * layout.positions;
  const n = nngp.length === layout.n1 * layout.n2 * E && (!ntk || ntk.length === nngp.length);
  return n && var1.length === layout.n1 * E && var2.length === layout.n2 * E;
}

/**
 * The WebAssembly SIMD backend (float64, relaxed-SIMD FMA where the engine has it): results equal
 * the plain-JS backend's to ~1e-15 relative (the Gram sums in another order; the pair rules use
 * vectorised acos/exp accurate to 1 ulp). Falls back op by op to {@link jsBackend} when the
 * WebAssembly runtime is off.
 */
export const wasmBackend: Backend = {
  name: 'wasm',
  zeros: either((rt, length: number) => newArray(rt, length, true), jsBackend.zeros),
  rowNorms: either(wasmRowNorms, jsBackend.rowNorms),
  gram: either(wasmGram, jsBackend.gram),
  gramPairs: either(wasmGramPairs, jsBackend.gramPairs),
  windowSum: either(wasmWindowSum, jsBackend.windowSum),
  windowSumPairs: either(wasmWindowSumPairs, jsBackend.windowSumPairs),
  setDiagonal,
  affine: either(wasmAffine, jsBackend.affine),
  combine: either(wasmCombine, jsBackend.combine),
  multiply: either(wasmMultiply, jsBackend.multiply),
  pairMap(rule, layout, nngp, ntk, var1, var2, inPlace) {
    const rt = wasmRuntime();
    const native = rt && fits(layout, nngp, ntk, var1, var2) ? nativeRule(rule) : null;
    if (!rt || !native) return jsBackend.pairMap(rule, layout, nngp, ntk, var1, var2, inPlace);
    if (!layout.diagonalSpatial) return pairMapFull(rt, rule, native, layout, nngp, ntk, var1, var2, inPlace);
    return runChain(rt, [{ kind: 'pair', rule }], [native], layout, { nngp, ntk, var1, var2 }, inPlace);
  },
  chain,
  nonFinite: either(wasmNonFinite, jsBackend.nonFinite!),
  release: releaseArray,
  matmulABt: jsBackend.matmulABt,
  matmulAB: jsBackend.matmulAB,
  matmulAtB: jsBackend.matmulAtB,
  cholesky,
  choleskySolve,
  eigvalsh,
  eigh,
};
