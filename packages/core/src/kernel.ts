/**
 * The {@link Kernel} value that flows through kernel rules: the NNGP covariance Σ, the NTK Θ,
 * per-input variances for both batches, and the layout metadata.
 * @module
 */
import { ShapeMismatchError, assertFinite } from './errors.js';
import { batchLayout, type Tensor } from './tensor.js';
import type { Backend } from './backend.js';
import type { SpatialLayout } from './layout.js';

/**
 * Infinite-width kernels of a batch pair (x1 of n1 samples, x2 of n2 samples).
 *
 * Layout: with P = product of `spatial`, `nngp` and `ntk` hold `n1·n2·P` entries indexed
 * `(i·n2 + j)·P + p` when `diagonalSpatial` is true (only same-position pairs), or `n1·n2·P·P`
 * entries indexed `((i·n2 + j)·P + p)·P + p′` otherwise (the `full` layout, see ./layout.ts).
 * The variances follow the layout: `var1[i·P + p]` = Σ(x1ᵢ, x1ᵢ)ₚₚ on the diagonal layout
 * (n1·P numbers); on the full layout `var1[(i·P + p)·P + p′]` = Σ(x1ᵢ, x1ᵢ)ₚₚ′, the per-sample
 * P×P blocks (n1·P·P numbers, neural-tangents' `cov1`), because pooling or convolving a variance
 * needs the covariances between positions of the same sample, not only its same-position numbers.
 * {@link entriesPerPair} is the block size either way. When x2 is x1, block i of `var1` equals the
 * (i, i) block of `nngp` at the input; the layers' rules keep them equal.
 *
 * Memory: with the WebAssembly kernels (the default CPU backend) the arrays are views on Wide's
 * shared memory, computed in place with no copy. A block is reused once its array is
 * garbage-collected (or handed back by `releaseKernel`), and a `subarray()` of it does not keep
 * it alive: keep the Kernel's own arrays, or copy with `slice()` what must outlive them.
 */
export interface Kernel {
  /** Batch size of x1. */
  readonly n1: number;
  /** Batch size of x2. */
  readonly n2: number;
  /** Spatial shape (empty for fully-connected data). */
  readonly spatial: readonly number[];
  /** Whether only same-position covariances are stored. */
  readonly diagonalSpatial: boolean;
  /** NNGP covariance Σ(x1, x2). */
  readonly nngp: Float64Array;
  /** Neural tangent kernel Θ(x1, x2), or null when it was not requested. */
  readonly ntk: Float64Array | null;
  /** Variances Σ(x1ᵢ, x1ᵢ): per sample and position (n1·P) on the diagonal layout, per-sample P×P blocks (n1·P·P) on the full layout. */
  readonly var1: Float64Array;
  /** Variances Σ(x2ⱼ, x2ⱼ), laid out as var1 (n2·P or n2·P·P); the same array as var1 when x1 is x2. */
  readonly var2: Float64Array;
  /** Whether x2 is x1 (Σ and Θ are symmetric and their diagonals equal the variances). */
  readonly x1IsX2: boolean;
  /** Whether the pre-activations this kernel describes are i.i.d. Gaussian along channels (the output of a random affine layer). */
  readonly isGaussian: boolean;
  /** Finite channel count of the layer that produced this kernel (the axis taken to infinity); used by standard parameterisation and channel concatenation. */
  readonly channels: number;
  /** Internal: the arrays may be overwritten by the next layer (set only on intermediate kernels). */
  readonly owned: boolean;
}

/** Which kernels to compute. */
export type KernelName = 'nngp' | 'ntk';

/** Number of spatial positions of a kernel. */
export function positionsOf(k: Pick<Kernel, 'spatial'>): number {
  let p = 1;
  for (const s of k.spatial) p *= s;
  return p;
}

/**
 * Numbers per sample pair in `nngp`/`ntk`, and per sample in `var1`/`var2`: P on the diagonal
 * layout, P² on the full layout.
 */
export function entriesPerPair(k: Pick<Kernel, 'spatial' | 'diagonalSpatial'>): number {
  const P = positionsOf(k);
  return k.diagonalSpatial ? P : P * P;
}

/** A copy of `k` with some fields replaced; the result is not owned unless stated. */
export function withFields(k: Kernel, fields: Partial<Kernel>): Kernel {
  return { ...k, owned: false, ...fields };
}

/** Options of {@link inputKernel}. */
export interface InputKernelOptions {
  /** Compute the NTK too (starts at Θ⁰ = 0). Default true. */
  ntk?: boolean;
  /** Backend for the Gram tensors (default: the CPU backend passed by the caller). */
  backend: Backend;
  /** `diagonal` (default): same-position covariances only; `full`: all position pairs (see ./layout.ts). */
  layout?: SpatialLayout;
}

