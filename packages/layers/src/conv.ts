/**
 * Convolution, 1-D, 2-D or 3-D (the spatial rank is the filter's), on inputs (n, …spatial, C)
 * with stride, dilation and SAME / VALID / CIRCULAR padding (./window-geometry.ts).
 *
 * Kernel rule (conventions §1; Arora et al. 2019 eq. (34), Novak et al. 2019; neural-tangents
 * `Conv`), with F the filter's taps δ, |F| their number and s the stride, the same tap moving both
 * positions (only equal shifts survive the expectation over a shared filter, Arora et al. eq. (36)):
 * - `ntk` parameterisation, z_i = σ_w/√(C·|F|) · Σ_{δ,c} W_{δ,c}·h_{s·i+δ,c} + σ_b·b, W, b ~ N(0, 1):
 *   Σ′_{i,j} = σ_w²/|F| · Σ_δ Σ_{s·i+δ, s·j+δ} + σ_b²,  Θ′ = σ_w²/|F| · Σ_δ Θ_{s·i+δ, s·j+δ} + Σ′;
 * - `standard`, W ~ N(0, σ_w²/(C·|F|)), b ~ N(0, σ_b²): Σ′ the same, and, as for dense (the
 *   gradient w.r.t. W_{δ,c} at position i is h_{s·i+δ,c}, whose products sum over c to C·Σ),
 *   Θ′ = σ_w²/|F| · Σ_δ Θ_{s·i+δ, s·j+δ} + C · Σ_δ Σ_{s·i+δ, s·j+δ} + [1 if bStd > 0];
 * - `trainable: false`: Θ′ = σ_w²/|F| · Σ_δ Θ_{s·i+δ, s·j+δ} only.
 * Padding positions read zero (their products are zero, so they are not averaged away), or wrap
 * for CIRCULAR. On a kernel stored on the spatial diagonal only i = j is needed (a window sum of
 * the diagonal, `Backend.windowSum`); with all position pairs, `Backend.windowSumPairs` with the
 * shared tap. The output is Gaussian, with `channels` channels.
 *
 * Finite network: im2col (./patches.ts) and a dense layer of fan-in |F|·C on the patch rows, so
 * ntk parameterisation divides by √(C·|F|) as above; backward is that dense layer's backward and
 * col2im, and the weight gradient Σ_p δ_p ⊗ patch_p is the dense gradient record on patches.
 * @module
 */
import { type Kernel, type Layer, type Tensor, InvalidArchitectureError, ShapeMismatchError, singleKernel, singleShape, singleTensor } from '@wide/core';
import { type DenseCache, type DenseParams, type Parameterization, dense } from './dense.js';
import { col2im, im2col } from './patches.js';
import { type Padding, type WindowGeometry, checkAxes, checkPadding, gatherTable, shapeText, windowGeometry } from './window-geometry.js';
import { checkLayout, mapWindow } from './window-kernel.js';

/** Options of {@link conv}. */
export interface ConvOptions {
  /** Output channels of the finite network (the axis taken to infinity); default 512. */
  channels?: number;
  /** Filter shape, one size per spatial axis, e.g. [3, 3]. */
  filter: readonly number[];
  /** Stride per axis (default all 1). */
  stride?: readonly number[];
  /** Dilation per axis, the distance between taps (default all 1). */
  dilation?: readonly number[];
  /** `SAME` (default), `VALID` or `CIRCULAR`. */
  padding?: Padding;
  /** Weight standard deviation σ_w ≥ 0; default 1. */
  wStd?: number;
  /** Bias standard deviation σ_b ≥ 0; default 0. */
  bStd?: number;
  /** `ntk` (default) or `standard`. */
  parameterization?: Parameterization;
  /** Whether the filter and bias are trained (default true); if not, the NTK omits their term and the backward pass records no parameter gradients. */
  trainable?: boolean;
}

/** Parameters of a finite conv layer: the dense layer on patches, and the geometry of the input it was initialised for. */
export interface ConvParams {
  /** The filter as a dense layer on patch rows: W is channels × (|F|·C), column T·C + c for tap T and input channel c. */
  readonly dense: DenseParams;
  /** The window on the input shape the layer was initialised for. */
  readonly geometry: WindowGeometry;
  /** The gather table of the geometry (input position per output position and tap). */
  readonly table: Int32Array;
  /** Input channels C. */
  readonly channelsIn: number;
}

/** What the forward pass keeps: the dense cache (the patches). */
export interface ConvCache {
  /** The dense layer's cache: the patch rows. */
  readonly dense: DenseCache;
  /** Batch size. */
  readonly n: number;
}

