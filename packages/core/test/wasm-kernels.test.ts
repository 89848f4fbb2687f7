import { describe, expect, it } from 'vitest';
import { type ChainStep, type Kernel, type PairRule, NonFiniteKernelError, Rng, inputKernel, jsBackend, wasmBackend } from '../src/index.js';
import { releaseArray } from '../src/cpu/wasm/arena.js';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';
import { abReluRule } from './wasm-cnn-layers.js';

const rt = wasmRuntime();


/** |a − b| ≤ tol·max|b| entrywise. */
function close(a: Float64Array, b: Float64Array, tol: number): void {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

const same = (a: Float64Array | null, b: Float64Array | null) => expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));

describe.skipIf(!rt)('WebAssembly Gram and row norms', () => {
  const rng = new Rng(11);
  it.each([
    [1, 1, 1, 1],
    [7, 5, 1, 3],
    [130, 67, 1, 785],
    [41, 9, 3, 4],
    [600, 517, 1, 17],
  ])('n1=%i n2=%i P=%i C=%i: equals the JS Gram to 1e-14 (symmetric and two-batch)', (n1, n2, P, C) => {
    const a = rng.normals(n1 * P * C);
    const b = rng.normals(n2 * P * C);
    close(wasmBackend.gram(a, null, n1, n1, P, C, 1 / C), jsBackend.gram(a, null, n1, n1, P, C, 1 / C), 1e-14);
    close(wasmBackend.gram(a, b, n1, n2, P, C, 1 / C), jsBackend.gram(a, b, n1, n2, P, C, 1 / C), 1e-14);
  });

  it('row norms equal the Gram diagonal bit for bit, also for a sample in two batches and in any tile', () => {
    for (const [n, P, C] of [[203, 1, 784], [37, 2, 5], [64, 1, 1]] as const) {
      const x = rng.normals(n * P * C);
      const q = wasmBackend.rowNorms(x, n * P, C, 1 / C);
      const g = wasmBackend.gram(x, null, n, n, P, C, 1 / C);
      // Rows 100.. of x as a second batch (a subarray view: offsets move, the order must not).
      const k = Math.min(5, n - 1);
      const tail = x.subarray((n - k) * P * C);
      const cross = wasmBackend.gram(x, tail, n, k, P, C, 1 / C);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < P; p++) expect(g[(i * n + i) * P + p]).toBe(q[i * P + p]);
      }
      for (let j = 0; j < k; j++) {
        const i = n - k + j;
        for (let p = 0; p < P; p++) expect(cross[(i * k + j) * P + p]).toBe(q[i * P + p]);
      }
      // Symmetric: the lower triangle is the mirror of the upper.
      for (let i = 0; i < n; i += 7) for (let j = 0; j < i; j += 3) expect(g[(i * n + j) * P]).toBe(g[(j * n + i) * P]);
    }
  });

  it('an input in WebAssembly memory is used in place and may be a subarray', () => {
    const x = wasmBackend.zeros(40 * 6);
    x.set(rng.normals(40 * 6));
    same(wasmBackend.gram(x.subarray(6), null, 39, 39, 1, 6, 1), wasmBackend.gram(x.slice(6), null, 39, 39, 1, 6, 1));
  });
});

describe.skipIf(!rt)('WebAssembly elementwise ops', () => {
  const rng = new Rng(3);
  it('affine, combine and multiply equal the JS ops bit for bit (pool and JS-loop paths)', () => {
    for (const n of [5, 70001]) {
      const x = wasmBackend.zeros(n);
      const y = wasmBackend.zeros(n);
      x.set(rng.normals(n));
      y.set(rng.normals(n));
      same(wasmBackend.affine(x, 1.7, 0.3), jsBackend.affine(x, 1.7, 0.3));
      same(wasmBackend.combine(0.4, x, 1, y), jsBackend.combine(0.4, x, 1, y));
      same(wasmBackend.multiply(x, y), jsBackend.multiply(x, y));
      const z = wasmBackend.affine(x, 2, 1, x);
      expect(z).toBe(x);
    }
  });

  it('the non-finite scan finds the first ±∞ or NaN', () => {
    const x = wasmBackend.zeros(200000);
    expect(wasmBackend.nonFinite!(x)).toBe(0);
    x[150001] = NaN;
    x[190000] = Infinity;
    expect(wasmBackend.nonFinite!(x)).toBe(2);
    x[3] = -Infinity;
    expect(wasmBackend.nonFinite!(x)).toBe(1);
  });

  it('released arrays are reused at once', () => {
    const a = wasmBackend.zeros(1 << 20);
    const off = rt!.offsetOf(a);
    releaseArray(a);
    releaseArray(a); // a second release is ignored
    const b = wasmBackend.zeros(1 << 20);
    expect(rt!.offsetOf(b)).toBe(off);
    expect(b.every((v) => v === 0)).toBe(true);
  });
});

