/**
 * How much memory a kernel computation takes at its peak, the limit it is checked against, and
 * the tile the tiled driver picks so that it stays within that limit.
 *
 * The model, in float64 numbers (8 bytes each), for a tile of a×b samples (x1 rows by x2 columns):
 * - E = entries per sample pair of one kernel array at the widest layer: P (diagonal layout) or P²
 *   (full layout), P = input positions (no layer adds positions: conv keeps or shrinks them,
 *   pooling and flatten shrink them). 28×28 images on the full layout: E = 614,656.
 * - While a layer runs, its input and output Σ (and Θ, when the NTK is computed) are alive, plus
 *   on spatial inputs two temporaries per kernel (a separable window sum builds its result one
 *   axis at a time: the previous axis's array and the next), plus one more set per branch held by
 *   a `parallel` (its finished branches) or a `residual` (the skip):
 *   `sets` = 2 + 2·[P > 1] + branches. The variances follow the same sets, E numbers per sample
 *   of each batch.
 *   tile bytes = 8 · sets · (a·b·E·kernels + (a + b)·E).
 * - When the kernel takes more than one tile, the assembled output is alive throughout:
 *   8 · (n1·n2·E_out·kernels + (n1 + n2)·E_out), E_out = entries per pair of the output (P_out or
 *   P_out², P_out from the network's output shape).
 * - peak = tile bytes (one tile: the computation is the untiled one, no copy), or tile bytes +
 *   assembled output.
 * The input tensors (the caller's) and the per-layer variance tables of fused chains (O(n·P)) are
 * not counted. This is meant as a bit conservative: for a CNN-GAP on the JS backend the live
 * arrays at the peak come to about 0.75 of it, and the arrays allocated, garbage not yet
 * collected included, to about 1.5 (test/spatial-memory.test.ts).
 * @module
 */
import { MemoryLimitError, WideError } from './errors.js';
import type { KernelName } from './kernel.js';
import type { AnyLayer } from './combinators.js';
import { resolveLayout, type LayoutOption, type SpatialLayout } from './layout.js';
import { Rng } from './rng.js';
import { batchLayout, sizeOf } from './tensor.js';


/** The default limit never exceeds this: 8 GiB. */
export const MAX_DEFAULT_MEMORY = 8 * 2 ** 30;

/** The default limit where the machine's memory cannot be read (a browser): 2 GiB. */
export const FALLBACK_MEMORY = 2 * 2 ** 30;

/**
 * Bytes of one Σ/Θ pair of tiles the default tile stays within even under a larger limit (1 GiB:
 * 8,192 rows for fully-connected data), so that single tiles fit the WebAssembly arena (4 GiB)
 * and tiles stay cheap to copy.
 */
const TILE_BYTES = 2 ** 30;

/** The machine's memory in bytes, or null where `node:os` is not available (read without importing it, so that core loads in a browser). */
function totalMemory(): number | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const os = proc?.getBuiltinModule?.('node:os') as { totalmem?: () => number } | undefined;
    const total = os?.totalmem?.();
    return typeof total === 'number' && Number.isFinite(total) && total > 0 ? total : null;
  } catch {
    return null;
  }
}

/** The default memory limit: half the machine's memory, at most 8 GiB; 2 GiB where it cannot be read. */
export function defaultMaxMemory(): number {
  const total = totalMemory();
  return total === null ? FALLBACK_MEMORY : Math.min(MAX_DEFAULT_MEMORY, Math.floor(total / 2));
}

/** Options of {@link estimateKernelMemory} (those of the kernel drivers that matter to memory). */
export interface MemoryOptions {
  /** Which kernels are computed (default both). */
  get?: readonly KernelName[];
  /** The layout option (default `auto`), see ./layout.ts. */
  layout?: LayoutOption;
  /** Rows (and columns) per tile; default: the driver's choice. For computeKernel, which never tiles, pass max(n1, n2). */
  tile?: number;
  /** The memory limit in bytes (default {@link defaultMaxMemory}). */
  maxMemory?: number;
}

/** What {@link estimateKernelMemory} returns. */
export interface KernelMemoryEstimate {
  /** Estimated peak bytes with the tile below. */
  readonly bytes: number;
  /** The limit (maxMemory or the default). */
  readonly limit: number;
  /** Whether the estimate is within the limit. */
  readonly fits: boolean;
  /** Rows (and columns) per tile: the given one, or the largest within the limit (1 when none fits). */
  readonly tile: number;
  /** Number of tiles computed (the upper triangle only when x2 is x1). */
  readonly tiles: number;
  /** The layout the computation runs in. */
  readonly layout: SpatialLayout;
  /** Bytes alive while one tile is computed. */
  readonly tileBytes: number;
  /** Bytes of the assembled output (0 when one tile is the whole kernel). */
  readonly outputBytes: number;
  /** The computation in words, e.g. `the kernel of 500×500 samples in tiles of 20×20 (all position pairs of 784 positions, NNGP and NTK)`. */
  readonly what: string;
}

/** Throws unless `maxMemory` is a positive number of bytes; returns the limit to use. */
export function memoryLimit(maxMemory: number | undefined): number {
  if (maxMemory === undefined) return defaultMaxMemory();
  if (typeof maxMemory !== 'number' || !(maxMemory > 0) || !Number.isFinite(maxMemory)) {
    throw new WideError('USAGE', `maxMemory: expected a number of bytes > 0, got ${String(maxMemory)}`);
  }
  return maxMemory;
}

/** Extra kernel sets held by branches: a parallel keeps its finished branches, a residual its skip. */
function branchSets(l: AnyLayer): number {
  const subs = l.sublayers ?? [];
  let inner = 0;
  for (const s of subs) inner = Math.max(inner, branchSets(s));
  if (l.type === 'parallel') return Math.max(0, subs.length - 1) + inner;
  if (l.type === 'residual') return 1 + inner;
  return inner;
}

