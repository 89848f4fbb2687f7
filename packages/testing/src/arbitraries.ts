/**
 * fast-check arbitraries for Wide: architectures from a grammar that respects the Gaussian-input
 * rule (every nonlinearity directly follows a dense or conv layer, or a pooling of one), fully
 * connected and convolutional; input batches and images; PSD matrices.
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

function maxAbsCorrelation(rows: readonly (readonly number[])[]): number {
  let worst = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      let c = 0;
      let a = 0;
      let b = 0;
      rows[i]!.forEach((v, k) => {
        c += v * rows[j]![k]!;
        a += v * v;
        b += rows[j]![k]! ** 2;
      });
      worst = Math.max(worst, Math.abs(c) / Math.sqrt(a * b));
    }
  }
  return worst;
}

/** Options of {@link arbInputs} and {@link arbInputPair}. */
export interface InputArbOptions {
  /**
   * Largest |cosine| allowed between two inputs (default 0.995). Exactly or nearly parallel
   * pairs put ρ within rounding of ±1, where arccos-based closed forms (here and in
   * neural-tangents) are only accurate to about √ε ≈ 1e-8; keep them out of tight-tolerance
   * properties, and test them separately.
   */
  maxCorrelation?: number;
}

function rowsArb(n: number, d: number): fc.Arbitrary<number[][]> {
  const entry = fc.integer({ min: -2000, max: 2000 }).map((v) => v / 1000);
  return fc
    .array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n })
    .filter((rows) => rows.every((r) => r.reduce((s, v) => s + v * v, 0) >= 0.01));
}

/** A batch of `n` inputs of dimension `d`, entries in [−2, 2], each with norm ≥ 0.1, no two nearly parallel. */
export function arbInputs(n: number, d: number, options: InputArbOptions = {}): fc.Arbitrary<Tensor> {
  const maxC = options.maxCorrelation ?? 0.995;
  return rowsArb(n, d)
    .filter((rows) => maxAbsCorrelation(rows) <= maxC)
    .map((rows) => tensor(rows.flat(), [n, d]));
}

