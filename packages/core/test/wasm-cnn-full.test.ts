import { describe, expect, it } from 'vitest';
import { type Backend, type ChainStep, type Kernel, type PairLayout, NonFiniteKernelError, Rng, ShapeMismatchError, computeKernel, inputKernel, jsBackend, serial, wasmBackend } from '../src/index.js';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';
import { abReluRule, expectFusedEqualsLayered, identical, layered, applyStep, gapSteps, globalWindow, sameWindow, stepLayer, validWindow } from './wasm-cnn-layers.js';
import { relErr } from './spatial-helpers.js';

const rt = wasmRuntime();




/** A full-layout (all position pairs) input kernel of images, not owned. */
function full(rng: Rng, n1: number, n2: number | null, spatial: number[], C: number, ntk = true): Kernel {
  const P = spatial.reduce((a, b) => a * b, 1);
  const x1 = { data: rng.normals(n1 * P * C), shape: [n1, ...spatial, C] };
  const x2 = n2 === null ? null : { data: rng.normals(n2 * P * C), shape: [n2, ...spatial, C] };
  const k = inputKernel(x1, x2, { backend: wasmBackend, ntk, layout: 'full' });
  // A non-zero Θ (symmetric when Σ is), so that Θ′ = Σ̇·Θ is checked too.
  if (k.ntk) for (let i = 0; i < k.ntk.length; i++) k.ntk[i] = 0.5 * k.nngp[i]! + 0.1;
  return { ...k, owned: false };
}

const layoutOf = (k: Kernel): PairLayout => ({ n1: k.n1, n2: k.n2, positions: k.spatial.reduce((a, b) => a * b, 1), diagonalSpatial: false, symmetric: k.x1IsX2 });