describe.skipIf(!rt)('the fused chain', () => {
  const rng = new Rng(5);
  const relu = abReluRule(0, 1);
  const leaky = abReluRule(0.1, 1);
  const steps: ChainStep[] = [
    { kind: 'affine', w2: 2, b2: 0.01, channels: 7 },
    { kind: 'pair', rule: relu },
    { kind: 'affine', w2: 1.5, b2: 0, channels: 9 },
    { kind: 'pair', rule: leaky },
    { kind: 'affine', w2: 0.8, b2: 0.2, channels: 11 },
  ];
  const input = (n1: number, n2: number | null, C: number): Kernel => {
    const x = rng.normals(n1 * C);
    const k = inputKernel({ data: x, shape: [n1, C] }, n2 === null ? null : { data: rng.normals(n2 * C), shape: [n2, C] }, { backend: wasmBackend });
    return { ...k, owned: false };
  };
  /** The steps one by one through a backend's ops (what the layers do without fusion). */
  const perStep = (k: Kernel, b = wasmBackend): Kernel => {
    let nngp = k.nngp;
    let ntk = k.ntk!;
    let var1 = k.var1;
    let var2 = k.var2;
    for (const s of steps) {
      if (s.kind === 'affine') {
        nngp = b.affine(nngp, s.w2, s.b2);
        ntk = b.combine(s.w2, ntk, 1, nngp);
        var1 = b.affine(var1, s.w2, s.b2);
        var2 = k.x1IsX2 ? var1 : b.affine(var2, s.w2, s.b2);
      } else if (s.kind === 'pair') {
        const r = b.pairMap(s.rule, { n1: k.n1, n2: k.n2, positions: 1, diagonalSpatial: true, symmetric: k.x1IsX2 }, nngp, ntk, var1, var2, false);
        ({ nngp, var1 } = r);
        ntk = r.ntk!;
        var2 = k.x1IsX2 ? var1 : r.var2;
      }
    }
    return { ...k, nngp, ntk, var1, var2 };
  };

  it.each([
    [1, null],
    [6, null],
    [37, null],
    [9, 5],
    [40, 3],
  ])('n1=%i n2=%s: equals the per-layer WebAssembly path bit for bit, and the JS path to 1e-14', (n1, n2) => {
    const k = input(n1, n2, 13);
    const fused = wasmBackend.chain!(steps, k)!;
    expect(fused).not.toBeNull();
    const layered = perStep(k);
    same(fused.nngp, layered.nngp);
    same(fused.ntk, layered.ntk);
    same(fused.var1, layered.var1);
    expect(fused.channels).toBe(11);
    expect(fused.isGaussian).toBe(true);
    const js = perStep(k, jsBackend);
    close(fused.nngp, js.nngp, 1e-14);
    close(fused.ntk!, js.ntk!, 1e-14);
  });

  it.each([
    [3, null],
    [2, 7],
  ])('same-position kernels (P = %i, n2 = %s): equals the JS path to 1e-14', (P, n2) => {
    const n1 = 9;
    const C = 4;
    const x1 = { data: rng.normals(n1 * P * C), shape: [n1, P, C] };
    const x2 = n2 === null ? null : { data: rng.normals(n2 * P * C), shape: [n2, P, C] };
    const k = { ...inputKernel(x1, x2, { backend: wasmBackend }), owned: false };
    expect(k.spatial).toEqual([P]);
    const fused = wasmBackend.chain!(steps, k)!;
    const js = jsPerStep(k, P);
    close(fused.nngp, js.nngp, 1e-14);
    close(fused.ntk!, js.ntk!, 1e-14);
    close(fused.var1, js.var1, 1e-14);
    close(fused.var2, js.var2, 1e-14);
  });

  /** The steps one by one through the JS backend on a same-position kernel of P positions. */
  const jsPerStep = (k: Kernel, P: number) => {
    let { nngp, var1, var2 } = k;
    let ntk = k.ntk!;
    for (const s of steps) {
      if (s.kind === 'affine') {
        nngp = jsBackend.affine(nngp, s.w2, s.b2);
        ntk = jsBackend.combine(s.w2, ntk, 1, nngp);
        var1 = jsBackend.affine(var1, s.w2, s.b2);
        var2 = k.x1IsX2 ? var1 : jsBackend.affine(var2, s.w2, s.b2);
      } else if (s.kind === 'pair') {
        const r = jsBackend.pairMap(s.rule, { n1: k.n1, n2: k.n2, positions: P, diagonalSpatial: true, symmetric: k.x1IsX2 }, nngp, ntk, var1, var2, false);
        ({ nngp, var1 } = r);
        ntk = r.ntk!;
        var2 = k.x1IsX2 ? var1 : r.var2;
      }
    }
    return { nngp, ntk, var1, var2 };
  };

  it('works in place on an owned kernel and without the NTK', () => {
    const k = { ...input(21, null, 5), owned: true };
    const copy = { ...k, nngp: k.nngp.slice(), ntk: k.ntk!.slice(), owned: false };
    const a = wasmBackend.chain!(steps, k)!;
    expect(a.nngp).toBe(k.nngp);
    const b = wasmBackend.chain!(steps, copy)!;
    expect(b.nngp).not.toBe(copy.nngp);
    same(a.nngp, b.nngp);
    same(a.ntk, b.ntk);
    const c = wasmBackend.chain!(steps, { ...copy, ntk: null })!;
    expect(c.ntk).toBeNull();
    same(c.nngp, b.nngp);
  });

  it('symmetric = two-batch evaluation of the same samples, bit for bit', () => {
    const x = rng.normals(17 * 6);
    const sym = inputKernel({ data: x, shape: [17, 6] }, null, { backend: wasmBackend });
    const two = inputKernel({ data: x, shape: [17, 6] }, { data: x.slice(), shape: [17, 6] }, { backend: wasmBackend });
    const a = wasmBackend.chain!(steps, sym)!;
    const b = wasmBackend.chain!(steps, two)!;
    same(a.nngp, b.nngp);
    same(a.ntk, b.ntk);
    same(a.var1, b.var2);
  });

  it('returns null for a rule without a native form and for a full spatial layout', () => {
    const k = input(4, null, 3);
    const custom: PairRule = { ...relu, id: 'custom' };
    expect(wasmBackend.chain!([steps[0]!, { kind: 'pair', rule: custom }], k)).toBeNull();
    expect(wasmBackend.chain!(steps, { ...k, diagonalSpatial: false })).toBeNull();
  });

  it('names the first step whose kernel overflows or turns NaN', () => {
    const k = input(9, null, 4);
    const big: ChainStep[] = [steps[0]!, steps[1]!, { kind: 'affine', w2: 1e308, b2: 0, channels: 3 }, steps[3]!];
    expect(() => wasmBackend.chain!(big, k)).toThrow(expect.objectContaining({ step: 2, problem: 'the NNGP overflows to Infinity' }));
    // Off the diagonal only (variances finite): the O(n²) pass finds it.
    const inf = { ...k, nngp: k.nngp.slice() };
    inf.nngp[2 * 9 + 5] = Infinity;
    expect(() => wasmBackend.chain!(steps, inf)).toThrow(expect.objectContaining({ step: 0, problem: 'the NNGP overflows to Infinity' }));
    const nan = { ...k, ntk: k.ntk!.slice() };
    nan.ntk![1] = NaN;
    const err = (() => {
      try {
        wasmBackend.chain!(steps, nan);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NonFiniteKernelError);
    expect((err as NonFiniteKernelError).problem).toBe('the NTK turns NaN');
    expect((err as NonFiniteKernelError).code).toBe('NON_FINITE');
  });
});
