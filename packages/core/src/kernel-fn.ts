/**
 * Computing the infinite-width kernels of a network on data: builds the input kernel and runs
 * the layer's kernel rule; optionally tile by tile (each tile is a pure function of
 * (network, block of x1, block of x2), so tiles can be computed anywhere and assembled).
 * @module
 */
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import { NonFiniteKernelError, ShapeMismatchError } from './errors.js';
import { inputKernel, positionsOf, type Kernel, type KernelName } from './kernel.js';
import type { Layer } from './layer.js';
import { CHECKS_ITSELF, kernelProblem } from './serial-kernel.js';
import { sliceBatch, type Tensor } from './tensor.js';
import { singleKernel } from './values.js';

/** Options of {@link computeKernel}. */
export interface ComputeKernelOptions {
  /** Which kernels to compute (default both). The NTK costs about as much again as the NNGP. */
  get?: readonly KernelName[];
  /** The backend (default {@link cpuBackend}). */
  backend?: Backend;
}

/**
 * The NNGP Σ(x1, x2) and NTK Θ(x1, x2) of the infinitely wide network `layer`.
 * Inputs are (n, d) for fully-connected data or (n, …spatial, C); `x2` omitted or null means x1.
 *
 * With the WebAssembly backend (the default where available) the arrays are views on its shared
 * memory, reclaimed when garbage-collected; {@link releaseKernel} hands them back at once. Throws
 * NonFiniteKernelError naming the layer whose kernel overflows or turns NaN.
 */
