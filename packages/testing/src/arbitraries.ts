/**
 * fast-check arbitraries for Wide: architectures from a grammar that respects the Gaussian-input
 * rule (every nonlinearity directly follows a dense layer), input batches, and PSD matrices.
 * @module
 */
import fc from 'fast-check';
import { type Tensor, tensor } from '@wide/core';
import type { ArchitectureSpec, LayerSpec } from '@wide/layers';

/** Activations with closed forms that are finite for any variance (used by default). */
export const safeActivations: readonly LayerSpec[] = [
  { type: 'relu' },
  { type: 'leakyRelu', alpha: 0.1 },
  { type: 'abRelu', a: -0.4, b: 1.1 },
  { type: 'abs' },
  { type: 'erf' },
  { type: 'erf', a: 1.2, b: 0.7, c: 0.1 },
  { type: 'sigmoidLike' },
  { type: 'gelu' },
  { type: 'sin', a: 1, b: 0.8, c: 0.3 },
  { type: 'cos', a: 1, b: 0.6, c: 0 },
  { type: 'rbf', gamma: 0.5 },
  { type: 'gaussian', a: 1, b: -0.5 },
  { type: 'monomial', degree: 2 },
  { type: 'rectifiedMonomial', degree: 2 },
  { type: 'polynomial', coef: [0.1, 1, 0.2] },
  { type: 'sign' },
  { type: 'step' },
];

/** Options of {@link arbArchitecture}. */
export interface ArchitectureArbOptions {
  /** Hidden blocks (dense → activation), default 1–3. */
  minDepth?: number;
  maxDepth?: number;
  /** Activations to draw from (default {@link safeActivations}). */
  activations?: readonly LayerSpec[];
  /** Draw biases (default true). */
  bias?: boolean;
  /** Allow residual blocks (default true). */
  residual?: boolean;
  /** Parameterisation (default `ntk`). */
  parameterization?: 'ntk' | 'standard';
}

/** σ_w in [0.3, 2]. */
export const arbWStd = () => fc.double({ min: 0.3, max: 2, noNaN: true });
/** σ_b in [0, 1]. */
export const arbBStd = () => fc.double({ min: 0, max: 1, noNaN: true });

function arbDense(bias: boolean, width = 64): fc.Arbitrary<LayerSpec> {
  return fc.record({ wStd: arbWStd(), bStd: bias ? arbBStd() : fc.constant(0) }).map((f) => ({ type: 'dense', width, ...f }));
}

/**
 * Random fully-connected architectures: `depth` blocks of dense → activation (some wrapped as
 * residual blocks that end in a dense layer, so branches stay uncorrelated), then a dense readout.
 */
export function arbArchitecture(options: ArchitectureArbOptions = {}): fc.Arbitrary<ArchitectureSpec> {
  const acts = options.activations ?? safeActivations;
  const bias = options.bias ?? true;
  const block = fc.tuple(arbDense(bias), fc.constantFrom(...acts), fc.boolean(), arbDense(bias)).map(([d, a, res, d2]): LayerSpec[] =>
    res && (options.residual ?? true) ? [d, a, { type: 'residual', layers: [d2, a, { ...d2 }] }] : [d, a],
  );
  return fc
    .tuple(fc.array(block, { minLength: options.minDepth ?? 1, maxLength: options.maxDepth ?? 3 }), arbDense(bias, 1))
    .map(([blocks, readout]) => ({ parameterization: options.parameterization ?? 'ntk', layers: [...blocks.flat(), readout] }));
}

/** A batch of `n` inputs of dimension `d`, entries in [−2, 2], each with norm > 0.1. */
export function arbInputs(n: number, d: number): fc.Arbitrary<Tensor> {
  return fc
    .array(fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), { minLength: n * d, maxLength: n * d })
    .filter((a) => {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += a[i * d + j]! ** 2;
        if (s < 0.01) return false;
      }
      return true;
    })
    .map((a) => tensor(a, [n, d]));
}

/** A random symmetric positive semi-definite n×n matrix A·Aᵀ (+ eps·I), row-major. */
export function arbPsdMatrix(n: number, eps = 0): fc.Arbitrary<Float64Array> {
  return fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((a) => {
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * a[j * n + k]!;
        out[i * n + j] = s + (i === j ? eps : 0);
      }
    }
    return out;
  });
}