describe.skipIf(!rt)('the WebAssembly pair map on the full layout (per-pair P×P blocks)', () => {
  const rng = new Rng(31);
  it.each([
    ['relu, symmetric, 5×4 images', abReluRule(0, 1), 6, null, [5, 4]],
    ['leaky relu, two batches, 1-D', abReluRule(0.3, 1.2), 5, 3, [7]],
    ['abs, symmetric, 3×3×2 volumes', abReluRule(-1, 1), 4, null, [3, 3, 2]],
  ] as const)('%s: equals the plain-JS pair map to 1e-14, variance blocks included', (_name, rule, n1, n2, spatial) => {
    const k = full(rng, n1, n2, [...spatial], 3);
    const layout = layoutOf(k);
    const a = wasmBackend.pairMap(rule, layout, k.nngp, k.ntk, k.var1, k.var2, false);
    const b = jsBackend.pairMap(rule, layout, k.nngp, k.ntk, k.var1, k.var2, false);
    expect(rt!.offsetOf(a.nngp)).toBeGreaterThanOrEqual(0); // the native kernel ran
    expect(relErr(a.nngp, b.nngp)).toBeLessThanOrEqual(1e-14);
    expect(relErr(a.ntk!, b.ntk!)).toBeLessThanOrEqual(1e-14);
    expect(relErr(a.var1, b.var1)).toBeLessThanOrEqual(1e-14);
    expect(relErr(a.var2, b.var2)).toBeLessThanOrEqual(1e-14);
    const P = layout.positions;
    if (n2 === null) {
      expect(a.var2).toBe(a.var1);
      // A sample with itself: the (i, i) block of Σ′ is its variance block bit for bit, the diagonal Σ′(q, q, q).
      for (let i = 0; i < n1; i++) {
        const block = a.nngp.subarray((i * n1 + i) * P * P, (i * n1 + i + 1) * P * P);
        expect(Array.from(block)).toEqual(Array.from(a.var1.subarray(i * P * P, (i + 1) * P * P)));
      }
    }
    // The same-position entries equal the diagonal-layout pair map's (same q's, same c).
    const diag = (x: Float64Array, pairs: number) => Float64Array.from({ length: pairs * P }, (_, r) => x[(Math.floor(r / P) * P + (r % P)) * P + (r % P)]!);
    const d = wasmBackend.pairMap(rule, { ...layout, diagonalSpatial: true }, diag(k.nngp, n1 * (n2 ?? n1)), diag(k.ntk!, n1 * (n2 ?? n1)), diag(k.var1, n1), diag(k.var2, n2 ?? n1), false);
    expect(relErr(diag(a.nngp, n1 * (n2 ?? n1)), d.nngp)).toBeLessThanOrEqual(1e-15);
    expect(relErr(diag(a.ntk!, n1 * (n2 ?? n1)), d.ntk!)).toBeLessThanOrEqual(1e-15);
  });

  it('works in place (Σ and Θ) when asked, and without the NTK', () => {
    const k = full(rng, 4, null, [4, 4], 2);
    const rule = abReluRule(0, 1);
    const layout = layoutOf(k);
    const ref = wasmBackend.pairMap(rule, layout, k.nngp, k.ntk, k.var1, k.var2, false);
    const nngp = wasmBackend.zeros(k.nngp.length);
    nngp.set(k.nngp);
    const ntk = wasmBackend.zeros(k.ntk!.length);
    ntk.set(k.ntk!);
    const inPlace = wasmBackend.pairMap(rule, layout, nngp, ntk, k.var1, k.var2, true);
    expect(inPlace.nngp).toBe(nngp);
    expect(inPlace.ntk).toBe(ntk);
    expect(Array.from(inPlace.nngp)).toEqual(Array.from(ref.nngp));
    expect(Array.from(inPlace.ntk!)).toEqual(Array.from(ref.ntk!));
    const noNtk = wasmBackend.pairMap(rule, layout, k.nngp, null, k.var1, k.var2, false);
    expect(noNtk.ntk).toBeNull();
    expect(Array.from(noNtk.nngp)).toEqual(Array.from(ref.nngp));
  });

  it('the all-position-pairs Gram tensor equals the plain-JS one to 1e-14 (symmetric and two batches)', () => {
    for (const [n1, n2, P, C] of [[3, 2, 12, 5], [5, 5, 9, 1], [2, 3, 30, 2]] as const) {
      const a = rng.normals(n1 * P * C);
      const b = rng.normals(n2 * P * C);
      const sym = wasmBackend.gramPairs(a, null, n1, n1, P, C, 1 / C);
      expect(rt!.offsetOf(sym)).toBeGreaterThanOrEqual(0);
      expect(relErr(sym, jsBackend.gramPairs(a, null, n1, n1, P, C, 1 / C))).toBeLessThanOrEqual(1e-14);
      expect(relErr(wasmBackend.gramPairs(a, b, n1, n2, P, C, 1 / C), jsBackend.gramPairs(a, b, n1, n2, P, C, 1 / C))).toBeLessThanOrEqual(1e-14);
      // Exactly symmetric: block (j, i) is the transpose of block (i, j).
      for (let i = 0; i < n1; i++) for (let j = 0; j < n1; j++) for (let p = 0; p < P; p += 5) for (let q = 0; q < P; q += 3) expect(sym[((i * n1 + j) * P + p) * P + q]).toBe(sym[((j * n1 + i) * P + q) * P + p]);
    }
  });

  it('a full-layout array set of the wrong length gets the reference error', () => {
    const k = full(rng, 3, null, [3, 3], 1);
    const layout = layoutOf(k);
    expect(() => wasmBackend.pairMap(abReluRule(0, 1), layout, k.nngp, k.ntk, k.var1.subarray(9), k.var2, false)).toThrow(ShapeMismatchError);
  });
});

