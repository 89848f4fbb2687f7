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
 * @module
 */
import {
  type Backend,
  type GradRecord,
  type Kernel,
  type Layer,
  type Tensor,
  InvalidArchitectureError,
  ShapeMismatchError,
  singleKernel,
  singleShape,
  singleTensor,
} from '@wide/core';

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

/** Factorised per-sample gradients of a dense layer: ∂f/∂W = wF·δ·hᵀ, ∂f/∂b = bF·δ (summed over positions). */
class DenseGrad implements GradRecord {
  constructor(
    readonly delta: Float64Array,
    readonly h: Float64Array,
    readonly n: number,
    readonly positions: number,
    readonly width: number,
    readonly fanIn: number,
    readonly wF: number,
    readonly bF: number,
  ) {}

  contract(other: GradRecord, backend: Backend): Float64Array {
    if (!(other instanceof DenseGrad)) throw new ShapeMismatchError('dense: gradient records of different layers cannot be contracted');
    const P = this.positions;
    const ra = this.n * P;
    const rb = other.n * P;
    const dd = backend.matmulABt(this.delta, other.delta, ra, rb, this.width);
    const hh = backend.matmulABt(this.h, other.h, ra, rb, this.fanIn);
    const w2 = this.wF * this.wF;
    const b2 = this.bF * this.bF;
    const out = new Float64Array(this.n * other.n);
    // Σ_{p,p′} (δa_p·δb_p′)·(wF²·ha_p·hb_p′ + bF²)
    for (let i = 0; i < this.n; i++) {
      for (let j = 0; j < other.n; j++) {
        let s = 0;
        for (let p = 0; p < P; p++) {
          const row = (i * P + p) * rb + j * P;
          for (let q = 0; q < P; q++) s += dd[row + q]! * (w2 * hh[row + q]! + b2);
        }
        out[i * other.n + j] = s;
      }
    }
    return out;
  }

  gradient(): Float64Array[] {
    const rows = this.n * this.positions;
    const gW = new Float64Array(this.width * this.fanIn);
    const gb = new Float64Array(this.width);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < this.width; o++) {
        const d = this.delta[r * this.width + o]!;
        if (d === 0) continue;
        gb[o] += this.bF * d;
        const row = o * this.fanIn;
        const hr = r * this.fanIn;
        for (let t = 0; t < this.fanIn; t++) gW[row + t] += this.wF * d * this.h[hr + t]!;
      }
    }
    return [gW, gb];
  }
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
    describe: `dense wStd=${wStd}, bStd=${bStd}${param === 'standard' ? ', standard parameterization' : ''}`,
    // The ntk rule is one affine step of a fused chain; the standard one needs n·Σ and stays unfused.
    ...(param === 'ntk' ? { chainStep: { kind: 'affine', w2, b2, channels: width } as const } : {}),
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
        if (param === 'ntk') {
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
      const y = new Float64Array(rows * p.width);
      // y = wF·h·Wᵀ + bF·b
      for (let r = 0; r < rows; r++) {
        const hr = r * fanIn;
        for (let o = 0; o < p.width; o++) {
          const wr = o * fanIn;
          let s = 0;
          for (let t = 0; t < fanIn; t++) s += x.data[hr + t]! * p.W[wr + t]!;
          y[r * p.width + o] = wF * s + bF * p.b[o]!;
        }
      }
      return { y: { data: y, shape: [...x.shape.slice(0, -1), p.width] }, cache: { h: x } };
    },
    backward(p, cache, gyv) {
      const gy = singleTensor(gyv, 'dense');
      const { h } = cache;
      const rows = h.data.length / p.fanIn;
      const { wF, bF } = factors(p.fanIn);
      const gx = new Float64Array(rows * p.fanIn);
      for (let r = 0; r < rows; r++) {
        const gr = r * p.width;
        const xr = r * p.fanIn;
        for (let o = 0; o < p.width; o++) {
          const g = gy.data[gr + o]! * wF;
          if (g === 0) continue;
          const wr = o * p.fanIn;
          for (let t = 0; t < p.fanIn; t++) gx[xr + t] += g * p.W[wr + t]!;
        }
      }
      const n = h.shape[0]!;
      const positions = rows / n;
      return {
        gx: { data: gx, shape: h.shape },
        grads: [new DenseGrad(gy.data, h.data, n, positions, p.width, p.fanIn, wF, bF)],
      };
    },
  };
}