/**
 * Positions of the network's output for per-sample input shape `sample`, from `init`'s output
 * shape with every trainable width set to 1 (cheap: no large parameter), or to the input channel
 * count when that fails (a skip connection adding the input to a branch); null when both fail.
 */
function outputPositions(layer: AnyLayer, sample: readonly number[]): number | null {
  for (const width of [1, sample[sample.length - 1]!]) {
    try {
      const out = layer.init(new Rng(0), sample, { width }).outputShape;
      if (out.length > 0 && Array.isArray(out[0])) return null;
      const s = out as readonly number[];
      return sizeOf(s.slice(0, -1));
    } catch {
      // try the next width
    }
  }
  return null;
}

/** The cost model of one computation (see the module comment). */
interface Model {
  readonly n1: number;
  readonly n2: number;
  readonly sym: boolean;
  readonly kernels: number;
  readonly P: number;
  readonly E: number;
  readonly sets: number;
  readonly layout: SpatialLayout;
}

const tileCost = (m: Model, a: number, b: number) => 8 * m.sets * (a * b * m.E * m.kernels + (a + b) * m.E);

/** Tiles the driver computes with rows per tile t. */
function tileCount(m: Model, t: number): number {
  const b1 = Math.ceil(m.n1 / t);
  return m.sym ? (b1 * (b1 + 1)) / 2 : b1 * Math.ceil(m.n2 / t);
}

/**
 * The estimated peak memory of computing `layer`'s kernels on inputs of shapes `x1Shape` and
 * `x2Shape` (null: x2 = x1) with {@link computeKernelTiled} (or {@link computeKernel}: pass
 * `tile` ≥ max(n1, n2)), with the tile it would use: the given `tile`, else the largest within the
 * limit (and within 1 GiB per pair of Σ/Θ tiles); see the module comment for what is counted.
 * Throws InvalidArchitectureError for `layout: 'diagonal'` on a network that needs position pairs.
 */
export function estimateKernelMemory(layer: AnyLayer, x1Shape: readonly number[], x2Shape: readonly number[] | null, options: MemoryOptions = {}): KernelMemoryEstimate {
  const limit = memoryLimit(options.maxMemory);
  const l1 = batchLayout(x1Shape);
  const n2 = x2Shape ? batchLayout(x2Shape).n : l1.n;
  const layout = resolveLayout(layer, options.layout ?? 'auto');
  const P = l1.positions;
  const m: Model = {
    n1: l1.n,
    n2,
    sym: x2Shape === null,
    kernels: (options.get ?? ['nngp', 'ntk']).includes('ntk') ? 2 : 1,
    P,
    E: layout === 'full' ? P * P : P,
    sets: 2 + (P > 1 ? 2 : 0) + branchSets(layer),
    layout,
  };
  const whole = Math.max(1, m.n1, m.sym ? 0 : m.n2);
  const single = tileCost(m, m.n1, m.n2);
  // Assembled output, needed only when there is more than one tile (computed once).
  let output = -1;
  const outputCost = () => {
    if (output < 0) {
      const Pout = P === 1 ? 1 : (outputPositions(layer, x1Shape.slice(1)) ?? P);
      const Eout = layout === 'full' ? Pout * Pout : Pout;
      output = 8 * (m.n1 * m.n2 * Eout * m.kernels + (m.n1 + (m.sym ? 0 : m.n2)) * Eout);
    }
    return output;
  };
  const cost = (t: number) => (t >= whole ? single : tileCost(m, Math.min(t, m.n1), Math.min(t, m.n2)) + outputCost());
  let tile: number;
  if (options.tile !== undefined) {
    if (!Number.isInteger(options.tile) || options.tile < 1) throw new WideError('USAGE', `tile: expected an integer ≥ 1, got ${String(options.tile)}`);
    tile = options.tile;
  } else {
    const cap = Math.max(1, Math.floor(Math.sqrt(TILE_BYTES / (16 * m.E))));
    if (cap >= whole && single <= limit) {
      tile = whole;
    } else {
      // cost is increasing in t below `whole`: the largest t ≤ hi with cost(t) ≤ limit, or 1.
      let lo = 1;
      let hi = Math.min(cap, whole - 1);
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (cost(mid) <= limit) lo = mid;
        else hi = mid - 1;
      }
      tile = Math.max(1, lo);
    }
  }
  const bytes = cost(tile);
  const tiles = m.n1 === 0 || m.n2 === 0 ? 0 : tileCount(m, Math.min(tile, whole));
  const tileBytes = tile >= whole ? single : tileCost(m, Math.min(tile, m.n1), Math.min(tile, m.n2));
  return { bytes, limit, fits: bytes <= limit, tile, tiles, layout, tileBytes, outputBytes: bytes - tileBytes, what: describe(m, tile, whole) };
}

function describe(m: Model, tile: number, whole: number): string {
  const tiled = tile < whole ? ` in tiles of ${Math.min(tile, m.n1)}×${Math.min(tile, m.n2)}` : '';
  const space = m.P === 1 ? 'no spatial axes' : m.layout === 'full' ? `all position pairs of ${m.P} positions` : `${m.P} positions, same-position pairs`;
  return `the kernel of ${m.n1}×${m.n2} samples${tiled} (${space}, ${m.kernels === 2 ? 'NNGP and NTK' : 'NNGP'})`;
}

/** Throws {@link MemoryLimitError} unless the estimate fits its limit. */
export function assertFits(e: KernelMemoryEstimate): void {
  if (!e.fits) throw new MemoryLimitError(e.what, e.bytes, e.limit);
}
