import { describe, expect, it } from 'vitest';
import { gaussHermite, gaussLegendre, gaussianExpectation1D, gaussianExpectation2D, gaussianExpectationSplit } from '../src/index.js';

const doubleFactorial = (k: number): number => (k <= 0 ? 1 : k * doubleFactorial(k - 2));

describe('Gauss–Hermite', () => {
  it.each([1, 2, 5, 20, 40, 100, 180])('degree %i integrates x^k e^{-x²} exactly for k ≤ 2n−1', (n) => {
    const { nodes, weights } = gaussHermite(n);
    for (let k = 0; k <= Math.min(2 * n - 1, 30); k += 1) {
      let s = 0;
      let mag = 0; // Σ|w x^k|: the rounding scale of the sum
      for (let i = 0; i < n; i++) {
        s += weights[i]! * nodes[i]! ** k;
        mag += Math.abs(weights[i]! * nodes[i]! ** k);
      }
      // ∫ x^k e^{-x²} = Γ((k+1)/2) for even k = (k−1)!!·√π / 2^{k/2}
      const exact = k % 2 === 1 ? 0 : (doubleFactorial(k - 1) * Math.sqrt(Math.PI)) / 2 ** (k / 2);
      expect(Math.abs(s - exact)).toBeLessThanOrEqual(1e-13 * mag);
    }
  });

  it('nodes are sorted and symmetric', () => {
    const { nodes } = gaussHermite(41);
    for (let i = 1; i < 41; i++) expect(nodes[i]!).toBeGreaterThan(nodes[i - 1]!);
    for (let i = 0; i < 41; i++) expect(nodes[i]! + nodes[40 - i]!).toBeCloseTo(0, 13);
  });
});

describe('Gauss–Legendre', () => {
  it.each([1, 3, 10, 24, 64])('order %i integrates polynomials up to degree 2n−1 on [−1, 1]', (n) => {
    const { nodes, weights } = gaussLegendre(n);
    for (let k = 0; k <= 2 * n - 1; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i]! * nodes[i]! ** k;
      expect(Math.abs(s - (k % 2 ? 0 : 2 / (k + 1)))).toBeLessThan(1e-13);
    }
  });
});

describe('Gaussian expectations', () => {
  const cases = [
    [1, 1, 0.5],
    [0.3, 2.5, -0.7],
    [2, 0.5, 0.999 * Math.sqrt(1)],
    [1.7, 0.9, -0.9995 * Math.sqrt(1.7 * 0.9)],
  ] as const;
  it.each(cases)('E[u²v²] = q1q2 + 2c² and E[u v³] = 3 c q2 at (%f, %f, %f)', (q1, q2, c) => {
    expect(gaussianExpectation2D((x) => x * x, (y) => y * y, q1, q2, c, 10)).toBeCloseTo(q1 * q2 + 2 * c * c, 12);
    expect(gaussianExpectation2D((x) => x, (y) => y ** 3, q1, q2, c, 10)).toBeCloseTo(3 * c * q2, 12);
    expect(gaussianExpectation1D((x) => x ** 4, q1, 5)).toBeCloseTo(3 * q1 * q1, 12);
  });

  it.each(cases)('split quadrature reproduces the ReLU arc-cosine kernel to 1e-10 at (%f, %f, %f)', (q1, q2, c) => {
    const relu = (x: number) => Math.max(x, 0);
    const rho = c / Math.sqrt(q1 * q2);
    const th = Math.acos(rho);
    const exact = (Math.sqrt(q1 * q2) * (Math.sin(th) + (Math.PI - th) * rho)) / (2 * Math.PI);
    const v = gaussianExpectationSplit(relu, relu, q1, q2, c, { kinksF: [0], kinksG: [0] });
    expect(Math.abs(v - exact)).toBeLessThan(1e-10 * Math.sqrt(q1 * q2));
    // Step function: P(u > 0, v > 0) = (π − θ)/(2π).
    const step = (x: number) => (x > 0 ? 1 : 0);
    expect(gaussianExpectationSplit(step, step, q1, q2, c, { kinksF: [0], kinksG: [0] })).toBeCloseTo((Math.PI - th) / (2 * Math.PI), 10);
  });

  it('handles zero variances and perfect correlation without NaN', () => {
    const relu = (x: number) => Math.max(x, 0);
    expect(gaussianExpectationSplit(relu, relu, 0, 1, 0, { kinksF: [0], kinksG: [0] })).toBe(0);
    expect(gaussianExpectationSplit(relu, relu, 2, 2, 2, { kinksF: [0], kinksG: [0] })).toBeCloseTo(1, 10);
    expect(gaussianExpectation2D(Math.cos, Math.cos, 0, 0, 0, 20)).toBeCloseTo(1, 14);
  });

  it('rejects negative variances and bad degrees', () => {
    expect(() => gaussianExpectation2D(Math.sin, Math.sin, -1, 1, 0)).toThrow(RangeError);
    expect(() => gaussHermite(0)).toThrow(RangeError);
    expect(() => gaussHermite(181)).toThrow(/\[1, 180\]/);
  });
});
