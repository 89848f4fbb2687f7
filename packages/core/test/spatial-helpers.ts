/**
 * Test-local spatial layers built from the backend's window sums (core must not import
 * @wide/layers): a convolution, average pooling, global average pooling, flatten, a dense layer
 * and ReLU, each with only its kernel rule (conventions §1), on both spatial layouts. Enough to
 * exercise the layout analysis, the full-layout pair map and the tiled driver.
 */
import { type Kernel, type Layer, type PairRule, type WindowAxis, type WindowSpec, entriesPerPair, positionsOf, singleKernel } from '../src/index.js';

type Padding = 'SAME' | 'VALID' | 'CIRCULAR';

/** One axis of a window with neural-tangents' SAME / VALID / CIRCULAR conventions. */
export function windowAxis(n: number, size: number, stride: number, dilation: number, padding: Padding): WindowAxis {
  const span = (size - 1) * dilation + 1;
  if (padding === 'VALID') return { in: n, out: Math.floor((n - span) / stride) + 1, size, stride, dilation, padBefore: 0 };
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + span - n, 0);
  return { in: n, out, size, stride, dilation, padBefore: Math.floor(total / 2) };
}

/** A window spec over every spatial axis of `spatial`. */
export function windowSpec(spatial: readonly number[], size: number, stride: number, dilation: number, padding: Padding): WindowSpec {
  return { axes: spatial.map((n) => windowAxis(n, size, stride, dilation, padding)), circular: padding === 'CIRCULAR' };
}

/** A layer with only a kernel rule (the finite-network methods throw). */
function kernelOnly(type: string, kernel: Layer['kernel'], extra: Partial<Layer> = {}): Layer<null, null> {
  const no = () => {
    throw new Error(`${type}: test layer without a finite network`);
  };
  return { type, kernel, init: (_r, s) => ({ params: null, outputShape: s }), forward: no, backward: no, ...extra } as Layer<null, null>;
}

/** Applies a window op to Σ, Θ and the variances of `k` (ntk parameterisation when `w2` is set: Θ′ = w2·op(Θ) + Σ′). */
function windowRule(k: Kernel, spec: WindowSpec, scale: number, shift: number, shared: boolean, ntkAddsSigma: boolean, ctx: { backend: import('../src/index.js').Backend }): Kernel {
  const b = ctx.backend;
  const op = (x: Float64Array, rows: number, sh: number) => (k.diagonalSpatial ? b.windowSum(spec, x, rows, scale, sh) : b.windowSumPairs(spec, x, rows, shared, scale, sh));
  const nngp = op(k.nngp, k.n1 * k.n2, shift);
  const ntk = k.ntk ? op(k.ntk, k.n1 * k.n2, 0) : null;
  if (ntk && ntkAddsSigma) b.combine(1, ntk, 1, nngp, ntk);
  const var1 = op(k.var1, k.n1, shift);
  const var2 = k.x1IsX2 ? var1 : op(k.var2, k.n2, shift);
  return { ...k, spatial: spec.axes.map((a) => a.out), nngp, ntk, var1, var2, owned: true };
}

/** conv (size^rank filter, stride, dilation, padding), ntk parameterisation: Σ′ = w²/|F|·Σ_δ Σ + b², Θ′ = w²/|F|·Σ_δ Θ + Σ′. */
export function conv(size: number, options: { stride?: number; dilation?: number; padding?: Padding; w2?: number; b2?: number } = {}): Layer<null, null> {
  const { stride = 1, dilation = 1, padding = 'SAME', w2 = 2, b2 = 0.1 } = options;
  return kernelOnly('conv', (kv, ctx) => {
    const k = singleKernel(kv, 'conv');
    const spec = windowSpec(k.spatial, size, stride, dilation, padding);
    const taps = size ** k.spatial.length;
    return { ...windowRule(k, spec, w2 / taps, b2, true, true, ctx), isGaussian: true };
  });
}

/** avgPool (window^rank, stride = window, VALID): Σ′ = 1/|w|²·Σ_{t,t′} Σ, needs position pairs. */
export function avgPool(window: number): Layer<null, null> {
  return kernelOnly(
    'avgPool',
    (kv, ctx) => {
      const k = singleKernel(kv, 'avgPool');
      if (k.diagonalSpatial) throw new Error('avgPool needs the full layout');
      const spec = windowSpec(k.spatial, window, window, 1, 'VALID');
      const w = window ** k.spatial.length;
      return windowRule(k, spec, 1 / (w * w), 0, false, false, ctx);
    },
    {
      needsPositionPairs: true,
      init: (_r, s) => {
        const shape = s as readonly number[];
        const spec = windowSpec(shape.slice(0, -1), window, window, 1, 'VALID');
        return { params: null, outputShape: [...spec.axes.map((a) => a.out), shape.at(-1)!] };
      },
    },
  );
}

