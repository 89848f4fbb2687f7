/**
 * Pooling: `avgPool` and `sumPool` (a window with stride and VALID / SAME / CIRCULAR padding,
 * ./window-geometry.ts), `globalAvgPool` and `globalSumPool` (one window over the whole input).
 *
 * Kernel rule (conventions §1; neural-tangents `AvgPool`, `SumPool`, `GlobalAvgPool`): pooling
 * is a fixed linear map of the activations, y_o = a · Σ_{t∈w} x_{s·o+t} with a = 1/|w| (average)
 * or 1 (sum), so every position pair of its output mixes every pair of the two windows:
 *   Σ′_{o,o′} = a² · Σ_{t,t′∈w} Σ_{s·o+t, s·o′+t′},  Θ′ likewise,  the variance blocks likewise.
 * Padding counts as zeros in the average (neural-tangents' default `normalize_edges=False`).
 * Global pooling is the window over the whole input with one output: Σ′ = a²·Σ_{p,p′} Σ_{p,p′}
 * with a = 1/P or 1, whose result has no spatial axes.
 *
 * It needs the covariances between different positions, so its input must keep all position pairs
 * (`needsPositionPairs`: the layout analysis of computeKernel then picks the full layout); a
 * kernel stored on the spatial diagonal (with P > 1) is an UnsupportedError. The map is linear and
 * has no parameters, so a Gaussian input gives a Gaussian output (an activation may follow).
 *
 * Finite network: the same window sum on the activations (./patches.ts), and its adjoint backward.
 * @module
 */
import { type Kernel, type Layer, ShapeMismatchError, UnsupportedError, positionsOf, singleKernel, singleShape, singleTensor } from '@wide/core';
import { poolBackward, poolForward } from './patches.js';
import { type Padding, type WindowGeometry, checkAxes, checkPadding, gatherTable, globalGeometry, shapeText, windowGeometry } from './window-geometry.js';
import { checkLayout, mapWindow } from './window-kernel.js';

/** Options of {@link avgPool} and {@link sumPool}. */
export interface PoolOptions {
  /** Window shape, one size per spatial axis, e.g. [2, 2]. */
  window: readonly number[];
  /** Stride per axis (default: the window, non-overlapping windows). */
  stride?: readonly number[];
  /** `VALID` (default), `SAME` or `CIRCULAR`. */
  padding?: Padding;
}

/** A finite pooling layer's geometry for the input it was initialised for. */
export interface PoolParams {
  /** The window on the input shape the layer was initialised for. */
  readonly geometry: WindowGeometry;
  /** Its gather table (input position per output position and tap). */
  readonly table: Int32Array;
  /** Channels C (unchanged by pooling). */
  readonly channels: number;
}

/** The pooling layer types. */
export type PoolType = 'avgPool' | 'sumPool' | 'globalAvgPool' | 'globalSumPool';

