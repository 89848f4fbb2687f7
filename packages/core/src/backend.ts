/**
 * The backend interface: the bulk array operations kernel rules and finite networks are built
 * from. Every operation takes and returns whole typed-array blocks (never per-entry callbacks
 * across the interface boundary), so a GPU or WebAssembly backend can replace the CPU one op by op.
 * @module
 */

import type { Kernel } from './kernel.js';

/**
 * A pairwise map of an elementwise nonlinearity φ on kernel entries: with
 * (u, v) ~ N(0, [[q1, c], [c, q2]]), `nngp` = E[φ(u)φ(v)] and `dnngp` = E[φ′(u)φ′(v)].
 * `id` and `params` name the closed form, so a backend may run a native version of it and fall
 * back to the scalar functions otherwise.
 */
export interface PairRule {
  /** Identifier of the closed form, e.g. `abRelu`. */
  readonly id: string;
  /** Its numeric parameters, e.g. `[a, b]`. */
  readonly params: readonly number[];
  /** Σ′(q1, q2, c) = E[φ(u)φ(v)]. */
  nngp(q1: number, q2: number, c: number): number;
  /** Σ̇(q1, q2, c) = E[φ′(u)φ′(v)]. */
  dnngp(q1: number, q2: number, c: number): number;
  /** Optional: both at once (out[0] = Σ′, out[1] = Σ̇), sharing work such as an arccos. */
  both?(q1: number, q2: number, c: number, out: Float64Array): void;
  /**
   * Optional: the rule as a self-contained function of (params, q1, q2, c, out) setting
   * out[0] = Σ′ and out[1] = Σ̇. It may use nothing outside its own body (no imports, no closure,
   * only `Math`), so backends can ship its source to worker threads or compile it for a GPU.
   */
  readonly portable?: (params: readonly number[], q1: number, q2: number, c: number, out: Float64Array) => void;
}

/** Shape of the kernel arrays a {@link Backend.pairMap} works on. */
export interface PairLayout {
  readonly n1: number;
  readonly n2: number;
  /** Number of spatial positions P. */
  readonly positions: number;
  /** Same-position pairs only (n1·n2·P entries) or all pairs (n1·n2·P·P). */
  readonly diagonalSpatial: boolean;
  /** x1 is x2: the arrays are symmetric and only one triangle needs computing. */
  readonly symmetric: boolean;
}

/** Result of a pair map: new Σ, Θ (or null) and the variances. */
export interface PairMapResult {
  nngp: Float64Array;
  ntk: Float64Array | null;
  var1: Float64Array;
  var2: Float64Array;
}

/**
 * One step of a fused chain of layers ({@link Backend.chain}), as a layer describes itself
 * (`Layer.chainStep`). Per kernel entry (conventions §1; Jacot et al. 2018), with q the variances:
 * - `affine`: a dense layer in ntk parameterisation, Σ′ = w²·Σ + b², Θ′ = w²·Θ + Σ′, variances
 *   q′ = w²·q + b², output Gaussian with `channels` channels;
 * - `pair`: an elementwise nonlinearity, Σ′ = rule.nngp(q1, q2, Σ), Θ′ = rule.dnngp(q1, q2, Σ)·Θ,
 *   q′ = rule.nngp(q, q, q); it needs a Gaussian input (an affine or window step, or a Gaussian
 *   kernel, before it);
 * - `window`: a convolution (conventions §1; Arora et al. 2019, eq. 34 with the same shift on both
 *   positions) of a kernel stored on the spatial diagonal. With `spec(spatial)` the window on an
 *   input of that spatial shape and W(x)ₒ = Σ_t x_{c(o,t)} its same-position window sum
 *   ({@link Backend.windowSum}), and s = `w2` = σ_w²/|F| (the weight variance per filter tap):
 *   Σ′ = s·W(Σ) + b², Θ′ = (s·W(Θ) + 0) + Σ′ when `trainable` (ntk parameterisation) and
 *   s·W(Θ) + 0 otherwise, q′ = s·W(q) + b²; i.e. exactly `windowSum(spec, Σ, rows, s, b²)`,
 *   `combine(1, windowSum(spec, Θ, rows, s, 0), 1, Σ′)` and `windowSum(spec, q, n, s, b²)`. The
 *   output has spatial shape `spec(spatial).axes[a].out`, `channels` channels and is Gaussian.
 *   `spec` throws the layer's own error for an input it does not fit (callers then leave the layer
 *   to run alone, so the error names it);
 * - `flatten`: the mean of the spatial diagonal, Σ′ = (Σ_p Σ_pp)/P summed in order p = 0, 1, …,
 *   likewise Θ and q; the output has no spatial axes and P·channels channels, and is Gaussian only
 *   when P = 1 (units at different positions follow different kernels);
 * - `pool`: average or sum pooling (conventions §1) of a kernel with all position pairs: with
 *   a = 1/Π size over `spec(spatial).axes` when `average`, else 1, Σ′ = a²·Σ_{t,t′} Σ_{c(o,t), c(o′,t′)}
 *   + 0 (exactly `windowSumPairs(spec, Σ, rows, false, a·a, 0)`), likewise Θ and the per-sample
 *   variance blocks. The output has spatial shape [] when `global`, else `spec(spatial).axes[a].out`,
 *   is stored on the spatial diagonal when it has one position, and is Gaussian when the input is.
 *
 * On a kernel with all position pairs (`diagonalSpatial` false) `window` is the same convolution
 * with the same tap on both positions (`windowSumPairs(spec, ·, rows, true, s, ·)`), `pair` maps
 * each entry (p, p′) with the variances at p and p′ (the diagonals of the variance blocks), and the
 * variance blocks follow every step as kernels of a sample with itself.
 */
