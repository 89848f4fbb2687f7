import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Backend, type ChainStep, type Kernel, NonFiniteKernelError, Rng, computeKernel, inputKernel, jsBackend, serial, wasmBackend } from '../src/index.js';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';
import { abReluRule, expectFusedEqualsLayered, identical, layered, applyStep, cnnSteps, sameWindow, stepLayer, validWindow } from './wasm-cnn-layers.js';
import { relErr } from './spatial-helpers.js';

const rt = wasmRuntime();



/** The input kernel of n1 (and n2, null: x2 = x1) images of the given spatial shape and C channels, not owned. */
function images(rng: Rng, n1: number, n2: number | null, spatial: number[], C: number, ntk = true): Kernel {
  const P = spatial.reduce((a, b) => a * b, 1);
  const x1 = { data: rng.normals(n1 * P * C), shape: [n1, ...spatial, C] };
  const x2 = n2 === null ? null : { data: rng.normals(n2 * P * C), shape: [n2, ...spatial, C] };
  return { ...inputKernel(x1, x2, { backend: wasmBackend, ntk }), owned: false };
}


describe.skipIf(!rt)('the fused CNN chain (conv, activation, flatten, dense per sample pair)', () => {
  const rng = new Rng(21);
  const relu: ChainStep = { kind: 'pair', rule: abReluRule(0, 1) };
  const leaky: ChainStep = { kind: 'pair', rule: abReluRule(0.2, 1) };
  const conv = (spec: (s: readonly number[]) => import('../src/index.js').WindowSpec, trainable = true): ChainStep => ({ kind: 'window', spec, w2: 1.7 / 9, b2: 0.05, channels: 6, trainable });
  const cases: [string, number[], number | null, ChainStep[]][] = [
    ['CNN-V depth 4, 6×5 images, symmetric', [6, 5], null, cnnSteps(4)],
    ['CNN-V depth 3, 7×4 images, two batches', [7, 4], 3, cnnSteps(3)],
    ['strided VALID and dilated circular convs, leaky relu, no flatten', [9, 8], null, [conv(validWindow(3, 2)), leaky, conv(sameWindow(3, 2, true)), relu, conv(sameWindow(2)), relu]],
    ['1-D and a fixed (not trained) conv', [17], 4, [conv(sameWindow(5), false), relu, conv(validWindow(4, 1, 3)), relu, { kind: 'flatten' }, { kind: 'affine', w2: 1.5, b2: 0, channels: 2 }]],
    ['3-D', [3, 4, 5], null, [conv(sameWindow(3)), relu, conv(validWindow(2, 1)), leaky, { kind: 'flatten' }]],
  ];

  it.each(cases)('%s: equals the layers one by one on the WebAssembly ops bit for bit, and on the JS ops to 1e-14', (_name, spatial, n2, steps) => {
    const k = images(rng, 7, n2, spatial, 3);
    const { fused } = expectFusedEqualsLayered(steps, k);
    expect(fused.diagonalSpatial).toBe(true);
    if (n2 === null) expect(fused.var2).toBe(fused.var1);
  });

  it('random CNN chains (fast-check): fused = the layers on the WebAssembly ops bit for bit, = the JS ops to 1e-14', () => {
    const windowArb = fc.record({
      size: fc.integer({ min: 1, max: 3 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      stride: fc.integer({ min: 1, max: 2 }),
      padding: fc.constantFrom('SAME', 'VALID', 'CIRCULAR'),
      w2: fc.double({ min: 0.5, max: 2, noNaN: true }),
      b2: fc.double({ min: 0, max: 0.2, noNaN: true }),
      trainable: fc.boolean(),
    });
    const ruleArb = fc.constantFrom(abReluRule(0, 1), abReluRule(0.1, 1), abReluRule(-1, 1));
    const blockArb = fc.record({ window: windowArb, rule: fc.option(ruleArb, { nil: null }) });
    const netArb = fc.record({
      spatial: fc.array(fc.integer({ min: 3, max: 7 }), { minLength: 1, maxLength: 2 }),
      blocks: fc.array(blockArb, { minLength: 1, maxLength: 4 }),
      readout: fc.boolean(),
      n1: fc.integer({ min: 1, max: 4 }),
      n2: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      ntk: fc.boolean(),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(netArb, (net) => {
        const steps: ChainStep[] = [];
        let shape = net.spatial;
        for (const b of net.blocks) {
          const w = b.window;
          const spec = (s: readonly number[]) => ({
            axes: s.map((n) => {
              const span = (w.size - 1) * w.dilation + 1;
              const out = w.padding === 'VALID' ? Math.floor((n - span) / w.stride) + 1 : Math.ceil(n / w.stride);
              const pad = w.padding === 'VALID' ? 0 : Math.floor(Math.max((out - 1) * w.stride + span - n, 0) / 2);
              return { in: n, out, size: w.size, stride: w.stride, dilation: w.dilation, padBefore: pad };
            }),
            circular: w.padding === 'CIRCULAR',
          });
          const axes = spec(shape).axes;
          fc.pre(axes.every((a) => a.out >= 1));
          shape = axes.map((a) => a.out);
          steps.push({ kind: 'window', spec, w2: w.w2 / w.size ** shape.length, b2: w.b2, channels: 4, trainable: w.trainable });
          if (b.rule) steps.push({ kind: 'pair', rule: b.rule });
        }
        if (net.readout) steps.push({ kind: 'flatten' }, { kind: 'affine', w2: 1.3, b2: 0.1, channels: 2 }, { kind: 'pair', rule: abReluRule(0, 1) });
        const k = images(new Rng(net.seed), net.n1, net.n2, net.spatial, 2, net.ntk);
        const fused = wasmBackend.chain!(steps, k)!;
        const wasm = layered(steps, k, wasmBackend);
        const js = layered(steps, k, jsBackend);
        for (const key of ['nngp', 'ntk', 'var1', 'var2'] as const) {
          identical(fused[key], wasm[key]);
          if (js[key]) expect(relErr(fused[key]!, js[key]!)).toBeLessThanOrEqual(1e-14);
        }
        expect(fused.spatial).toEqual(wasm.spatial);
        expect(fused.isGaussian).toBe(wasm.isGaussian);
      }),
      { numRuns: 120 },
    );
  });

  it('symmetric = two-batch evaluation of the same samples, bit for bit; without the NTK; in place on an owned kernel', () => {
    const x = rng.normals(6 * 30);
    const shape = [6, 6, 5, 1];
    const steps = cnnSteps(3);
    const sym = inputKernel({ data: x, shape }, null, { backend: wasmBackend });
    const two = inputKernel({ data: x, shape }, { data: x.slice(), shape }, { backend: wasmBackend });
    const a = wasmBackend.chain!(steps, { ...sym, owned: false })!;
    const b = wasmBackend.chain!(steps, { ...two, owned: false })!;
    identical(a.nngp, b.nngp);
    identical(a.ntk, b.ntk);
    identical(a.var1, b.var2);
    const c = wasmBackend.chain!(steps, { ...sym, ntk: null, owned: false })!;
    expect(c.ntk).toBeNull();
    identical(c.nngp, a.nngp);
    // Shape-preserving run on an owned kernel: the input arrays are reused.
    const keep = [steps[0]!, steps[1]!];
    const ref = layered(keep, { ...two, owned: false }, wasmBackend);
    const d = wasmBackend.chain!(keep, { ...sym, owned: true })!;
    expect(d.nngp).toBe(sym.nngp);
    expect(d.ntk).toBe(sym.ntk);
    identical(d.nngp, ref.nngp);
    identical(d.ntk, ref.ntk);
    // A run that changes the positions (flatten) writes new arrays even on an owned kernel.
    const e = wasmBackend.chain!([...keep, { kind: 'flatten' }], { ...two, owned: true })!;
    expect(e.nngp).not.toBe(two.nngp);
    expect(e.nngp.length).toBe(36);
  });

  it('a depth-21 CNN-V on 28×28 images through serial: fused (one backend chain) equals the JS layers to 1e-14', () => {
    const steps = cnnSteps(20);
    const net = serial(...steps.map((s, l) => stepLayer(s, `step${l}`)));
    const calls: number[] = [];
    const spy: Backend = { ...wasmBackend, chain: (s, k) => (calls.push(s.length), wasmBackend.chain!(s, k)) };
    const x = { data: rng.normals(5 * 784), shape: [5, 28, 28, 1] };
    const fused = computeKernel(net, x, null, { backend: spy });
    expect(calls).toEqual([42]);
    const js = computeKernel(net, x, null, { backend: jsBackend });
    expect(fused.spatial).toEqual([]);
    expect(relErr(fused.nngp, js.nngp)).toBeLessThanOrEqual(1e-14);
    expect(relErr(fused.ntk!, js.ntk!)).toBeLessThanOrEqual(1e-14);
    // The kernel is a real one: symmetric, positive diagonal, Θ ≥ Σ on it.
    for (let i = 0; i < 5; i++) {
      expect(fused.nngp[i * 5 + i]).toBeGreaterThan(0);
      expect(fused.ntk![i * 5 + i]).toBeGreaterThan(fused.nngp[i * 5 + i]!);
      for (let j = 0; j < 5; j++) expect(fused.nngp[i * 5 + j]).toBe(fused.nngp[j * 5 + i]);
    }
  });

  it('serial stops a run before a conv whose window does not fit, and that layer reports it', () => {
    const steps: ChainStep[] = [conv(sameWindow(3)), relu, conv(validWindow(5, 1)), relu];
    const net = serial(...steps.map((s, l) => stepLayer(s, `step${l}`)));
    const calls: number[] = [];
    const spy: Backend = { ...wasmBackend, chain: (s, k) => (calls.push(s.length), wasmBackend.chain!(s, k)) };
    const x = { data: rng.normals(3 * 12), shape: [3, 4, 3, 1] };
    expect(() => computeKernel(net, x, null, { backend: spy })).toThrow(/window of 5 positions on an axis of 4/);
    expect(calls).toEqual([2]);
  });

  it('names the step whose kernel overflows or turns NaN (variances first, then the pairs)', () => {
    const k = images(rng, 5, null, [5, 5], 2);
    const steps = cnnSteps(3);
    const big: ChainStep[] = [...steps.slice(0, 2), { kind: 'window', spec: sameWindow(3), w2: 1e308, b2: 0, channels: 3, trainable: true }, ...steps.slice(3)];
    expect(() => wasmBackend.chain!(big, k)).toThrow(expect.objectContaining({ step: 2, problem: 'the NNGP overflows to Infinity' }));
    // Off the diagonal only (the variances stay finite): the pair pass finds it.
    const inf = { ...k, nngp: k.nngp.slice() };
    inf.nngp[(0 * 5 + 3) * 25 + 7] = Infinity;
    expect(() => wasmBackend.chain!(steps, inf)).toThrow(expect.objectContaining({ step: 0, problem: 'the NNGP overflows to Infinity' }));
    const nan = { ...k, ntk: k.ntk!.slice() };
    nan.ntk![(1 * 5 + 2) * 25 + 4] = NaN;
    let err: unknown = null;
    try {
      wasmBackend.chain!(steps, nan);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteKernelError);
    expect((err as NonFiniteKernelError).problem).toBe('the NTK turns NaN');
    expect((err as NonFiniteKernelError).step).toBe(0);
    // Through serial the layer is named.
    const net = serial(...big.map((s, l) => stepLayer(s, `step${l}`)));
    expect(() => computeKernel(net, { data: rng.normals(4 * 25), shape: [4, 5, 5, 1] })).toThrow(/^layers\[2\] \(step2\): the NNGP overflows to Infinity$/);
  });

  it('declines a rule without a native form, and arrays that are not the full layout they claim', () => {
    const k = images(rng, 3, null, [4, 4], 1);
    const custom: ChainStep = { kind: 'pair', rule: { ...abReluRule(0, 1), id: 'custom' } };
    const steps = cnnSteps(2);
    expect(wasmBackend.chain!([steps[0]!, custom], k)).toBeNull();
    expect(wasmBackend.chain!(steps, { ...k, diagonalSpatial: false })).toBeNull();
  });
});
