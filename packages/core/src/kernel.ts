/**
 * The {@link Kernel} value that flows through kernel rules: the NNGP covariance Σ, the NTK Θ,
 * per-input variances for both batches, and the layout metadata.
 * @module
 */
import { ShapeMismatchError, assertFinite } from './errors.js';
import { batchLayout, type Tensor } from './tensor.js';
import type { Backend } from './backend.js';

/**
 * Infinite-width kernels of a batch pair (x1 of n1 samples, x2 of n2 samples).
 *
 * Layout: with P = product of `spatial`, `nngp` and `ntk` hold `n1·n2·P` entries indexed
 * `(i·n2 + j)·P + p` when `diagonalSpatial` is true (only same-position pairs), or `n1·n2·P·P`
 * entries indexed `((i·n2 + j)·P + p)·P + p′` otherwise. `var1[i·P + p]` = Σ(x1ᵢ, x1ᵢ) at position p.
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
  /** Variances Σ(x1ᵢ, x1ᵢ) per sample and position (n1·P). */
  readonly var1: Float64Array;
  /** Variances Σ(x2ⱼ, x2ⱼ) per sample and position (n2·P); the same array as var1 when x1 is x2. */
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

/** A copy of `k` with some fields replaced; the result is not owned unless stated. */
export function withFields(k: Kernel, fields: Partial<Kernel>): Kernel {
  return { ...k, owned: false, ...fields };
}

/** Options of {@link inputKernel}. */
export interface InputKernelOptions {
  /** Compute the NTK too (starts at Θ⁰ = 0). Default true. */
  ntk?: boolean;
  /** Backend for the Gram matrix (default: the CPU backend passed by the caller). */
  backend: Backend;
}

/**
 * The input kernel Σ⁰(x, x′)ₚ = ⟨xₚ, x′ₚ⟩ / C (channel-normalised, conventions §1), Θ⁰ = 0, stored
 * on the spatial diagonal. `x2` null means x2 = x1.
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
  const var1 = b.rowNorms(x1.data, l1.n * P, C, 1 / C);
  const var2 = x2 ? b.rowNorms(x2.data, l2.n * P, C, 1 / C) : var1;
  const nngp = b.gram(x1.data, x2 ? x2.data : null, l1.n, l2.n, P, C, 1 / C);
  if (!x2) b.setDiagonal(nngp, l1.n, P, var1);
  return {
    n1: l1.n,
    n2: l2.n,
    spatial: l1.spatial,
    diagonalSpatial: true,
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