describe.skipIf(!rt)('the fused full-layout chain (CNN-GAP: the P×P blocks of one sample pair at a time)', () => {
  const rng = new Rng(41);
  const relu: ChainStep = { kind: 'pair', rule: abReluRule(0, 1) };
  const leaky: ChainStep = { kind: 'pair', rule: abReluRule(0.2, 1) };
  const conv = (spec: (s: readonly number[]) => import('../src/index.js').WindowSpec, trainable = true): ChainStep => ({ kind: 'window', spec, w2: 1.7 / 9, b2: 0.05, channels: 6, trainable });
  const avgPool2: ChainStep = { kind: 'pool', spec: (s) => ({ axes: s.map((n) => ({ in: n, out: Math.floor(n / 2), size: 2, stride: 2, dilation: 1, padBefore: 0 })), circular: false }), average: true, global: false };
  const cases: [string, number[], number | null, ChainStep[]][] = [
    ['CNN-GAP depth 3, 5×4 images, two batches', [5, 4], 3, gapSteps(2)],
    ['avgPool 2×2 mid-chain (the q after it from the pooled blocks), then a relu and global sum pooling', [6, 5], 2, [conv(sameWindow(3)), relu, avgPool2, leaky, conv(sameWindow(2, 1, true), false), relu, { kind: 'pool', spec: globalWindow, average: false, global: true }]],
    ['flatten of the full layout, then dense and relu', [4, 3], 4, [conv(validWindow(2, 1)), relu, conv(sameWindow(3)), { kind: 'flatten' }, { kind: 'affine', w2: 1.1, b2: 0.2, channels: 3 }, relu]],
    ['a chain that stays on the full layout (1-D)', [9], 2, [conv(sameWindow(3, 2)), relu, conv(validWindow(3, 2))]],
  ];

  it.each(cases)('%s: equals the layers one by one on the WebAssembly ops bit for bit, and on the JS ops to 1e-14', (_name, spatial, n2, steps) => {
    const k = full(rng, 4, n2, spatial, 2);
    const { fused, wasm } = expectFusedEqualsLayered(steps, k);
    expect(fused.diagonalSpatial).toBe(wasm.diagonalSpatial);
  });

  it.each([
    ['CNN-GAP', [5, 5], gapSteps(3)],
    ['a chain that stays on the full layout', [4, 4], [conv(sameWindow(3)), relu, conv(sameWindow(3))] as ChainStep[]],
  ] as const)('symmetric %s: pairs j ≥ i equal the layers bit for bit, the mirrored rest to 1e-14, and the result is exactly symmetric', (_name, spatial, steps) => {
    const n = 5;
    const k = full(rng, n, null, [...spatial], 1);
    const fused = wasmBackend.chain!(steps, k)!;
    const wasm = layered(steps, k, wasmBackend);
    const E = fused.diagonalSpatial ? 1 : fused.spatial.reduce((a, b) => a * b, 1) ** 2;
    const P = Math.round(Math.sqrt(E));
    for (const key of ['nngp', 'ntk'] as const) {
      const f = fused[key]!;
      const w = wasm[key]!;
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) identical(f.subarray((i * n + j) * E, (i * n + j + 1) * E), w.subarray((i * n + j) * E, (i * n + j + 1) * E));
      expect(relErr(f, w)).toBeLessThanOrEqual(1e-14);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) expect(f[((i * n + j) * P + p) * P + q]).toBe(f[((j * n + i) * P + q) * P + p]);
    }
    identical(fused.var1, wasm.var1);
    expect(fused.var2).toBe(fused.var1);
  });

  it('through serial with computeKernel: one fused run, equal to the JS layers to 1e-14', () => {
    const steps = gapSteps(3);
    const net = serial(...steps.map((s, l) => stepLayer(s, `step${l}`)));
    const calls: number[] = [];
    const spy: Backend = { ...wasmBackend, chain: (s, kk) => (calls.push(s.length), wasmBackend.chain!(s, kk)) };
    const x = { data: rng.normals(4 * 49), shape: [4, 7, 7, 1] };
    const a = computeKernel(net, x, null, { backend: spy, layout: 'full' });
    expect(calls).toEqual([8]);
    const b = computeKernel(net, x, null, { backend: jsBackend, layout: 'full' });
    expect(a.spatial).toEqual([]);
    expect(relErr(a.nngp, b.nngp)).toBeLessThanOrEqual(1e-14);
    expect(relErr(a.ntk!, b.ntk!)).toBeLessThanOrEqual(1e-14);
  });

  it('names the failing step: from the variance blocks first, then from the pairs', () => {
    const k = full(rng, 3, null, [4, 4], 1);
    const steps = gapSteps(2);
    const big: ChainStep[] = [...steps.slice(0, 2), { kind: 'window', spec: sameWindow(3), w2: 1e308, b2: 0, channels: 3, trainable: true }, ...steps.slice(3)];
    expect(() => wasmBackend.chain!(big, k)).toThrow(expect.objectContaining({ step: 2, problem: 'the NNGP overflows to Infinity' }));
    const nan = { ...k, ntk: k.ntk!.slice() };
    nan.ntk![(0 * 3 + 2) * 256 + 17] = NaN;
    let err: unknown = null;
    try {
      wasmBackend.chain!(steps, nan);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteKernelError);
    expect((err as NonFiniteKernelError).problem).toBe('the NTK turns NaN');
    expect((err as NonFiniteKernelError).step).toBe(0);
  });

  it('declines what it does not fuse: pooling a same-position kernel, a full-layout run without a window or pool, wrong lengths', () => {
    const k = full(rng, 2, null, [3, 3], 1);
    expect(wasmBackend.chain!([relu, { kind: 'affine', w2: 1, b2: 0, channels: 1 }], k)).toBeNull();
    expect(wasmBackend.chain!(gapSteps(1), { ...k, nngp: k.nngp.subarray(1) })).toBeNull();
    const d = { ...inputKernel({ data: rng.normals(2 * 9), shape: [2, 3, 3, 1] }, null, { backend: wasmBackend }), owned: false };
    expect(wasmBackend.chain!(gapSteps(1), d)).toBeNull();
  });
});