/** A pooling layer of `type` whose geometry on an input of spatial shape `s` is `geometry(s)`. */
function poolLayer(type: PoolType, describe: string, geometry: (inSpatial: readonly number[]) => WindowGeometry, average: boolean): Layer<PoolParams, number> {
  const a = (g: WindowGeometry) => (average ? 1 / g.taps : 1);
  return {
    type,
    describe,
    needsPositionPairs: true,
    chainStep: { kind: 'pool', spec: (s) => geometry(s).spec, average, global: type === 'globalAvgPool' || type === 'globalSumPool' },
    kernel(kv, { backend }) {
      const k: Kernel = singleKernel(kv, type);
      const g = geometry(k.spatial);
      if (k.diagonalSpatial && positionsOf(k) > 1) {
        throw new UnsupportedError(
          `${type} needs the covariances of all position pairs, but its input kernel holds same-position ones only (diagonalSpatial): the layout analysis should have chosen the full layout (computeKernel layout 'auto' or 'full')`,
        );
      }
      checkLayout(k, type);
      const s = a(g) * a(g);
      const out = mapWindow(k, (x, rows) => backend.windowSumPairs(g.spec, x, rows, false, s, 0), 0);
      // With one output position (global pooling) the two layouts coincide; store it on the diagonal.
      const P = g.outSpatial.reduce((p, n) => p * n, 1);
      return { ...k, spatial: g.outSpatial, diagonalSpatial: P === 1 ? true : k.diagonalSpatial, ...out, owned: true };
    },
    init(_rng, shape) {
      const s = singleShape(shape, type);
      const channels = s[s.length - 1];
      if (!channels) throw new ShapeMismatchError(`${type} needs inputs with a channel axis, got per-sample shape ${shapeText(s)}`);
      const g = geometry(s.slice(0, -1));
      return { params: { geometry: g, table: gatherTable(g), channels }, outputShape: [...g.outSpatial, channels] };
    },
    forward(p, xv) {
      const x = singleTensor(xv, type);
      const g = p.geometry;
      const want = [...g.inSpatial, p.channels];
      if (x.shape.slice(1).join() !== want.join()) throw new ShapeMismatchError(`${type} was initialised for per-sample shape ${shapeText(want)} but got ${shapeText(x.shape.slice(1))}`);
      const n = x.shape[0]!;
      const pin = g.inSpatial.reduce((u, v) => u * v, 1);
      const pout = g.outSpatial.reduce((u, v) => u * v, 1);
      const y = poolForward(x.data, n, pin, p.channels, p.table, pout, g.taps, a(g));
      return { y: { data: y, shape: [n, ...g.outSpatial, p.channels] }, cache: n };
    },
    backward(p, n, gyv) {
      const gy = singleTensor(gyv, type);
      const g = p.geometry;
      const pin = g.inSpatial.reduce((u, v) => u * v, 1);
      const pout = g.outSpatial.reduce((u, v) => u * v, 1);
      const gx = poolBackward(gy.data, n, pin, p.channels, p.table, pout, g.taps, a(g));
      return { gx: { data: gx, shape: [n, ...g.inSpatial, p.channels] }, grads: [] };
    },
  };
}

function windowed(type: 'avgPool' | 'sumPool', options: PoolOptions): Layer<PoolParams, number> {
  const window = checkAxes('window', options.window);
  const of = `window ${shapeText(window)}`;
  const stride = checkAxes('stride', options.stride ?? window, window.length, of);
  const padding = checkPadding(options.padding ?? 'VALID');
  const w = { size: window, stride, dilation: window.map(() => 1), padding };
  const describe = `${type} window=${shapeText(window)}, stride=${shapeText(stride)}, padding=${padding}`;
  return poolLayer(type, describe, (s) => windowGeometry(`${type} ${of}`, w, s), type === 'avgPool');
}

/** Average pooling over windows: Σ′_{o,o′} = 1/|w|² · Σ_{t,t′} Σ_{s·o+t, s·o′+t′} (see the module comment). */
export function avgPool(options: PoolOptions): Layer<PoolParams, number> {
  return windowed('avgPool', options);
}

/** Sum pooling over windows: Σ′_{o,o′} = Σ_{t,t′} Σ_{s·o+t, s·o′+t′}. */
export function sumPool(options: PoolOptions): Layer<PoolParams, number> {
  return windowed('sumPool', options);
}

/** Global average pooling: Σ′ = 1/P² · Σ_{p,p′} Σ_{p,p′}; the output has no spatial axes. */
export function globalAvgPool(): Layer<PoolParams, number> {
  return poolLayer('globalAvgPool', 'globalAvgPool', (s) => globalGeometry('globalAvgPool', s), true);
}

/** Global sum pooling: Σ′ = Σ_{p,p′} Σ_{p,p′}; the output has no spatial axes. */
export function globalSumPool(): Layer<PoolParams, number> {
  return poolLayer('globalSumPool', 'globalSumPool', (s) => globalGeometry('globalSumPool', s), false);
}
