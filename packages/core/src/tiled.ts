/**
 * The tiled kernel driver: the n1×n2 kernel computed block by block within a memory limit. Each
 * tile is a pure function of (network, block of x1, block of x2), so tiles can be computed
 * anywhere and assembled.
 * @module
 */
import { cpuBackend } from './cpu/index.js';
import { ShapeMismatchError } from './errors.js';
import { entriesPerPair, positionsOf, type Kernel } from './kernel.js';
import { kernelOf, releaseKernel, type ComputeKernelOptions } from './kernel-fn.js';
import type { Layer } from './layer.js';
import { resolveLayout } from './layout.js';
import { assertFits, estimateKernelMemory } from './memory.js';
import { placeTile, placeTileMirrored } from './pair-blocks.js';
import { sliceBatch, type Tensor } from './tensor.js';

/** Options of {@link computeKernelTiled}. */
export interface TiledOptions extends ComputeKernelOptions {
  /**
   * Rows (and columns) per tile. Default: the largest tile whose estimated peak
   * ({@link estimateKernelMemory}: the tile's arrays in the layout actually used, t²·P numbers
   * per array on the diagonal layout and t²·P² on the full one, plus the assembled output) fits
   * `maxMemory`, and whose Σ and Θ tiles take at most 1 GiB together (8,192 rows for
   * fully-connected data, 292 for 28×28 images on the diagonal layout, 10 on the full one), so
   * moderate sizes are a single tile computed without copies. A given tile that does not fit
   * `maxMemory` throws MemoryLimitError.
   */
  tile?: number;
  /** Called after each tile with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The assembled kernel while tiles arrive. */
interface Assembly {
  nngp: Float64Array;
  ntk: Float64Array | null;
  var1: Float64Array;
  var2: Float64Array;
  /** The first tile's kernel (layout, spatial shape, channels, flags). */
  proto: Kernel;
}

/**
 * The same kernels as {@link computeKernel}, computed block by block to bound memory (and to let
 * a scheduler spread tiles over workers or machines), on either spatial layout. For x2 = x1 only
 * tiles on and above the diagonal are computed; the rest is mirrored (transposed in the position
 * pair on the full layout). Results equal the untiled computation bit for bit. A single tile is
 * the untiled computation itself (no copy). Before starting, the estimated peak is checked
 * against `maxMemory`: MemoryLimitError when even a 1×1 tile plus the output, or the given
 * `tile`, does not fit.
 */
export function computeKernelTiled(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: TiledOptions = {}): Kernel {
  const backend = options.backend ?? cpuBackend;
  const get = options.get ?? ['nngp', 'ntk'];
  const layout = resolveLayout(layer, options.layout ?? 'auto');
  const plan = estimateKernelMemory(layer, x1.shape, x2 ? x2.shape : null, { get, layout, tile: options.tile, maxMemory: options.maxMemory });
  assertFits(plan);
  const tile = plan.tile;
  const sym = x2 === null;
  const b = x2 ?? x1;
  const n1 = x1.shape[0]!;
  const n2 = b.shape[0]!;
  const blocks1 = Math.ceil(n1 / tile);
  const blocks2 = Math.ceil(n2 / tile);
  const total = sym ? (blocks1 * (blocks1 + 1)) / 2 : blocks1 * blocks2;
  if (total === 1) {
    const k = kernelOf(layer, x1, x2, backend, get, layout);
    options.onProgress?.(1, 1);
    return k;
  }
  let done = 0;
  let result: Assembly | null = null;
  for (let bi = 0; bi < blocks1; bi++) {
    const i0 = bi * tile;
    const i1 = Math.min(n1, i0 + tile);
    const xa = sliceBatch(x1, i0, i1);
    for (let bj = sym ? bi : 0; bj < blocks2; bj++) {
      const j0 = bj * tile;
      const j1 = Math.min(n2, j0 + tile);
      const diag = sym && bi === bj;
      const k = kernelOf(layer, xa, diag ? null : sliceBatch(b, j0, j1), backend, get, layout);
      const E = entriesPerPair(k);
      if (!result) {
        // The backend's arrays (a warm arena for the WebAssembly backend) unless that would pass 2 GiB.
        const len = n1 * n2 * E;
        const alloc = (m: number) => (len * 16 <= 2 ** 31 ? backend.zeros(m) : new Float64Array(m));
        const var1 = new Float64Array(n1 * E);
        result = { nngp: alloc(len), ntk: k.ntk ? alloc(len) : null, var1, var2: sym ? var1 : new Float64Array(n2 * E), proto: k };
      }
      const bi_ = i1 - i0;
      const bj_ = j1 - j0;
      placeTile(result.nngp, k.nngp, n2, E, i0, j0, bi_, bj_);
      if (result.ntk && k.ntk) placeTile(result.ntk, k.ntk, n2, E, i0, j0, bi_, bj_);
      if (sym && !diag) {
        const P = positionsOf(k);
        placeTileMirrored(result.nngp, k.nngp, n2, P, !k.diagonalSpatial, i0, j0, bi_, bj_);
        if (result.ntk && k.ntk) placeTileMirrored(result.ntk, k.ntk, n2, P, !k.diagonalSpatial, i0, j0, bi_, bj_);
      }
      if (bj === (sym ? bi : 0)) result.var1.set(k.var1, i0 * E);
      if (!sym && bi === 0) result.var2.set(k.var2, j0 * E);
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
