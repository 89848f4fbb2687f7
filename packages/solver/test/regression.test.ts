import { describe, expect, it } from 'vitest';
import { NotPositiveDefiniteError, Rng, computeKernel, identity, tensor } from '@wide/core';
import { Matrix } from 'ml-matrix';
import { classificationAccuracy, fitKernelRegression } from '../src/index.js';

function rbfKernel(x: number[], y: number[]): Float64Array {
  const k = new Float64Array(x.length * y.length);
  x.forEach((a, i) => y.forEach((b, j) => (k[i * y.length + j] = Math.exp(-((a - b) ** 2)))));
  return k;
}

describe('kernel regression', () => {
  it('interpolates the training targets exactly without a ridge', () => {
    const xs = [-2, -1, 0, 0.5, 1.5, 3];
    const y = Float64Array.from(xs.map((v) => Math.sin(v)));
    const fit = fitKernelRegression(rbfKernel(xs, xs), xs.length, y, 1);
    const pred = fit.predict(rbfKernel(xs, xs), xs.length);
    pred.forEach((p, i) => expect(p).toBeCloseTo(y[i]!, 8));
    // Between the points it follows the smooth target.
    expect(fit.predict(rbfKernel([0.25], xs), 1)[0]!).toBeCloseTo(Math.sin(0.25), 1);
  });

  it('shrinks toward zero as the ridge grows, and uses λ·mean(diag K) by default', () => {
    const xs = [0, 1, 2];
    const y = Float64Array.from([1, 1, 1]);
    const small = fitKernelRegression(rbfKernel(xs, xs), 3, y, 1, { diagReg: 1e-3 });
    const big = fitKernelRegression(rbfKernel(xs, xs), 3, y, 1, { diagReg: 10 });
    expect(small.ridge).toBeCloseTo(1e-3, 15);
    const ps = small.predict(rbfKernel([1], xs), 1)[0]!;
    const pb = big.predict(rbfKernel([1], xs), 1)[0]!;
    expect(ps).toBeGreaterThan(pb);
    expect(pb).toBeGreaterThan(0);
  });

  it('reports a kernel that is not positive definite with a typed error', () => {
    const k = Float64Array.from([1, 2, 2, 1]);
    expect(() => fitKernelRegression(k, 2, Float64Array.from([1, 2]), 1)).toThrow(NotPositiveDefiniteError);
    expect(() => fitKernelRegression(k, 2, Float64Array.from([1, 2]), 1)).toThrow(/increase diagReg/);
    expect(() => fitKernelRegression(k, 2, Float64Array.from([1]), 1)).toThrow(/targets have 1 entries/);
  });

  it('classifies a separable problem with the input kernel', () => {
    const r = new Rng(3);
    const n = 40;
    const x = new Float64Array(n * 2);
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = i % 2;
      x[i * 2] = (c ? 2 : -2) + 0.3 * r.normal();
      x[i * 2 + 1] = 1 + 0.3 * r.normal();
      labels.push(c);
    }
    const t = tensor(x, [n, 2]);
    const y = new Float64Array(n * 2);
    labels.forEach((c, i) => (y[i * 2 + c] = 1));
    const net = identity(); // the linear (input) kernel: the classes are linearly separable
    const k = computeKernel(net, t);
    const fit = fitKernelRegression(k.nngp, n, y, 2, { diagReg: 1e-6 });
    expect(classificationAccuracy(fit.predict(k.nngp, n), 2, labels, [0, 1])).toBe(1);
  });
});

describe('kernel regression with ml-matrix', () => {
  it('takes and returns Matrix, with the numbers of the Float64Array form, on both linear-algebra paths', () => {
    const xs = [-2, -1, 0, 0.5, 1.5, 3];
    const k = rbfKernel(xs, xs);
    const y = Float64Array.from(xs.flatMap((v) => [Math.sin(v), Math.cos(v)]));
    const flat = fitKernelRegression(k, 6, y, 2, { diagReg: 1e-3 });
    const kTest = rbfKernel([0.25, 2], xs);
    for (const linalg of ['ml-matrix', 'backend'] as const) {
      const fit = fitKernelRegression(Matrix.from1DArray(6, 6, k), Matrix.from1DArray(6, 2, y), { diagReg: 1e-3, linalg });
      const p = fit.predict(Matrix.from1DArray(2, 6, kTest));
      expect(p).toBeInstanceOf(Matrix);
      const expected = flat.predict(kTest, 2);
      p.to1DArray().forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    }
    expect(() => fitKernelRegression(new Matrix(3, 3), new Matrix(2, 1))).toThrow('y is 2×1, expected 3 rows');
  });
});
