/**
 * Computing the infinite-width kernels of a network on data: picks the spatial layout
 * (./layout.ts), checks the memory estimate against the limit (./memory.ts), builds the input
 * kernel and runs the layer's kernel rule. The tiled driver is in ./tiled.ts.
 * @module
 */
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import { NonFiniteKernelError } from './errors.js';
import { inputKernel, positionsOf, type Kernel, type KernelName } from './kernel.js';
import type { Layer } from './layer.js';
import { resolveLayout, type LayoutOption, type SpatialLayout } from './layout.js';
import { assertFits, estimateKernelMemory } from './memory.js';
import { mirrorUpperPairs } from './pair-blocks.js';
import { CHECKS_ITSELF, kernelProblem } from './serial-kernel.js';
import type { Tensor } from './tensor.js';
import { singleKernel } from './values.js';

/** Options of {@link computeKernel}. */
export interface ComputeKernelOptions {
  /** Which kernels to compute (default both). The NTK costs about as much again as the NNGP. */
  get?: readonly KernelName[];
  /** The backend (default {@link cpuBackend}). */
  backend?: Backend;
  /**
   * Spatial layout (./layout.ts): `auto` (default) keeps all position pairs only when some layer
   * needs them ({@link spatialLayout}); `full` always does (the test oracle: the same kernels as
   * the diagonal path); `diagonal` on a network that needs position pairs throws
   * InvalidArchitectureError naming the layer.
   */
  layout?: LayoutOption;
  /**
   * Memory limit in bytes (default: half the machine's memory, at most 8 GiB; 2 GiB where it
   * cannot be read). A computation whose estimated peak ({@link estimateKernelMemory}) exceeds it
   * throws MemoryLimitError before starting.
   */
  maxMemory?: number;
}

/**
 * The NNGP Σ(x1, x2) and NTK Θ(x1, x2) of the infinitely wide network `layer`.
 * Inputs are (n, d) for fully-connected data or (n, …spatial, C); `x2` omitted or null means x1.
 * The result keeps all position pairs (`diagonalSpatial` false) only where the network's output
 * has spatial axes and the computation ran on the full layout.
 *
 * With the WebAssembly backend (the default where available) the arrays are views on its shared
 * memory, reclaimed when garbage-collected; {@link releaseKernel} hands them back at once. Throws
 * NonFiniteKernelError naming the layer whose kernel overflows or turns NaN, MemoryLimitError
 * when the estimated peak exceeds `maxMemory` (the untiled computation: see
 * {@link computeKernelTiled} for bounded memory).
 */
export function computeKernel(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: ComputeKernelOptions = {}): Kernel {
  const get = options.get ?? ['nngp', 'ntk'];
  const layout = resolveLayout(layer, options.layout ?? 'auto');
  const whole = Math.max(1, x1.shape[0] ?? 0, x2?.shape[0] ?? 0);
  assertFits(estimateKernelMemory(layer, x1.shape, x2 ? x2.shape : null, { get, layout, tile: whole, maxMemory: options.maxMemory }));
  return kernelOf(layer, x1, x2, options.backend ?? cpuBackend, get, layout);
}

/**
 * {@link computeKernel} without the layout analysis and the memory check (the tiled driver has
 * done both). For x2 = x1 on the full layout the result is made exactly symmetric from its upper
 * sample blocks, as the tiled driver assembles it (pooling sums its tap pairs in an order that
 * differs between K(xᵢ, xⱼ)ₚₚ′ and K(xⱼ, xᵢ)ₚ′ₚ in the last bits), so tiled = untiled bit for bit.
 */
export function kernelOf(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null, backend: Backend, get: readonly KernelName[], layout: SpatialLayout): Kernel {
  const k0 = inputKernel(x1, x2, { backend, ntk: get.includes('ntk'), layout });
  // Inputs are finite (inputKernel checks), and |Σ⁰ᵢⱼ| ≤ √(qᵢqⱼ) bounds every partial sum (Cauchy–Schwarz),
  // so finite variances imply a finite Σ⁰ (Θ⁰ = 0): an O(n) check.
  const inputProblem = kernelProblem({ ...k0, nngp: k0.var1, ntk: null }, backend);
  if (inputProblem) throw new NonFiniteKernelError('', 'the input kernel ⟨x, x′⟩/C (inputs too large)', inputProblem);
  const out = singleKernel(layer.kernel(k0, { backend }), 'the network output');
  if (!(layer as { [CHECKS_ITSELF]?: boolean })[CHECKS_ITSELF]) {
    const problem = kernelProblem(out, backend);
    if (problem) throw new NonFiniteKernelError('', layer.describe ?? layer.type, problem);
  }
  if (x2 === null && layout === 'full') {
    const P = positionsOf(out);
    for (const a of [out.nngp, out.ntk]) if (a) mirrorUpperPairs(a, out.n1, P, !out.diagonalSpatial);
  }
  return { ...out, owned: false };
}

/**
 * Hands the arrays of a kernel from {@link computeKernel} back to the backend's memory at once
 * (the WebAssembly backend otherwise reclaims them when they are garbage-collected, which never
 * happens during a synchronous loop of computations); `k` must not be used afterwards.
 */
export function releaseKernel(k: Kernel, backend: Backend = cpuBackend): void {
  if (!backend.release) return;
  for (const a of new Set([k.nngp, k.ntk, k.var1, k.var2])) if (a) backend.release(a);
}
