/**
 * The WebAssembly backend: the Gram tensor, row norms, native pair maps, fused chains and the
 * elementwise ops as WebAssembly SIMD kernels on the runtime's worker pool and shared arena
 * (./runtime.ts); results are views on that arena. Ops without a native form use the plain-JS
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
import { wasmGram, wasmRowNorms } from './gram.js';
import { wasmAffine, wasmCombine, wasmMultiply, wasmNonFinite } from './ops.js';
import { nativeRule } from './rule-ids.js';
import { wasmRuntime } from './runtime.js';
import { cholesky, choleskySolve, eigh, eigvalsh } from '../linalg.js';

/** The layout of a kernel as pair maps see it. */
function layoutOf(k: Kernel): PairLayout {
  return { n1: k.n1, n2: k.n2, positions: positionsOf(k), diagonalSpatial: k.diagonalSpatial, symmetric: k.x1IsX2 };
}

/** See {@link Backend.chain}. */
function chain(steps: readonly ChainStep[], k: Kernel): Kernel | null {
  const rt = wasmRuntime();
  if (!rt || !k.diagonalSpatial || steps.length === 0) return null;
  const natives = nativeSteps(steps);
  if (!natives) return null;
  const r = runChain(rt, steps, natives, layoutOf(k), k, k.owned);
  let channels = k.channels;
  for (const s of steps) if (s.kind === 'affine') channels = s.channels;
  const last = steps[steps.length - 1]!;
  return { ...k, nngp: r.nngp, ntk: r.ntk, var1: r.var1, var2: k.x1IsX2 ? r.var1 : r.var2, isGaussian: last.kind === 'affine', channels, owned: true };
}

/**
 * The WebAssembly SIMD backend (float64, relaxed-SIMD FMA where the engine has it): results equal
 * the plain-JS backend's to ~1e-15 relative (the Gram sums in another order; the pair rules use
 * vectorised acos/exp accurate to 1 ulp). Falls back op by op to {@link jsBackend} when the
 * WebAssembly runtime is off.
 */
export const wasmBackend: Backend = {
  name: 'wasm',
  zeros(length) {
    const rt = wasmRuntime();
    return rt ? newArray(rt, length, true) : jsBackend.zeros(length);
  },
  rowNorms(x, rows, channels, scale) {
    const rt = wasmRuntime();
    return rt ? wasmRowNorms(rt, x, rows, channels, scale) : jsBackend.rowNorms(x, rows, channels, scale);
  },
  gram(a, b, n1, n2, P, C, scale) {
    const rt = wasmRuntime();
    return rt ? wasmGram(rt, a, b, n1, n2, P, C, scale) : jsBackend.gram(a, b, n1, n2, P, C, scale);
  },
  setDiagonal,
  affine(x, alpha, beta, out) {
    const rt = wasmRuntime();
    return rt ? wasmAffine(rt, x, alpha, beta, out) : jsBackend.affine(x, alpha, beta, out);
  },
  combine(a, x, b, y, out) {
    const rt = wasmRuntime();
    return rt ? wasmCombine(rt, a, x, b, y, out) : jsBackend.combine(a, x, b, y, out);
  },
  multiply(x, y, out) {
    const rt = wasmRuntime();
    return rt ? wasmMultiply(rt, x, y, out) : jsBackend.multiply(x, y, out);
  },
  pairMap(rule, layout, nngp, ntk, var1, var2, inPlace) {
    const rt = wasmRuntime();
    const native = rt && layout.diagonalSpatial ? nativeRule(rule) : null;
    if (!rt || !native) return jsBackend.pairMap(rule, layout, nngp, ntk, var1, var2, inPlace);
    return runChain(rt, [{ kind: 'pair', rule }], [native], layout, { nngp, ntk, var1, var2 }, inPlace);
  },
  chain,
  nonFinite(x) {
    const rt = wasmRuntime();
    return rt ? wasmNonFinite(rt, x) : jsBackend.nonFinite!(x);
  },
  release: releaseArray,
  matmulABt: jsBackend.matmulABt,
  matmulAB: jsBackend.matmulAB,
  matmulAtB: jsBackend.matmulAtB,
  cholesky,
  choleskySolve,
  eigvalsh,
  eigh,
};
