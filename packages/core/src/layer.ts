/**
 * The layer contract. A layer holds, side by side, its kernel rule (Σ, Θ) → (Σ′, Θ′), its
 * finite-width `init`/`forward`, and its backward rule (which also yields the per-sample
 * parameter-gradient factors from which empirical NTKs are contracted).
 * @module
 */
import type { Backend, ChainStep } from './backend.js';
import type { Kernel } from './kernel.js';
import type { Rng } from './rng.js';
import type { Tensor } from './tensor.js';

/** A tensor, or a list of values (what flows between `fanOut`, `parallel` and the fan-ins). */
export type Value = Tensor | Value[];
/** A kernel, or a list of kernels (one per branch). */
export type KernelValue = Kernel | KernelValue[];
/** A per-sample shape (no batch axis), or a list of them. */
export type ShapeValue = readonly number[] | ShapeValue[];

/** What a kernel rule may use besides the kernel. */
export interface KernelContext {
  /** The backend doing the array work. */
  readonly backend: Backend;
}

/** Options of {@link Layer.init}. */
export interface InitOptions {
  /** If set, the width of every trainable layer is replaced by this (Monte-Carlo estimates at a chosen width). */
  readonly width?: number;
}

/**
 * Parameter gradients of one layer for every sample of a batch, kept factorised so that
 * Σ_θ ∂f(xa)/∂θ · ∂f(xb)/∂θ (the empirical NTK contribution) can be contracted without forming
 * per-sample gradients.
 */
export interface GradRecord {
  /** The contribution to the empirical NTK: an na×nb matrix, `other` being the same layer's record for batch b. */
  contract(other: GradRecord, backend: Backend): Float64Array;
  /** The gradient summed over the batch, as arrays in the order of the layer's parameters. */
  gradient(): Float64Array[];
  /**
   * Optional: the parameter arrays (the very `Float64Array`s of the params tree) that the arrays of
   * {@link GradRecord.gradient} belong to, in the same order. Training places each gradient on its
   * array by this reference; without it, records are matched to the tree's arrays by their
   * lengths, which cannot tell a frozen layer (`trainable: false`, no record) from a trained one
   * of the same shapes.
   */
  readonly parameters?: readonly Float64Array[];
}

/** The output of {@link Layer.forward}. */
export interface Forward<C> {
  readonly y: Value;
  readonly cache: C;
}

/** The output of {@link Layer.backward}. */
export interface Backward {
  /** Gradient with respect to the layer input. */
  readonly gx: Value;
  /** Parameter-gradient records of this layer and every layer inside it, in a fixed order. */
  readonly grads: GradRecord[];
}

/** The contract every layer and combinator implements. */
export interface Layer<P = unknown, C = unknown> {
  /** The layer type as in the architecture JSON (`dense`, `relu`, `serial`, …). */
  readonly type: string;
  /** Optional: the type and parameters in one line (`dense wStd=2, bStd=0.1`), for error messages. */
  readonly describe?: string;
  /**
   * Optional: this layer's kernel rule as one step of a fused chain ({@link Backend.chain}); set by
   * dense in ntk parameterisation and by elementwise activations. `kernel` must compute exactly
   * this step, so that `serial` may hand runs of such layers to the backend in one pass.
   */
  readonly chainStep?: ChainStep;
  /**
   * Optional, for layout analysis: the kernel rule reads covariances between different spatial
   * positions (pooling, global pooling, attention), so every kernel before it must keep all
   * position pairs (`diagonalSpatial` false). Layers without it work on either layout.
   */
  readonly needsPositionPairs?: boolean;
  /** Optional: the layers a combinator is built from, in order (layout analysis walks them). */
  readonly sublayers?: readonly Layer<any, any>[];
  /** Kernel rule: (Σ, Θ) of the input to (Σ′, Θ′) of the output. */
  kernel(k: KernelValue, ctx: KernelContext): KernelValue;
  /** Draws the parameters of a finite-width instance for per-sample input shape `inputShape`. */
  init(rng: Rng, inputShape: ShapeValue, options: InitOptions): { params: P; outputShape: ShapeValue };
  /** Finite-width forward pass on a batch; the cache is what `backward` needs. */
  forward(params: P, x: Value): Forward<C>;
  /** Backward rule: pulls `gy` (gradient w.r.t. the output, per sample) back to the input and records parameter gradients. */
  backward(params: P, cache: C, gy: Value): Backward;
}

/** Runs a layer forward and returns only the output. */
export function apply<P, C>(layer: Layer<P, C>, params: P, x: Value): Value {
  return layer.forward(params, x).y;
}
