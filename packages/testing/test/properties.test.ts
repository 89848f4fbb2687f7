import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Kernel, type Tensor, computeKernelTiled, eigvalsh, fromRows, tensor } from '@wide/core';
import { fromArchitecture, kernel } from '@wide/layers';
import { arbArchitecture, arbInputPair, arbInputs, maxRelativeError } from '../src/index.js';

const RUNS = { numRuns: 100, seed: 4242 } as const;
const D = 4;

function transpose(a: Float64Array, n1: number, n2: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) t[j * n1 + i] = a[i * n2 + j]!;
  return t;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * Math.max(scale, 1e-300));
}

const positiveHomogeneous = [{ type: 'relu' }, { type: 'leakyRelu', alpha: 0.2 }, { type: 'abRelu', a: -0.5, b: 1.5 }, { type: 'abs' }] as const;

describe('kernel properties (fast-check, 100 runs each)', () => {
  it('symmetry: K(x1, x2) = K(x2, x1)ᵀ', () => {
    fc.assert(
      fc.property(arbArchitecture(), arbInputPair(3, 2, D), (arch, [x1, x2]) => {
        const a = kernel(arch, x1, x2);
        const b = kernel(arch, x2, x1);
        close(a.nngp, transpose(b.nngp, 2, 3), 1e-12);
        close(a.ntk!, transpose(b.ntk!, 2, 3), 1e-12);
      }),
      RUNS,
    );
  });

  it('train–train kernels are symmetric positive semi-definite', () => {
    fc.assert(
      fc.property(arbArchitecture(), arbInputs(5, D), (arch, x) => {
        const k = kernel(arch, x);
        for (const m of [k.nngp, k.ntk!]) {
          close(m, transpose(m, 5, 5), 0);
          const ev = eigvalsh(m, 5);
          const trace = ev.reduce((s, v) => s + Math.abs(v), 0);
          expect(ev[0]!).toBeGreaterThanOrEqual(-1e-10 * trace);
        }
      }),
      RUNS,
    );
  });

  it('variances equal the diagonal (also through the two-batch path), and Θ(x, x) ≥ Σ(x, x)', () => {
    fc.assert(
      fc.property(arbArchitecture(), arbInputs(3, D), (arch, x) => {
        const k = kernel(arch, x);
        const copy = tensor(Float64Array.from(x.data), x.shape);
        const cross = kernel(arch, x, copy);
        for (let i = 0; i < 3; i++) {
          expect(k.nngp[i * 4]).toBe(k.var1[i]);
          // Two batches: the same point gives c = q bit for bit, so ρ = 1 exactly and the result is exact.
          expect(cross.nngp[i * 4]).toBe(k.var1[i]);
          expect(cross.ntk![i * 4]).toBe(k.ntk![i * 4]);
          expect(cross.var1[i]).toBe(k.var1[i]);
          expect(cross.var2[i]).toBe(k.var1[i]);
          expect(k.ntk![i * 4]!).toBeGreaterThanOrEqual(k.nngp[i * 4]! * (1 - 1e-12));
        }
      }),
      RUNS,
    );
  });

  it('positive homogeneity of bias-free ReLU-family networks: K(αx1, βx2) = αβ·K(x1, x2)', () => {
    fc.assert(
      fc.property(
        arbArchitecture({ activations: positiveHomogeneous, bias: false }),
        arbInputPair(2, 3, D),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (arch, [x1, x2], alpha, beta) => {
          const scale = (t: Tensor, s: number) => tensor(t.data.map((v) => v * s), t.shape);
          const a = kernel(arch, scale(x1, alpha), scale(x2, beta));
          const b = kernel(arch, x1, x2);
          close(a.nngp, b.nngp.map((v) => v * alpha * beta), 1e-10);
          close(a.ntk!, b.ntk!.map((v) => v * alpha * beta), 1e-10);
        },
      ),
      RUNS,
    );
  });

  it('invariance to batch permutation: K(Px1, x2) = P·K(x1, x2)', () => {
    fc.assert(
      fc.property(arbArchitecture(), arbInputPair(4, 2, D), fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (arch, [x1, x2], perm) => {
        const px = tensor(perm.flatMap((p) => Array.from(x1.data.subarray(p * D, (p + 1) * D))), [4, D]);
        const a = kernel(arch, px, x2);
        const b = kernel(arch, x1, x2);
        perm.forEach((p, i) => {
          close(a.nngp.subarray(i * 2, i * 2 + 2), b.nngp.subarray(p * 2, p * 2 + 2), 1e-12);
          close(a.ntk!.subarray(i * 2, i * 2 + 2), b.ntk!.subarray(p * 2, p * 2 + 2), 1e-12);
        });
        // The symmetric path permutes rows and columns alike.
        const sa = kernel(arch, px);
        const sb = kernel(arch, x1);
        perm.forEach((p, i) => perm.forEach((q, j) => expect(Math.abs(sa.nngp[i * 4 + j]! - sb.nngp[p * 4 + q]!)).toBeLessThanOrEqual(1e-12 * Math.abs(sb.nngp[p * 4 + q]!) + 1e-300)));
      }),
      RUNS,
    );
  });

  it('residual equals its expansion: K(prefix → residual(f)) = K(prefix) + K(prefix → f)', () => {
    fc.assert(
      fc.property(arbArchitecture({ residual: false, minDepth: 1, maxDepth: 2 }), arbArchitecture({ residual: false, minDepth: 1, maxDepth: 2 }), arbInputPair(3, 2, D), (prefix, block, [x1, x2]) => {
        const pre = prefix.layers.slice(0, -1); // drop the width-1 readout
        // f ends in a random dense layer (so it is uncorrelated with the identity branch) of the prefix's width.
        const f = [...block.layers.slice(0, -1), { type: 'dense', width: 64, wStd: 0.9, bStd: 0.1 }];
        const whole = kernel({ layers: [...pre, { type: 'residual', layers: f }] }, x1, x2);
        const a = kernel({ layers: pre }, x1, x2);
        const b = kernel({ layers: [...pre, ...f] }, x1, x2);
        close(whole.nngp, a.nngp.map((v, i) => v + b.nngp[i]!), 1e-12);
        close(whole.ntk!, a.ntk!.map((v, i) => v + b.ntk![i]!), 1e-12);
      }),
      RUNS,
    );
  });

  it('repeat equals the unrolled serial network', () => {
    fc.assert(
      fc.property(arbArchitecture({ maxDepth: 2 }), fc.integer({ min: 0, max: 4 }), arbInputs(3, D), (block, n, x) => {
        const body = block.layers.slice(0, -1);
        const readout = block.layers[block.layers.length - 1]!;
        const head = [{ type: 'dense', wStd: 1.1, bStd: 0.1 }];
        const rep = kernel({ layers: [...head, { type: 'repeat', n, layers: body }, readout] }, x);
        const unrolled = kernel({ layers: [...head, ...Array.from({ length: n }, () => body).flat(), readout] }, x);
        expect(Array.from(rep.nngp)).toEqual(Array.from(unrolled.nngp));
        expect(Array.from(rep.ntk!)).toEqual(Array.from(unrolled.ntk!));
      }),
      RUNS,
    );
  });

  it('tiled computation equals the untiled one', () => {
    fc.assert(
      fc.property(arbArchitecture(), arbInputs(7, D), fc.integer({ min: 1, max: 8 }), fc.boolean(), (arch, x, tile, sym) => {
        const net = fromArchitecture(arch);
        const x2 = sym ? null : tensor(x.data.subarray(0, 5 * D), [5, D]);
        const a: Kernel = computeKernelTiled(net, x, x2, { tile });
        const b = kernel(net, x, x2);
        expect(maxRelativeError(a.nngp, b.nngp, 1e-300)).toBeLessThanOrEqual(1e-12);
        expect(maxRelativeError(a.ntk!, b.ntk!, 1e-300)).toBeLessThanOrEqual(1e-12);
        expect(Array.from(a.var1)).toEqual(Array.from(b.var1));
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it('standard and ntk parameterisation share the NNGP', () => {
    fc.assert(
      fc.property(arbArchitecture(), arbInputs(3, D), (arch, x) => {
        const a = kernel({ ...arch, parameterization: 'standard' }, x);
        const b = kernel({ ...arch, parameterization: 'ntk' }, x);
        close(a.nngp, b.nngp, 1e-12);
      }),
      RUNS,
    );
  });
});

describe('the arbitraries themselves', () => {
  it('always produce architectures whose kernels compute (Gaussian-input rule respected)', () => {
    fc.assert(fc.property(arbArchitecture({ maxDepth: 4 }), arbInputs(2, 3), (arch, x) => {
      const k = kernel(arch, x);
      expect(k.nngp.every(Number.isFinite)).toBe(true);
    }), RUNS);
  });

  it('fromRows builds what it is given', () => {
    expect(fromRows([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
  });
});