/**
 * The input kernel Σ⁰(x, x′)ₚₚ′ = ⟨xₚ, x′ₚ′⟩ / C (channel-normalised, conventions §1), Θ⁰ = 0.
 * `x2` null means x2 = x1.
 *
 * - `diagonal` layout: only p = p′ (`backend.gram`), variances n·P (`backend.rowNorms`).
 * - `full` layout: all pairs (`backend.gramPairs`), variances the per-sample P×P Gram blocks. Their
 *   same-position entries are the diagonal layout's numbers bit for bit (written from
 *   `backend.gram` and `backend.rowNorms`), so both layouts start from the same Σ⁰ on every backend;
 *   when x2 is null the (i, i) block of Σ⁰ is var1's block i bit for bit.
 */
export function inputKernel(x1: Tensor, x2: Tensor | null, options: InputKernelOptions): Kernel {
  const l1 = batchLayout(x1.shape);
  assertFinite(x1.data, 'x1', x1.shape);
  let l2 = l1;
  if (x2) {
    l2 = batchLayout(x2.shape);
    assertFinite(x2.data, 'x2', x2.shape);
    if (l2.spatial.length !== l1.spatial.length || l2.spatial.some((s, i) => s !== l1.spatial[i]) || l2.channels !== l1.channels) {
      throw new ShapeMismatchError(`x1 has per-sample shape [${x1.shape.slice(1).join(', ')}] but x2 has [${x2.shape.slice(1).join(', ')}]`);
    }
  }
  if (l1.channels === 0) throw new ShapeMismatchError('inputs have zero channels');
  const b = options.backend;
  const P = l1.positions;
  const C = l1.channels;
  const diag1 = b.rowNorms(x1.data, l1.n * P, C, 1 / C);
  const diag2 = x2 ? b.rowNorms(x2.data, l2.n * P, C, 1 / C) : diag1;
  const same = b.gram(x1.data, x2 ? x2.data : null, l1.n, l2.n, P, C, 1 / C);
  if (!x2) b.setDiagonal(same, l1.n, P, diag1);
  const full = options.layout === 'full';
  let nngp = same;
  let var1 = diag1;
  let var2 = diag2;
  if (full) {
    var1 = gramBlocks(b, x1.data, l1.n, P, C, diag1);
    var2 = x2 ? gramBlocks(b, x2.data, l2.n, P, C, diag2) : var1;
    nngp = b.gramPairs(x1.data, x2 ? x2.data : null, l1.n, l2.n, P, C, 1 / C);
    // Same-position entries from the same-position Gram (bit for bit the diagonal layout's Σ⁰).
    for (let r = 0; r < l1.n * l2.n; r++) for (let p = 0; p < P; p++) nngp[(r * P + p) * P + p] = same[r * P + p]!;
    if (!x2) for (let i = 0; i < l1.n; i++) nngp.set(var1.subarray(i * P * P, (i + 1) * P * P), (i * l1.n + i) * P * P);
    b.release?.(same);
  }
  return {
    n1: l1.n,
    n2: l2.n,
    spatial: l1.spatial,
    diagonalSpatial: !full,
    nngp,
    ntk: options.ntk === false ? null : b.zeros(nngp.length),
    var1,
    var2,
    x1IsX2: x2 === null,
    isGaussian: true,
    channels: C,
    owned: true,
  };
}

/**
 * Per-sample Gram blocks Σ⁰(xᵢ, xᵢ)ₚₚ′ = ⟨xᵢₚ, xᵢₚ′⟩/C (n·P·P numbers), their diagonals set to
 * `diag` (the row norms, so that they equal the diagonal layout's variances bit for bit).
 */
function gramBlocks(b: Backend, x: Float64Array, n: number, P: number, C: number, diag: Float64Array): Float64Array {
  const out = new Float64Array(n * P * P);
  for (let i = 0; i < n; i++) {
    const block = b.gramPairs(x.subarray(i * P * C, (i + 1) * P * C), null, 1, 1, P, C, 1 / C);
    out.set(block, i * P * P);
    b.release?.(block);
    for (let p = 0; p < P; p++) out[(i * P + p) * P + p] = diag[i * P + p]!;
  }
  return out;
}

/** Σ as a list of n1 rows of n2 numbers (fully-connected kernels only). */
export function toRows(k: Kernel, which: KernelName = 'nngp'): number[][] {
  const arr = which === 'nngp' ? k.nngp : k.ntk;
  if (!arr) throw new ShapeMismatchError(`the kernel holds no ${which}`);
  const P = positionsOf(k);
  if (P !== 1) throw new ShapeMismatchError(`toRows needs a kernel without spatial axes, this one has spatial shape [${k.spatial.join(', ')}]`);
  const rows: number[][] = [];
  for (let i = 0; i < k.n1; i++) rows.push(Array.from(arr.subarray(i * k.n2, (i + 1) * k.n2)));
  return rows;
}