export type ChainStep =
  | { readonly kind: 'affine'; readonly w2: number; readonly b2: number; readonly channels: number }
  | { readonly kind: 'pair'; readonly rule: PairRule }
  | {
      readonly kind: 'window';
      readonly spec: (spatial: readonly number[]) => WindowSpec;
      readonly w2: number;
      readonly b2: number;
      readonly channels: number;
      readonly trainable: boolean;
    }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'pool'; readonly spec: (spatial: readonly number[]) => WindowSpec; readonly average: boolean; readonly global: boolean };

/**
 * One spatial axis of a window operation (a convolution or pooling window sliding over it).
 * The input coordinate read by output coordinate o at tap t (0 ≤ t < size) is
 * c = o·stride + t·dilation − padBefore; outside [0, size of the input) it reads zero, or
 * wraps modulo the input size when the spec is circular.
 */
export interface WindowAxis {
  /** Input size along this axis. */
  readonly in: number;
  /** Output size along this axis. */
  readonly out: number;
  /** Taps (filter or window size). */
  readonly size: number;
  /** Stride ≥ 1. */
  readonly stride: number;
  /** Dilation ≥ 1 (distance between taps). */
  readonly dilation: number;
  /** Zero padding before the first input coordinate (≥ 0). */
  readonly padBefore: number;
}

/** A window over the spatial axes (row-major positions, as in NHWC): one {@link WindowAxis} per axis. */
export interface WindowSpec {
  readonly axes: readonly WindowAxis[];
  /** Coordinates wrap around (CIRCULAR padding) instead of reading zero outside the input. */
  readonly circular: boolean;
}

