/**
 * Dense (fully-connected) layer, applied along the channel axis at every spatial position.
 *
 * Kernel rule (conventions §1; Jacot et al. 2018, and neural-tangents `Dense`):
 * - `ntk` parameterisation, z = (σ_w/√n)·W·h + σ_b·b with W, b ~ N(0, 1):
 *   Σ′ = σ_w²·Σ + σ_b²,  Θ′ = σ_w²·Θ + Σ′.
 * - `standard` parameterisation, z = W·h + b with W ~ N(0, σ_w²/n), b ~ N(0, σ_b²):
 *   Σ′ = σ_w²·Σ + σ_b²,  Θ′ = σ_w²·Θ + n·Σ + [bias],
 *   where n is the input width, so the NTK depends on width (Sohl-Dickstein et al. 2020).
 *   Deliberate difference from neural-tangents: the bias exists (and adds 1) iff bStd > 0.
 * - `trainable: false` (a layer whose parameters stay at their initial values, as the first and
 *   last layers of Arora et al. 2019's CNTK-GAP, §1.4 of seed-001-cntk.md): Σ′ is unchanged and
 *   Θ′ = σ_w²·Θ, without the "+ Σ′" of its own parameters (nor the "n·Σ + [bias]" of standard);
 *   the backward pass records no parameter gradients.
 *
 * Finite network: y = wF·h·Wᵀ + bF·b, gx = wF·gy·W and the weight gradient wF·δᵀ·h are each one
 * call of the CPU backend's Gram op (WebAssembly SIMD on worker threads; ./dense-grad.ts), the
 * same sums as plain loops in another order (≤ ~1e-14 relative): 5–20× faster per product at
 * hundreds of rows and widths 256–1024, about 4× per training step of a 3-hidden-layer network.
 * @module
 */
import {
  type Kernel,
  type Layer,
  type Tensor,
  InvalidArchitectureError,
  ShapeMismatchError,
  cpuBackend,
  singleKernel,
  singleShape,
  singleTensor,
} from '@wide/core';
import { DenseGrad, productABt, transpose } from './dense-grad.js';

export { DenseGrad } from './dense-grad.js';

/** Weight parameterisation of a trainable layer. */
export type Parameterization = 'ntk' | 'standard';

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Output width (the channel count of the finite network); default 512. */
  width?: number;
  /** Weight standard deviation σ_w ≥ 0; default 1. */
  wStd?: number;
  /** Bias standard deviation σ_b ≥ 0; default 0. */
  bStd?: number;
  /** `ntk` (default) or `standard`. */
  parameterization?: Parameterization;
  /** Whether W and b are trained (default true); if not, the NTK omits their term and the backward pass records no parameter gradients. */
  trainable?: boolean;
}

/** Parameters of a finite dense layer: W (width × fanIn, row-major) and b (width). */
export interface DenseParams {
  readonly W: Float64Array;
  readonly b: Float64Array;
  readonly fanIn: number;
  readonly width: number;
}

/** What a dense layer's forward pass keeps for its backward pass: its input h. */
export interface DenseCache {
  /** The layer input. */
  readonly h: Tensor;
}

function checkStd(name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new InvalidArchitectureError(name, `expected a number ≥ 0, got ${v}`);
}