/** Two batches (n1 and n2 inputs of dimension d) with no nearly parallel pair within or across them. */
export function arbInputPair(n1: number, n2: number, d: number, options: InputArbOptions = {}): fc.Arbitrary<[Tensor, Tensor]> {
  const maxC = options.maxCorrelation ?? 0.995;
  return rowsArb(n1 + n2, d)
    .filter((rows) => maxAbsCorrelation(rows) <= maxC)
    .map((rows): [Tensor, Tensor] => [tensor(rows.slice(0, n1).flat(), [n1, d]), tensor(rows.slice(n1).flat(), [n2, d])]);
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

/** Options of {@link arbCnnArchitecture}. */
export interface CnnArchitectureArbOptions {
  /** Spatial shape of the inputs the architectures must fit (default [6, 6]); its length is the rank of every filter. */
  spatial?: readonly number[];
  /** conv → activation blocks, default 1–3. */
  minDepth?: number;
  maxDepth?: number;
  /** Activations to draw from (default {@link safeActivations}). */
  activations?: readonly LayerSpec[];
  /** What reduces the spatial axes before the dense readout (default `flatten`: a CNN-V, whose kernels need only same-position covariances). */
  readout?: 'flatten' | 'globalAvgPool' | 'globalSumPool';
  /** Allow avgPool / sumPool between blocks (default false; they need the full position-pair layout). */
  pooling?: boolean;
  /** Draw biases (default true). */
  bias?: boolean;
  /** Channels of every conv layer (default 8; the ntk kernels do not depend on it). */
  channels?: number;
  /** Parameterisation (default `ntk`). */
  parameterization?: 'ntk' | 'standard';
}

type PaddingName = 'SAME' | 'VALID' | 'CIRCULAR';

/** Output size of a window along one axis (the geometry of @wide/layers window-geometry.ts); VALID that does not fit becomes SAME. */
function fitAxis(n: number, f: number, s: number, d: number, padding: PaddingName): { out: number; padding: PaddingName } {
  const span = (f - 1) * d + 1;
  if (padding === 'VALID' && span <= n) return { out: Math.floor((n - span) / s) + 1, padding };
  return { out: Math.ceil(n / s), padding: padding === 'VALID' ? 'SAME' : padding };
}

/** One window (conv filter or pooling window) drawn for a given rank. */
function arbWindow(rank: number, maxSize: number) {
  const axis = fc.record({ f: fc.integer({ min: 1, max: maxSize }), s: fc.integer({ min: 1, max: 2 }), d: fc.integer({ min: 1, max: 2 }) });
  return fc.record({ axes: fc.array(axis, { minLength: rank, maxLength: rank }), padding: fc.constantFrom<PaddingName>('SAME', 'VALID', 'CIRCULAR') });
}

/**
 * Random convolutional architectures for inputs of spatial shape `spatial`: `depth` blocks of
 * conv (filter 1–3 per axis, stride and dilation 1–2, SAME / VALID / CIRCULAR padding) →
 * activation, optionally an avgPool / sumPool after a block, then the readout (`flatten` or global
 * pooling) and a dense layer of width 1. Every layer fits the input it gets (a VALID window larger
 * than its input is drawn as SAME instead).
 */
export function arbCnnArchitecture(options: CnnArchitectureArbOptions = {}): fc.Arbitrary<ArchitectureSpec> {
  const spatial = options.spatial ?? [6, 6];
  const rank = spatial.length;
  const acts = options.activations ?? safeActivations;
  const bias = options.bias ?? true;
  const channels = options.channels ?? 8;
  const block = fc.record({
    conv: arbWindow(rank, 3),
    wStd: arbWStd(),
    bStd: bias ? arbBStd() : fc.constant(0),
    act: fc.constantFrom(...acts),
    pool: options.pooling ? fc.option(fc.record({ type: fc.constantFrom('avgPool' as const, 'sumPool' as const), window: arbWindow(rank, 2) }), { nil: undefined }) : fc.constant(undefined),
  });
  return fc
    .tuple(fc.array(block, { minLength: options.minDepth ?? 1, maxLength: options.maxDepth ?? 3 }), arbDense(bias, 1))
    .map(([blocks, readout]) => {
      let shape = [...spatial];
      const layers: LayerSpec[] = [];
      for (const b of blocks) {
        const fits = b.conv.axes.map((a, i) => fitAxis(shape[i]!, a.f, a.s, a.d, b.conv.padding));
        const padding = fits.some((x) => x.padding !== b.conv.padding) ? 'SAME' : b.conv.padding;
        shape = b.conv.axes.map((a, i) => fitAxis(shape[i]!, a.f, a.s, a.d, padding).out);
        const filter = b.conv.axes.map((a) => a.f);
        layers.push({ type: 'conv', channels, filter, stride: b.conv.axes.map((a) => a.s), dilation: b.conv.axes.map((a) => a.d), padding, wStd: b.wStd, bStd: b.bStd }, b.act);
        if (b.pool) {
          const w = b.pool.window;
          const pfits = w.axes.map((a, i) => fitAxis(shape[i]!, a.f, a.s, 1, w.padding));
          const ppad = pfits.some((x) => x.padding !== w.padding) ? 'SAME' : w.padding;
          shape = w.axes.map((a, i) => fitAxis(shape[i]!, a.f, a.s, 1, ppad).out);
          layers.push({ type: b.pool.type, window: w.axes.map((a) => a.f), stride: w.axes.map((a) => a.s), padding: ppad });
        }
      }
      layers.push({ type: options.readout ?? 'flatten' }, readout);
      return { parameterization: options.parameterization ?? 'ntk', layers };
    });
}

/**
 * A batch of `n` images of spatial shape `spatial` with `channels` channels, NHWC-like
 * (n, …spatial, C), entries in [−2, 2] on a grid of 0.001 (small, varied, reproducible).
 */
export function arbImages(n: number, spatial: readonly number[], channels: number): fc.Arbitrary<Tensor> {
  const size = n * spatial.reduce((a, b) => a * b, 1) * channels;
  return fc
    .array(fc.integer({ min: -2000, max: 2000 }), { minLength: size, maxLength: size })
    .filter((v) => v.some((x) => x !== 0))
    .map((v) => tensor(v.map((x) => x / 1000), [n, ...spatial, channels]));
}