export function computeKernel(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: ComputeKernelOptions = {}): Kernel {
  const backend = options.backend ?? cpuBackend;
  const get = options.get ?? ['nngp', 'ntk'];
  const k0 = inputKernel(x1, x2, { backend, ntk: get.includes('ntk') });
  // Inputs are finite (inputKernel checks), and |Σ⁰ᵢⱼ| ≤ √(qᵢqⱼ) bounds every partial sum (Cauchy–Schwarz),
  // so finite variances imply a finite Σ⁰ (Θ⁰ = 0): an O(n) check.
  const inputProblem = kernelProblem({ ...k0, nngp: k0.var1, ntk: null }, backend);
  if (inputProblem) throw new NonFiniteKernelError('', 'the input kernel ⟨x, x′⟩/C (inputs too large)', inputProblem);
  const out = singleKernel(layer.kernel(k0, { backend }), 'the network output');
  if (!(layer as { [CHECKS_ITSELF]?: boolean })[CHECKS_ITSELF]) {
    const problem = kernelProblem(out, backend);
    if (problem) throw new NonFiniteKernelError('', layer.describe ?? layer.type, problem);
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

/** Options of {@link computeKernelTiled}. */
export interface TiledOptions extends ComputeKernelOptions {
  /**
   * Rows (and columns) per tile; default: the largest tile whose two n×n kernels take at most
   * 1 GiB (8,192 rows for fully-connected data), so moderate sizes are a single tile computed
   * without copies.
   */
  tile?: number;
  /** Called after each tile with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Bytes of the Σ and Θ tiles the default tile size allows. */
const TILE_BYTES = 2 ** 30;

/** The default tile: rows t with 2 arrays of t²·P doubles ≤ {@link TILE_BYTES} (P = input positions). */
function defaultTile(x: Tensor): number {
  let P = 1;
  for (let a = 1; a < x.shape.length - 1; a++) P *= x.shape[a]!;
  return Math.max(256, Math.floor(Math.sqrt(TILE_BYTES / (16 * P))));
}

function copyBlock(dst: Float64Array, src: Float64Array, n2: number, P: number, i0: number, j0: number, bi: number, bj: number, transpose: boolean): void {
  if (!transpose) {
    for (let i = 0; i < bi; i++) dst.set(src.subarray(i * bj * P, (i + 1) * bj * P), ((i0 + i) * n2 + j0) * P);
    return;
  }
  // Blocked transpose: src row i (bj entries) becomes dst column i0 + i.
  const B = 64;
  for (let ib = 0; ib < bi; ib += B) {
    for (let jb = 0; jb < bj; jb += B) {
      for (let j = jb; j < Math.min(bj, jb + B); j++) {
        const d = ((j0 + j) * n2 + i0) * P;
        for (let i = ib; i < Math.min(bi, ib + B); i++) {
          const si = (i * bj + j) * P;
          for (let p = 0; p < P; p++) dst[d + i * P + p] = src[si + p]!;
        }
      }
    }
  }
}

/**
 * The same kernels as {@link computeKernel}, computed block by block to bound memory (and to let
 * a scheduler spread tiles over workers or machines). For x2 = x1 only tiles on and above the
 * diagonal are computed; the rest is mirrored. Results equal the untiled computation bit for bit.
 * A single tile is the untiled computation itself (no copy). Supports kernels stored on the
 * spatial diagonal (all fully-connected networks).
 */
export function computeKernelTiled(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: TiledOptions = {}): Kernel {
  const tile = options.tile ?? defaultTile(x1);
  const sym = x2 === null;
  const b = x2 ?? x1;
  const n1 = x1.shape[0]!;
  const n2 = b.shape[0]!;
  const blocks1 = Math.ceil(n1 / tile);
  const blocks2 = Math.ceil(n2 / tile);
  const total = sym ? (blocks1 * (blocks1 + 1)) / 2 : blocks1 * blocks2;
  if (total === 1) {
    const k = computeKernel(layer, x1, x2, options);
    options.onProgress?.(1, 1);
    return k;
  }
  const backend = options.backend ?? cpuBackend;
  let done = 0;
  let result: { nngp: Float64Array; ntk: Float64Array | null; var1: Float64Array; var2: Float64Array; proto: Kernel } | null = null;
  for (let bi = 0; bi < blocks1; bi++) {
    const i0 = bi * tile;
    const i1 = Math.min(n1, i0 + tile);
    const xa = sliceBatch(x1, i0, i1);
    for (let bj = sym ? bi : 0; bj < blocks2; bj++) {
      const j0 = bj * tile;
      const j1 = Math.min(n2, j0 + tile);
      const diag = sym && bi === bj;
      const k = computeKernel(layer, xa, diag ? null : sliceBatch(b, j0, j1), options);
      if (!k.diagonalSpatial) throw new ShapeMismatchError('computeKernelTiled supports kernels stored on the spatial diagonal only');
      const P = positionsOf(k);
      if (!result) {
        // The backend's arrays (a warm arena for the WebAssembly backend) unless that would pass 2 GiB.
        const len = n1 * n2 * P;
        const alloc = (m: number) => (len * 16 <= 2 ** 31 ? backend.zeros(m) : new Float64Array(m));
        result = {
          nngp: alloc(len),
          ntk: k.ntk ? alloc(len) : null,
          var1: new Float64Array(n1 * P),
          var2: sym ? new Float64Array(0) : new Float64Array(n2 * P),
          proto: k,
        };
        if (sym) result.var2 = result.var1;
      }
      const bi_ = i1 - i0;
      const bj_ = j1 - j0;
      copyBlock(result.nngp, k.nngp, n2, P, i0, j0, bi_, bj_, false);
      if (result.ntk && k.ntk) copyBlock(result.ntk, k.ntk, n2, P, i0, j0, bi_, bj_, false);
      if (sym && !diag) {
        copyBlock(result.nngp, k.nngp, n2, P, i0, j0, bi_, bj_, true);
        if (result.ntk && k.ntk) copyBlock(result.ntk, k.ntk, n2, P, i0, j0, bi_, bj_, true);
      }
      if (bj === (sym ? bi : 0)) result.var1.set(k.var1, i0 * P);
      if (!sym && bi === 0) result.var2.set(k.var2, j0 * P);
      if (k !== result.proto) releaseKernel(k, backend);
      options.onProgress?.(++done, total);
    }
  }
  if (!result) throw new ShapeMismatchError('computeKernelTiled needs at least one sample in each batch');
  const proto = result.proto;
  const out: Kernel = { ...proto, n1, n2, nngp: result.nngp, ntk: result.ntk, var1: result.var1, var2: result.var2, x1IsX2: sym, owned: false };
  releaseKernel(proto, backend);
  return out;
}