/** A dense layer (see the module comment for its kernel rule). */
export function dense(options: DenseOptions = {}): Layer<DenseParams, DenseCache> {
  const width = options.width ?? 512;
  const wStd = options.wStd ?? 1;
  const bStd = options.bStd ?? 0;
  const param = options.parameterization ?? 'ntk';
  const trainable = options.trainable ?? true;
  checkStd('wStd', wStd);
  checkStd('bStd', bStd);
  if (!Number.isInteger(width) || width < 1) throw new InvalidArchitectureError('width', `expected an integer ≥ 1, got ${width}`);
  const hasBias = param === 'ntk' || bStd > 0;

  const factors = (fanIn: number) =>
    param === 'ntk' ? { wF: wStd / Math.sqrt(fanIn), bF: bStd } : { wF: 1, bF: hasBias ? 1 : 0 };

  const w2 = wStd * wStd;
  const b2 = bStd * bStd;
  return {
    type: 'dense',
    describe: `dense wStd=${wStd}, bStd=${bStd}${param === 'standard' ? ', standard parameterization' : ''}${trainable ? '' : ', trainable=false'}`,
    // The trainable ntk rule is one affine step of a fused chain; the standard one needs n·Σ and stays unfused.
    ...(param === 'ntk' && trainable ? { chainStep: { kind: 'affine', w2, b2, channels: width } as const } : {}),
    kernel(kv, { backend }) {
      const k: Kernel = singleKernel(kv, 'dense');
      const inPlace = k.owned;
      // The standard NTK needs the input Σ after Σ′ is formed, so only the ntk path overwrites it.
      const nngp = backend.affine(k.nngp, w2, b2, inPlace && param === 'ntk' ? k.nngp : undefined);
      const var1 = backend.affine(k.var1, w2, b2);
      const var2 = k.x1IsX2 ? var1 : backend.affine(k.var2, w2, b2);
      let ntk: Float64Array | null = null;
      if (k.ntk) {
        const out = inPlace ? k.ntk : undefined;
        if (!trainable) {
          ntk = backend.affine(k.ntk, w2, 0, out);
        } else if (param === 'ntk') {
          ntk = backend.combine(w2, k.ntk, 1, nngp, out);
        } else {
          ntk = backend.combine(w2, k.ntk, k.channels, k.nngp, out);
          if (hasBias) backend.affine(ntk, 1, 1, ntk);
        }
      }
      return { ...k, nngp, ntk, var1, var2, isGaussian: true, channels: width, owned: true };
    },
    init(rng, shape, opts) {
      const s = singleShape(shape, 'dense');
      const fanIn = s[s.length - 1];
      if (!fanIn) throw new ShapeMismatchError(`dense needs inputs with a channel axis, got per-sample shape [${s.join(', ')}]`);
      const w = opts.width ?? width;
      const sdW = param === 'ntk' ? 1 : wStd / Math.sqrt(fanIn);
      const sdB = param === 'ntk' ? 1 : bStd;
      const W = rng.fork(0).normals(w * fanIn, sdW);
      const b = hasBias ? rng.fork(1).normals(w, sdB) : new Float64Array(w);
      return { params: { W, b, fanIn, width: w }, outputShape: [...s.slice(0, -1), w] };
    },
    forward(p, xv) {
      const x = singleTensor(xv, 'dense');
      const fanIn = x.shape[x.shape.length - 1]!;
      if (fanIn !== p.fanIn) throw new ShapeMismatchError(`dense was initialised for ${p.fanIn} input channels but got ${fanIn}`);
      const rows = x.data.length / fanIn;
      const { wF, bF } = factors(fanIn);
      // y = wF·h·Wᵀ + bF·b: the Gram matrix of the input rows with the rows of W, then the bias.
      const y = productABt(cpuBackend, x.data, p.W, rows, p.width, fanIn, wF);
      if (bF !== 0) {
        for (let r = 0; r < rows; r++) {
          const yr = r * p.width;
          for (let o = 0; o < p.width; o++) y[yr + o] += bF * p.b[o]!;
        }
      }
      return { y: { data: y, shape: [...x.shape.slice(0, -1), p.width] }, cache: { h: x } };
    },
    backward(p, cache, gyv) {
      const gy = singleTensor(gyv, 'dense');
      const { h } = cache;
      const rows = h.data.length / p.fanIn;
      const { wF, bF } = factors(p.fanIn);
      // gx = wF·gy·W: the rows of gy against the rows of Wᵀ.
      const gx = productABt(cpuBackend, gy.data, transpose(p.W, p.width, p.fanIn), rows, p.fanIn, p.width, wF);
      const n = h.shape[0]!;
      const positions = rows / n;
      return {
        gx: { data: gx, shape: h.shape },
        grads: trainable ? [new DenseGrad(gy.data, h.data, n, positions, p.width, p.fanIn, wF, bF, [p.W, p.b])] : [],
      };
    },
  };
}