/** A convolution layer (see the module comment for its kernel rule). */
export function conv(options: ConvOptions): Layer<ConvParams, ConvCache> {
  const channels = options.channels ?? 512;
  if (!Number.isInteger(channels) || channels < 1) throw new InvalidArchitectureError('channels', `expected an integer ≥ 1, got ${channels}`);
  const filter = checkAxes('filter', options.filter);
  const rank = filter.length;
  const of = `filter ${shapeText(filter)}`;
  const stride = checkAxes('stride', options.stride ?? filter.map(() => 1), rank, of);
  const dilation = checkAxes('dilation', options.dilation ?? filter.map(() => 1), rank, of);
  const padding = checkPadding(options.padding ?? 'SAME');
  const wStd = options.wStd ?? 1;
  const bStd = options.bStd ?? 0;
  const param = options.parameterization ?? 'ntk';
  const trainable = options.trainable ?? true;
  // The dense layer on patch rows checks wStd and bStd and is the finite network's affine map.
  const affine = dense({ width: channels, wStd, bStd, parameterization: param, trainable });
  const hasBias = param === 'ntk' || bStd > 0;
  const window = { size: filter, stride, dilation, padding };
  const what = `conv filter ${shapeText(filter)}`;
  const w2 = wStd * wStd;
  const b2 = bStd * bStd;
  const ones = (xs: readonly number[]) => xs.every((v) => v === 1);

  return {
    type: 'conv',
    describe:
      `conv channels=${channels}, filter=${shapeText(filter)}` +
      (ones(stride) ? '' : `, stride=${shapeText(stride)}`) +
      (ones(dilation) ? '' : `, dilation=${shapeText(dilation)}`) +
      `, padding=${padding}, wStd=${wStd}, bStd=${bStd}` +
      (param === 'standard' ? ', standard parameterization' : '') +
      (trainable ? '' : ', trainable=false'),
    // The ntk rule is one window step of a fused chain (Backend.chain); the standard one needs C·ΣΣ and stays unfused.
    ...(param === 'ntk'
      ? { chainStep: { kind: 'window', spec: (s: readonly number[]) => windowGeometry(what, window, s).spec, w2: w2 / filter.reduce((a, b) => a * b, 1), b2, channels, trainable } as const }
      : {}),
    kernel(kv, { backend }) {
      const k: Kernel = singleKernel(kv, 'conv');
      const g = windowGeometry(what, window, k.spatial);
      checkLayout(k, 'conv');
      const { spec, taps } = g;
      const scale = w2 / taps;
      // Σ_δ over the filter taps on the spatial diagonal, or on position pairs with the shared tap.
      const sum = (x: Float64Array, rows: number, s: number, shift: number) =>
        k.diagonalSpatial ? backend.windowSum(spec, x, rows, s, shift) : backend.windowSumPairs(spec, x, rows, true, s, shift);
      const out = mapWindow(k, (x, rows, shift) => sum(x, rows, scale, shift), b2);
      let ntk = out.ntk; // σ_w²/|F| · Σ_δ Θ
      if (ntk && trainable) {
        if (param === 'ntk') {
          ntk = backend.combine(1, ntk, 1, out.nngp, ntk);
        } else {
          ntk = backend.combine(1, ntk, k.channels, sum(k.nngp, k.n1 * k.n2, 1, 0), ntk);
          if (hasBias) backend.affine(ntk, 1, 1, ntk);
        }
      }
      return { ...k, spatial: g.outSpatial, ...out, ntk, isGaussian: true, channels, owned: true };
    },
    init(rng, shape, opts) {
      const s = singleShape(shape, 'conv');
      const channelsIn = s[s.length - 1];
      if (!channelsIn) throw new ShapeMismatchError(`conv needs inputs with a channel axis, got per-sample shape ${shapeText(s)}`);
      const geometry = windowGeometry(what, window, s.slice(0, -1));
      const r = affine.init(rng, [...geometry.outSpatial, geometry.taps * channelsIn], opts);
      return {
        params: { dense: r.params, geometry, table: gatherTable(geometry), channelsIn },
        outputShape: [...geometry.outSpatial, r.params.width],
      };
    },
    forward(p, xv) {
      const x: Tensor = singleTensor(xv, 'conv');
      const { geometry: g } = p;
      const want = [...g.inSpatial, p.channelsIn];
      if (x.shape.slice(1).join() !== want.join()) throw new ShapeMismatchError(`conv was initialised for per-sample shape ${shapeText(want)} but got ${shapeText(x.shape.slice(1))}`);
      const n = x.shape[0]!;
      const pin = g.inSpatial.reduce((a, b) => a * b, 1);
      const pout = g.outSpatial.reduce((a, b) => a * b, 1);
      const cols = im2col(x.data, n, pin, p.channelsIn, p.table, pout, g.taps);
      const f = affine.forward(p.dense, { data: cols, shape: [n, ...g.outSpatial, g.taps * p.channelsIn] });
      return { y: f.y, cache: { dense: f.cache, n } };
    },
    backward(p, cache, gy) {
      const { geometry: g } = p;
      const b = affine.backward(p.dense, cache.dense, gy);
      const pin = g.inSpatial.reduce((a, c) => a * c, 1);
      const pout = g.outSpatial.reduce((a, c) => a * c, 1);
      const gcols = singleTensor(b.gx, 'conv');
      const gx = col2im(gcols.data, cache.n, pin, p.channelsIn, p.table, pout, g.taps);
      return { gx: { data: gx, shape: [cache.n, ...g.inSpatial, p.channelsIn] }, grads: b.grads };
    },
  };
}
