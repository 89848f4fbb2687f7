/**
 * Test-local CNN layers built only on backend ops (as the @wide/layers conv, relu, flatten and
 * dense kernel rules are, which core's tests cannot import), each declaring its chain step, and
 * their step-by-step application through a backend (what `serial` does without fusion).
 */
import { expect } from 'vitest';
import { type Backend, type ChainStep, type Kernel, type Layer, type PairRule, type WindowSpec, jsBackend, positionsOf, wasmBackend } from '../src/index.js';
import { relErr } from './spatial-helpers.js';

/** abRelu(a, b) with the closed form of packages/layers (relu.ts), id and params as there, so it has the native form. */
export function abReluRule(a: number, b: number): PairRule {
  const both = (q1: number, q2: number, c: number, out: Float64Array) => {
    const d2 = (a - b) * (a - b);
    const qq = q1 * q2;
    const sq = qq > 0 ? Math.sqrt(qq) : 0;
    let rho = sq > 0 ? c / sq : 0;
    rho = rho > 1 ? 1 : rho < -1 ? -1 : rho;
    const dot = (a * a + b * b) / 2 - (d2 * Math.acos(rho)) / (2 * Math.PI);
    out[0] = (d2 / (2 * Math.PI)) * sq * Math.sqrt(Math.max(0, (1 - rho) * (1 + rho))) + dot * c;
    out[1] = dot;
  };
  const tmp = new Float64Array(2);
  return { id: 'abRelu', params: [a, b], both, nngp: (q1, q2, c) => (both(q1, q2, c, tmp), tmp[0]!), dnngp: (q1, q2, c) => (both(q1, q2, c, tmp), tmp[1]!) };
}

/** A same-size window: out = in, stride 1, padBefore ⌊(size−1)·d/2⌋ (SAME), zeros or wrapping. */
export function sameWindow(size: number, dilation = 1, circular = false): (spatial: readonly number[]) => WindowSpec {
  return (spatial) => ({ axes: spatial.map((n) => ({ in: n, out: n, size, stride: 1, dilation, padBefore: Math.floor(((size - 1) * dilation) / 2) })), circular });
}

/** A VALID window with stride: out = ⌊(in − (size−1)·d − 1)/s⌋ + 1; throws when it does not fit. */
export function validWindow(size: number, stride: number, dilation = 1): (spatial: readonly number[]) => WindowSpec {
  return (spatial) => ({
    axes: spatial.map((n) => {
      const span = (size - 1) * dilation + 1;
      if (span > n) throw new RangeError(`test conv: window of ${span} positions on an axis of ${n}`);
      return { in: n, out: Math.floor((n - span) / stride) + 1, size, stride, dilation, padBefore: 0 };
    }),
    circular: false,
  });
}

/** One step applied through a backend's ops, exactly as the layer it stands for (packages/layers), on either layout. */
export function applyStep(s: ChainStep, k: Kernel, b: Backend): Kernel {
  const rows = k.n1 * k.n2;
  const full = !k.diagonalSpatial;
  if (s.kind === 'affine') {
    const nngp = b.affine(k.nngp, s.w2, s.b2);
    const ntk = k.ntk ? b.combine(s.w2, k.ntk, 1, nngp) : null;
    const var1 = b.affine(k.var1, s.w2, s.b2);
    return { ...k, nngp, ntk, var1, var2: k.x1IsX2 ? var1 : b.affine(k.var2, s.w2, s.b2), isGaussian: true, channels: s.channels, owned: true };
  }
  if (s.kind === 'pair') {
    const layout = { n1: k.n1, n2: k.n2, positions: positionsOf(k), diagonalSpatial: k.diagonalSpatial, symmetric: k.x1IsX2 };
    const r = b.pairMap(s.rule, layout, k.nngp, k.ntk, k.var1, k.var2, false);
    return { ...k, nngp: r.nngp, ntk: r.ntk, var1: r.var1, var2: k.x1IsX2 ? r.var1 : r.var2, isGaussian: false, owned: true };
  }
  if (s.kind === 'window') {
    // conv.ts: windowSum(Σ, s, b²) (windowSumPairs with the shared tap on the full layout), the
    // same on Θ with shift 0, then combine(1, ·, 1, Σ′) when trained; the variances like Σ.
    const spec = s.spec(k.spatial);
    const sum = (x: Float64Array, n: number, shift: number) => (full ? b.windowSumPairs(spec, x, n, true, s.w2, shift) : b.windowSum(spec, x, n, s.w2, shift));
    const nngp = sum(k.nngp, rows, s.b2);
    let ntk = k.ntk ? sum(k.ntk, rows, 0) : null;
    if (ntk && s.trainable) ntk = b.combine(1, ntk, 1, nngp, ntk);
    const var1 = sum(k.var1, k.n1, s.b2);
    const var2 = k.x1IsX2 ? var1 : sum(k.var2, k.n2, s.b2);
    return { ...k, spatial: spec.axes.map((a) => a.out), nngp, ntk, var1, var2, isGaussian: true, channels: s.channels, owned: true };
  }
  if (s.kind === 'pool') {
    // pool.ts: windowSumPairs over all tap pairs with a² (a = 1/|w| or 1), shift 0, on every array.
    const spec = s.spec(k.spatial);
    const a = s.average ? 1 / spec.axes.reduce((t, x) => t * x.size, 1) : 1;
    const sum = (x: Float64Array, n: number) => b.windowSumPairs(spec, x, n, false, a * a, 0);
    const out = spec.axes.map((x) => x.out);
    const var1 = sum(k.var1, k.n1);
    return {
      ...k,
      spatial: s.global ? [] : out,
      diagonalSpatial: out.every((n) => n === 1) ? true : k.diagonalSpatial,
      nngp: sum(k.nngp, rows),
      ntk: k.ntk ? sum(k.ntk, rows) : null,
      var1,
      var2: k.x1IsX2 ? var1 : sum(k.var2, k.n2),
      owned: true,
    };
  }
  // flatten.ts: the mean of each block's diagonal (P numbers, or P×P with stride P + 1), in order.
  const P = positionsOf(k);
  if (k.spatial.length === 0) return k;
  const mean = (x: Float64Array, n: number) => {
    const out = new Float64Array(n);
    const stride = full ? P * P : P;
    const step = full ? P + 1 : 1;
    for (let r = 0; r < n; r++) {
      let t = 0;
      for (let p = 0; p < P; p++) t += x[r * stride + p * step]!;
      out[r] = t / P;
    }
    return out;
  };
  const var1 = mean(k.var1, k.n1);
  return {
    ...k,
    spatial: [],
    diagonalSpatial: true,
    nngp: mean(k.nngp, rows),
    ntk: k.ntk ? mean(k.ntk, rows) : null,
    var1,
    var2: k.x1IsX2 ? var1 : mean(k.var2, k.n2),
    channels: k.channels * P,
    isGaussian: k.isGaussian && P === 1,
    owned: true,
  };
}

