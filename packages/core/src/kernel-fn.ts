/**
 * Computing the infinite-width kernels of a network on data: builds the input kernel and runs
 * the layer's kernel rule; optionally tile by tile (each tile is a pure function of
 * (network, block of x1, block of x2), so tiles can be computed anywhere and assembled).
 * @module
 */
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import { ShapeMismatchError } from './errors.js';
import { inputKernel, positionsOf, type Kernel, type KernelName } from './kernel.js';
import type { Layer } from './layer.js';
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
 */
export function computeKernel(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: ComputeKernelOptions = {}): Kernel {
  const backend = options.backend ?? cpuBackend;
  const get = options.get ?? ['nngp', 'ntk'];
  const k0 = inputKernel(x1, x2, { backend, ntk: get.includes('ntk') });
  const out = singleKernel(layer.kernel(k0, { backend }), 'the network output');
  return { ...out, owned: false };
}

/** Options of {@link computeKernelTiled}. */
export interface TiledOptions extends ComputeKernelOptions {
  /** Rows (and columns) per tile; default 512. */
  tile?: number;
  /** Called after each tile with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

function copyBlock(dst: Float64Array, src: Float64Array, n2: number, P: number, i0: number, j0: number, bi: number, bj: number, transpose: boolean): void {
  for (let i = 0; i < bi; i++) {
    for (let j = 0; j < bj; j++) {
      const s = (i * bj + j) * P;
      const d = transpose ? ((j0 + j) * n2 + (i0 + i)) * P : ((i0 + i) * n2 + (j0 + j)) * P;
      for (let p = 0; p < P; p++) dst[d + p] = src[s + p]!;
    }
  }
}

/**
 * The same kernels as {@link computeKernel}, computed block by block to bound memory (and to let
 * a scheduler spread tiles over workers or machines). For x2 = x1 only tiles on and above the
 * diagonal are computed; the rest is mirrored. Results equal the untiled computation.
 * Supports kernels stored on the spatial diagonal (all fully-connected networks).
 */
export function computeKernelTiled(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: TiledOptions = {}): Kernel {
  const tile = options.tile ?? 512;
  const sym = x2 === null;
  const b = x2 ?? x1;
  const n1 = x1.shape[0]!;
  const n2 = b.shape[0]!;
  const blocks1 = Math.ceil(n1 / tile);
  const blocks2 = Math.ceil(n2 / tile);
  const total = sym ? (blocks1 * (blocks1 + 1)) / 2 : blocks1 * blocks2;
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
        result = {
          nngp: new Float64Array(n1 * n2 * P),
          ntk: k.ntk ? new Float64Array(n1 * n2 * P) : null,
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
      options.onProgress?.(++done, total);
    }
  }
  if (!result) throw new ShapeMismatchError('computeKernelTiled needs at least one sample in each batch');
  return { ...result.proto, n1, n2, nngp: result.nngp, ntk: result.ntk, var1: result.var1, var2: result.var2, x1IsX2: sym, owned: false };
}