/** Bulk float64 array operations. */
export interface Backend {
  /** A short name (`cpu`, `gpu`, …). */
  readonly name: string;
  /** out[r] = scale · Σ_c x[r·C + c]² for r < rows. */
  rowNorms(x: Float64Array, rows: number, channels: number, scale: number): Float64Array;
  /** A zero-filled array of `length` numbers, of the kind this backend works on fastest (shared memory for a threaded CPU backend). */
  zeros(length: number): Float64Array;
  /**
   * Same-position Gram tensor: out[(i·n2 + j)·P + p] = scale · ⟨a[i, p, :], b[j, p, :]⟩ with a of
   * shape (n1, P, C) and b of shape (n2, P, C); `b` null means b = a (only a triangle is computed).
   */
  gram(a: Float64Array, b: Float64Array | null, n1: number, n2: number, positions: number, channels: number, scale: number): Float64Array;
  /** Writes `values[i·P + p]` onto the diagonal entries (i, i, p) of a square same-position kernel. */
  setDiagonal(k: Float64Array, n: number, positions: number, values: Float64Array): void;
  /** out = alpha·x + beta (out may be x). */
  affine(x: Float64Array, alpha: number, beta: number, out?: Float64Array): Float64Array;
  /** out = a·x + b·y (out may be x or y). */
  combine(a: number, x: Float64Array, b: number, y: Float64Array, out?: Float64Array): Float64Array;
  /** out = x ⊙ y elementwise (out may be x or y). */
  multiply(x: Float64Array, y: Float64Array, out?: Float64Array): Float64Array;
  /** Applies a {@link PairRule} to every kernel entry: Σ′ = rule.nngp, Θ′ = rule.dnngp ⊙ Θ, variances mapped too. */
  pairMap(rule: PairRule, layout: PairLayout, nngp: Float64Array, ntk: Float64Array | null, var1: Float64Array, var2: Float64Array, inPlace: boolean): PairMapResult;
  /** C (m×n) = A (m×k) · Bᵀ where B is (n×k); all row-major. */
  matmulABt(a: Float64Array, b: Float64Array, m: number, n: number, k: number, scale?: number): Float64Array;
  /** C (m×n) = A (m×k) · B (k×n); all row-major. */
  matmulAB(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array;
  /** C (m×n) = Aᵀ · B where A is (k×m) and B is (k×n); all row-major. */
  matmulAtB(a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array;
  /**
   * Same-position window sum (a convolution of a kernel stored on the spatial diagonal):
   * x holds `rows` blocks of Pin = Π axes[a].in numbers, the result `rows` blocks of
   * Pout = Π axes[a].out with out[r, o] = scale · Σ_t x[r, c(o, t)] + shift, the sum over every tap
   * t of the window (all axes) and c as in {@link WindowAxis}. Used on Σ, Θ and the variances.
   */
  windowSum(spec: WindowSpec, x: Float64Array, rows: number, scale: number, shift: number): Float64Array;
  /**
   * Position-pair window sum (a kernel with all position pairs, `rows` blocks of Pin·Pin):
   * out[r, o, o′] = scale · Σ_{t,t′} x[r, c(o, t), c(o′, t′)] + shift, where `shared` restricts
   * the sum to t = t′ (a convolution: both positions move by the same filter tap) and otherwise
   * takes all tap pairs (a pooling window on both positions; global pooling is a window over the
   * whole input with one output).
   */
  windowSumPairs(spec: WindowSpec, x: Float64Array, rows: number, shared: boolean, scale: number, shift: number): Float64Array;
  /**
   * All-position-pairs Gram tensor: out[((i·n2 + j)·P + p)·P + p′] = scale · ⟨a[i, p, :], b[j, p′, :]⟩
   * with a of shape (n1, P, C) and b of shape (n2, P, C); `b` null means b = a.
   */
  gramPairs(a: Float64Array, b: Float64Array | null, n1: number, n2: number, positions: number, channels: number, scale: number): Float64Array;
  /** Lower Cholesky factor L (row-major, upper part zero) of a symmetric positive-definite n×n matrix; throws NotPositiveDefiniteError otherwise. */
  cholesky(a: Float64Array, n: number): Float64Array;
  /** Solves L·Lᵀ·X = B for X (n×m) given the factor from {@link Backend.cholesky}. */
  choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array;
  /** Eigenvalues of a symmetric n×n matrix, ascending. */
  eigvalsh(a: Float64Array, n: number): Float64Array;
  /** Eigenvalues (ascending) and eigenvectors (the columns of a row-major n×n matrix) of a symmetric n×n matrix. */
  eigh(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array };
  /**
   * Optional: runs consecutive chain steps on a kernel in one pass over memory (each entry through
   * every step in registers) and returns the resulting kernel, or null when this backend cannot
   * fuse them (e.g. a rule without a native form, a full spatial layout): the caller then applies
   * the layers one by one. The caller guarantees the Gaussian-input rule. Works in place when
   * `k.owned`. Throws NonFiniteKernelError with `step` set when a step's kernel overflows or turns NaN.
   */
  chain?(steps: readonly ChainStep[], k: Kernel): Kernel | null;
  /** Optional: whether `x` holds ±Infinity (1, the first non-finite value is infinite) or NaN (2), or neither (0). */
  nonFinite?(x: Float64Array): 0 | 1 | 2;
  /** Optional: `x`, an array this backend returned, is no longer used; its memory may be reused at once. Other arrays are ignored. */
  release?(x: Float64Array): void;
}