/** A layer whose kernel rule is {@link applyStep} of its chain step (finite-width methods are not needed here). */
export function stepLayer(step: ChainStep, type: string): Layer<null, null> {
  const none = () => {
    throw new Error(`test layer ${type}: no finite network`);
  };
  return {
    type,
    chainStep: step,
    kernel: (k, ctx) => {
      const kk = k as Kernel;
      if (step.kind === 'pair' && !kk.isGaussian) throw new Error(`test layer ${type}: non-Gaussian input`);
      return applyStep(step, kk, ctx.backend);
    },
    init: none,
    forward: none,
    backward: none,
  };
}

/** A global window over every position (global pooling): out 1, size = in on each axis. */
export function globalWindow(spatial: readonly number[]): WindowSpec {
  return { axes: spatial.map((n) => ({ in: n, out: 1, size: n, stride: 1, dilation: 1, padBefore: 0 })), circular: false };
}

/** The CNN-GAP of Arora et al. on the full layout: [conv 3×3 SAME, relu] × depth, globalAvgPool, dense. */
export function gapSteps(depth: number, window = sameWindow(3)): ChainStep[] {
  const relu: ChainStep = { kind: 'pair', rule: abReluRule(0, 1) };
  const steps: ChainStep[] = [];
  for (let l = 0; l < depth; l++) steps.push({ kind: 'window', spec: window, w2: 2 / 9, b2: 0.01, channels: 8, trainable: true }, relu);
  steps.push({ kind: 'pool', spec: globalWindow, average: true, global: true }, { kind: 'affine', w2: 2, b2: 0.1, channels: 1 });
  return steps;
}

/** The CNN-V of Arora et al. on the diagonal layout: [conv 3×3 SAME, relu] × depth, flatten, dense. */
export function cnnSteps(depth: number, window = sameWindow(3)): ChainStep[] {
  const relu: ChainStep = { kind: 'pair', rule: abReluRule(0, 1) };
  const steps: ChainStep[] = [];
  for (let l = 0; l < depth; l++) steps.push({ kind: 'window', spec: window, w2: 2 / 9, b2: 0.01, channels: 8, trainable: true }, relu);
  steps.push({ kind: 'flatten' }, { kind: 'affine', w2: 2, b2: 0.1, channels: 1 });
  return steps;
}

/** Bit-for-bit equality of two arrays (Object.is on every number). */
export function identical(a: Float64Array | null, b: Float64Array | null): void {
  expect(a === null).toBe(b === null);
  if (!a || !b) return;
  expect(a.length).toBe(b.length);
  let bad = -1;
  for (let i = 0; i < a.length && bad < 0; i++) if (!Object.is(a[i], b[i])) bad = i;
  expect(bad < 0 ? null : { index: bad, fused: a[bad], layered: b[bad] }).toBeNull();
}

/** The steps applied one by one, each as its layer would on backend `b`. */
export const layered = (steps: readonly ChainStep[], k: Kernel, b: Backend): Kernel => steps.reduce((acc, s) => applyStep(s, acc, b), k);

/**
 * The fused chain of `steps` on `k` equals the steps one by one on the WebAssembly ops bit for bit
 * and on the JS ops to 1e-14, with the same spatial shape, channels and Gaussian-ness; returns the
 * fused and the layered kernels for further checks.
 */
export function expectFusedEqualsLayered(steps: readonly ChainStep[], k: Kernel): { fused: Kernel; wasm: Kernel } {
  const fused = wasmBackend.chain!(steps, k)!;
  expect(fused).not.toBeNull();
  const wasm = layered(steps, k, wasmBackend);
  const js = layered(steps, k, jsBackend);
  for (const key of ['nngp', 'ntk', 'var1', 'var2'] as const) {
    identical(fused[key], wasm[key]);
    expect(relErr(fused[key]!, js[key]!)).toBeLessThanOrEqual(1e-14);
  }
  expect(fused.spatial).toEqual(wasm.spatial);
  expect(fused.channels).toBe(wasm.channels);
  expect(fused.isGaussian).toBe(wasm.isGaussian);
  return { fused, wasm };
}