/** globalAvgPool: Σ′ = 1/P²·Σ_{p,p′} Σ (a window over the whole input, one output), stored with P = 1. */
export function globalAvgPool(): Layer<null, null> {
  return kernelOnly(
    'globalAvgPool',
    (kv, ctx) => {
      const k = singleKernel(kv, 'globalAvgPool');
      if (k.diagonalSpatial) throw new Error('globalAvgPool needs the full layout');
      const spec: WindowSpec = { axes: k.spatial.map((n) => ({ in: n, out: 1, size: n, stride: 1, dilation: 1, padBefore: 0 })), circular: false };
      const P = positionsOf(k);
      return { ...windowRule(k, spec, 1 / (P * P), 0, false, false, ctx), spatial: [], diagonalSpatial: true };
    },
    { needsPositionPairs: true, init: (_r, s) => ({ params: null, outputShape: [(s as readonly number[]).at(-1)!] }) },
  );
}

/** flatten: Σ′ = mean over p of Σₚₚ (either layout), not Gaussian when P > 1. */
export function flatten(): Layer<null, null> {
  return kernelOnly('flatten', (kv) => {
    const k = singleKernel(kv, 'flatten');
    const P = positionsOf(k);
    const E = entriesPerPair(k);
    const step = k.diagonalSpatial ? 1 : P + 1;
    const mean = (a: Float64Array, rows: number) => {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let p = 0; p < P; p++) s += a[r * E + p * step]!;
        out[r] = s / P;
      }
      return out;
    };
    const var1 = mean(k.var1, k.n1);
    return { ...k, spatial: [], diagonalSpatial: true, nngp: mean(k.nngp, k.n1 * k.n2), ntk: k.ntk ? mean(k.ntk, k.n1 * k.n2) : null, var1, var2: k.x1IsX2 ? var1 : mean(k.var2, k.n2), isGaussian: P === 1, owned: true };
  }, { init: (_r, s) => ({ params: null, outputShape: [(s as readonly number[]).reduce((a, b) => a * b, 1)] }) });
}

/** dense, ntk parameterisation: Σ′ = w²Σ + b², Θ′ = w²Θ + Σ′ (every entry of either layout). */
export function dense(w2 = 1.5, b2 = 0.05): Layer<null, null> {
  return kernelOnly('dense', (kv, { backend: b }) => {
    const k = singleKernel(kv, 'dense');
    const nngp = b.affine(k.nngp, w2, b2);
    const ntk = k.ntk ? b.combine(w2, k.ntk, 1, nngp) : null;
    const var1 = b.affine(k.var1, w2, b2);
    return { ...k, nngp, ntk, var1, var2: k.x1IsX2 ? var1 : b.affine(k.var2, w2, b2), isGaussian: true, owned: true };
  });
}

/** ReLU's arc-cosine kernel (Cho & Saul 2009): Σ′ = √(q1q2)·(sin θ + (π − θ) cos θ)/(2π), Σ̇ = (π − θ)/(2π). No native form (JS pair map on every backend). */
export const reluRule: PairRule = {
  id: 'test-relu',
  params: [],
  nngp(q1, q2, c) {
    const s = Math.sqrt(q1 * q2);
    if (!(s > 0)) return 0;
    const rho = Math.max(-1, Math.min(1, c / s));
    const t = Math.acos(rho);
    return (s * (Math.sin(t) + (Math.PI - t) * rho)) / (2 * Math.PI);
  },
  dnngp(q1, q2, c) {
    const s = Math.sqrt(q1 * q2);
    const rho = s > 0 ? Math.max(-1, Math.min(1, c / s)) : 0;
    return (Math.PI - Math.acos(rho)) / (2 * Math.PI);
  },
};

/** relu through backend.pairMap on the kernel's own layout. */
export function relu(): Layer<null, null> {
  return kernelOnly('relu', (kv, { backend }) => {
    const k = singleKernel(kv, 'relu');
    const layout = { n1: k.n1, n2: k.n2, positions: positionsOf(k), diagonalSpatial: k.diagonalSpatial, symmetric: k.x1IsX2 };
    const r = backend.pairMap(reluRule, layout, k.nngp, k.ntk, k.var1, k.var2, false);
    return { ...k, nngp: r.nngp, ntk: r.ntk, var1: r.var1, var2: k.x1IsX2 ? r.var1 : r.var2, isGaussian: false, owned: true };
  });
}

/** Largest |a − b| relative to max |b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return scale > 0 ? worst / scale : worst;
}

/** Index of the first entry where `a` and `b` differ in value (Object.is: bit for bit, NaN = NaN), −1 when none; a length difference counts at the shorter length. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}
