import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { NonFiniteInputError } from '@wide/core';
import { fitKernelRegression, gradientDescentMse, kernelDiagnostics } from '../src/index.js';
import { makeProblem, relDiff } from './problems.js';

/** V·diag(λ)·Vᵀ for an orthonormal V built from a rotation of the first two axes. */
function withSpectrum(values: number[], angle: number): { k: Float64Array; v: Float64Array } {
  const n = values.length;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  v[0] = c;
  v[1] = -s;
  v[n] = s;
  v[n + 1] = c;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let p = 0; p < n; p++) k[i * n + j] += v[i * n + p]! * values[p]! * v[j * n + p]!;
  return { k, v };
}

describe('kernel diagnostics', () => {
  it('spectrum, condition number and both effective ranks on known spectra', () => {
    const d = kernelDiagnostics(withSpectrum([1, 4, 2, 0.5], 0.3).k);
    expect(relDiff(d.eigenvalues, [4, 2, 1, 0.5])).toBeLessThan(1e-14);
    expect(d.conditionNumber).toBeCloseTo(8, 12);
    expect(d.effectiveRank.participationRatio).toBeCloseTo(7.5 ** 2 / 21.25, 12);
    const p = [4, 2, 1, 0.5].map((l) => l / 7.5);
    expect(d.effectiveRank.entropy).toBeCloseTo(Math.exp(-p.reduce((s, x) => s + x * Math.log(x), 0)), 12);
    // A multiple of the identity has effective rank n; a rank-one kernel 1 (and condition ∞).
    const eye = kernelDiagnostics(withSpectrum([3, 3, 3, 3, 3], 0).k);
    expect(eye.effectiveRank.participationRatio).toBeCloseTo(5, 12);
    expect(eye.effectiveRank.entropy).toBeCloseTo(5, 12);
    expect(eye.conditionNumber).toBeCloseTo(1, 12);
    const one = kernelDiagnostics(Float64Array.from([1, 2, 2, 4]), Float64Array.from([1, 2]));
    expect(one.effectiveRank.participationRatio).toBeCloseTo(1, 12);
    expect(one.effectiveRank.entropy).toBeCloseTo(1, 6);
    expect(one.conditionNumber).toBe(Infinity);
  });

  it('time scales: the residual along eigendirection i falls by e after n·k/(η·λ_i)', () => {
    const { k, v } = withSpectrum([1, 4, 2, 0.5], 0.3);
    const eta = 0.7;
    const d = kernelDiagnostics(k, undefined, { learningRate: eta, outputs: 1 });
    expect(relDiff(d.timescales, [4, 2, 1, 0.5].map((l) => 4 / (eta * l)))).toBeLessThan(1e-13);
    // Labels along the eigenvector of λ = 2 (column 2 of v): y − f(τ) = e⁻¹·y.
    const y = Float64Array.from([0, 1, 2, 3].map((i) => v[i * 4 + 2]!));
    const f = gradientDescentMse(k, y, { learningRate: eta }).predict(d.timescales[1]!).train;
    expect(relDiff(y.map((yi, i) => yi - f[i]!), y.map((yi) => yi / Math.E))).toBeLessThan(1e-12);
    const withLabels = kernelDiagnostics(k, y);
    expect(relDiff(withLabels.labelEnergy!, [0, 1, 0, 0], 1)).toBeLessThan(1e-14);
  });

  it('yᵀΘ⁻¹y summed over outputs, and the Arora et al. term √(2·yᵀΘ⁻¹y/n)', () => {
    const P = makeProblem(17, 6, 1, 3);
    const d = kernelDiagnostics(P.ntk.train, P.y);
    // Second method: Cholesky solve α = Θ⁻¹y, then Σ y·α.
    const alpha = fitKernelRegression(P.ntk.train, 6, P.y, 3).alpha;
    const c = P.y.reduce((s, yi, i) => s + yi * alpha[i]!, 0);
    expect(d.complexity!).toBeCloseTo(c, 9);
    expect(d.generalizationBound!).toBeCloseTo(Math.sqrt((2 * c) / 6), 10);
    expect(d.labelEnergy!.reduce((s, e) => s + e, 0)).toBeCloseTo(1, 14);
    // Multi-output = sum of single-output complexities.
    const single = [0, 1, 2].map((j) => kernelDiagnostics(P.ntk.train, Float64Array.from({ length: 6 }, (_, i) => P.y[i * 3 + j]!)).complexity!);
    expect(d.complexity!).toBeCloseTo(single[0]! + single[1]! + single[2]!, 10);
    // Matrix input, same numbers.
    expect(kernelDiagnostics(Matrix.from1DArray(6, 6, P.ntk.train), Matrix.from1DArray(6, 3, P.y)).complexity).toBe(d.complexity);
  });

  it('a kernel that is not positive definite: counted negatives, no bound (null), no NaN', () => {
    const d = kernelDiagnostics(Float64Array.from([2, 0, 0, 0, 1, 1.5, 0, 1.5, 1]), Float64Array.from([1, 0, -1]));
    expect(d.negativeEigenvalues).toBe(1);
    expect(d.conditionNumber).toBe(Infinity);
    expect(d.complexity).toBeNull();
    expect(d.generalizationBound).toBeNull();
    expect(d.timescales[2]).toBe(Infinity);
    expect(d.effectiveRank.participationRatio).toBeCloseTo(4.5 ** 2 / 10.25, 12);
    expect(() => kernelDiagnostics(Float64Array.from([1, 0, 0, NaN]))).toThrow(NonFiniteInputError);
    expect(() => kernelDiagnostics(Float64Array.from([1, 0, 0, NaN]))).toThrow('the kernel holds NaN at index [1, 1]');
  });
});
