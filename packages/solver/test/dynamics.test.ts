import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { NonFiniteInputError, NotPositiveDefiniteError, ShapeMismatchError } from '@wide/core';
import {
  InvalidOptionError,
  NonFiniteOutputError,
  SMALL_N,
  fitKernelRegression,
  gpInference,
  type SolverWarning,
  UnstableLearningRateError,
  gradientDescentMse,
  gradientDescentMseEnsemble,
  maxLearningRate,
} from '../src/index.js';
import { makeProblem, normals, relDiff } from './problems.js';

/** Discrete heavy-ball gradient descent on the linearised network, iterated in function space. */
function iterate(theta: Float64Array, thetaTD: Float64Array, y: Float64Array, n: number, m: number, k: number, eta: number, mu: number, steps: number, f0: Float64Array, ft0: Float64Array) {
  const f = Float64Array.from(f0);
  const ft = Float64Array.from(ft0);
  const u = new Float64Array(n * k);
  const ut = new Float64Array(m * k);
  for (let s = 0; s < steps; s++) {
    const g = f.map((v, i) => (v - y[i]!) / (n * k));
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += theta[i * n + j]! * g[j * k + c]!;
      u[i * k + c] = mu * u[i * k + c]! - eta * d;
    }
    for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += thetaTD[i * n + j]! * g[j * k + c]!;
      ut[i * k + c] = mu * ut[i * k + c]! - eta * d;
    }
    for (let i = 0; i < n * k; i++) f[i] += u[i]!;
    for (let i = 0; i < m * k; i++) ft[i] += ut[i]!;
  }
  return { f, ft };
}

describe('discrete gradient descent (closed form per eigenmode)', () => {
  it('equals the update rule iterated step by step, with and without momentum, up to 2,000 steps', () => {
    const P = makeProblem(5, 7, 3, 2);
    const f0 = normals(P.rng, 14);
    const ft0 = normals(P.rng, 6);
    for (const mu of [0, 0.3, 0.9]) {
      const eta = 0.8 * maxLearningRate(P.ntk.train, 14, mu);
      const p = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta, discrete: true, momentum: mu });
      const steps = [0, 1, 2, 37, 2000];
      const out = p.predict(steps, { kTestTrain: P.ntk.testTrain, fxTrain0: f0, fxTest0: ft0 });
      steps.forEach((s, q) => {
        const ref = iterate(P.ntk.train, P.ntk.testTrain, P.y, 7, 3, 2, eta, mu, s, f0, ft0);
        expect(relDiff(out[q]!.train, ref.f)).toBeLessThan(1e-11);
        expect(relDiff(out[q]!.test!, ref.ft)).toBeLessThan(1e-11);
      });
    }
  });

  it('approaches gradient flow as the step shrinks: error ∝ step (η/N for N·t steps)', () => {
    const P = makeProblem(8, 6, 2, 1);
    const eta = 3;
    const t = 4;
    const flow = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta }).predict(t, { kTestTrain: P.ntk.testTrain });
    const errs = [10, 100, 1000].map((N) => {
      const d = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta / N, discrete: true }).predict(N * t, { kTestTrain: P.ntk.testTrain });
      return Math.max(relDiff(d.train, flow.train), relDiff(d.test!, flow.test!));
    });
    expect(errs[2]!).toBeLessThan(2e-4);
    expect(errs[0]! / errs[1]!).toBeGreaterThan(8);
    expect(errs[1]! / errs[2]!).toBeGreaterThan(8);
    // With momentum μ, small steps follow gradient flow at the effective rate η/(1 − μ).
    const mu = 0.5;
    const withMomentum = gradientDescentMse(P.ntk.train, P.y, { learningRate: (eta * (1 - mu)) / 1000, discrete: true, momentum: mu }).predict(1000 * t, { kTestTrain: P.ntk.testTrain });
    expect(relDiff(withMomentum.test!, flow.test!)).toBeLessThan(5e-3);
  });

  it('the stable limit 2(1+μ)·n·k/λ_max: below it converges, above it is an error or (opted in) a warning naming the value', () => {
    const P = makeProblem(2, 5, 1, 2);
    const ev = gradientDescentMse(P.ntk.train, P.y).eigenvalues;
    const max = maxLearningRate(P.ntk.train, 10, 0.4);
    expect(max).toBeCloseTo((2 * 1.4 * 10) / ev[4]!, 12);
    const ok = gradientDescentMse(P.ntk.train, P.y, { learningRate: 0.99 * max, discrete: true, momentum: 0.4 });
    expect(ok.maxLearningRate).toBeCloseTo(max, 12);
    expect(relDiff(ok.predict(20000).train, P.y)).toBeLessThan(1e-6);
    expect(() => gradientDescentMse(P.ntk.train, P.y, { learningRate: 1.01 * max, discrete: true, momentum: 0.4 })).toThrow(UnstableLearningRateError);
    expect(() => gradientDescentMse(P.ntk.train, P.y, { learningRate: 1.01 * max, discrete: true, momentum: 0.4 })).toThrow(/above the stable limit/);
    const warnings: SolverWarning[] = [];
    const bad = gradientDescentMse(P.ntk.train, P.y, { learningRate: 1.01 * max, discrete: true, momentum: 0.4, allowUnstable: true, onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('UNSTABLE_LEARNING_RATE');
    expect(warnings[0]!.value).toBe(1.01 * max);
    expect(warnings[0]!.message).toContain(String(1.01 * max));
    // A few steps are finite and growing; many steps overflow into a typed error, never NaN.
    const early = bad.predict([10, 100]);
    expect(early[1]!.trainLoss).toBeGreaterThan(early[0]!.trainLoss);
    expect(() => bad.predict(1e9)).toThrow(NonFiniteOutputError);
    expect(() => bad.predict(Infinity)).toThrow(UnstableLearningRateError);
    // Gradient flow has no limit.
    expect(gradientDescentMse(P.ntk.train, P.y, { learningRate: 100 * max }).predict(Infinity).trainLoss).toBe(0);
  });
});

describe('negative eigenvalues and non-PD kernels', () => {
  const bad = Float64Array.from([2, 0, 0, 0, 1, 1.5, 0, 1.5, 1]); // eigenvalues 2, 2.5, −0.5
  const y = Float64Array.from([1, 0, -1]);

  it('are clipped to 0 for finite t, with a warning naming the smallest eigenvalue', () => {
    const warnings: SolverWarning[] = [];
    const p = gradientDescentMse(bad, y, { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.code)).toEqual(['NEGATIVE_EIGENVALUES']);
    expect(warnings[0]!.value).toBeCloseTo(-0.5, 12);
    expect(warnings[0]!.message).toMatch(/1 negative eigenvalue\(s\), the smallest -5\.000e-1/);
    const out = p.predict(1e6);
    // The clipped mode v = (0, 1, −1)/√2 (λ = −0.5) keeps its initial residual vᵀ(f₀ − y) = −1/√2
    // while the others decay: f → y − (1/√2)·v = (1, −0.5, −0.5).
    expect(relDiff(out.train, [1, -0.5, -0.5])).toBeLessThan(1e-10);
    expect(out.trainLoss).toBeCloseTo(0.25 / 3, 10);
  });

  it('make t = ∞ an error naming the smallest eigenvalue, and Cholesky an error naming the pivot', () => {
    expect(() => gradientDescentMse(bad, y).predict(Infinity)).toThrow(NotPositiveDefiniteError);
    expect(() => gradientDescentMse(bad, y).predict(Infinity)).toThrow(/smallest eigenvalue is -5\.000e-1/);
    for (const linalg of ['ml-matrix', 'backend'] as const) {
      const blocks = { nngp: { train: bad, testTrain: Float64Array.from([1, 0, 0]) } };
      expect(() => gradientDescentMseEnsemble(blocks, y, { linalg }).predict(Infinity, { get: 'nngp' })).toThrow(/smallest eigenvalue/);
      // Cholesky pivots of the kernel: 2, 1, then 1 − 1.5² = −1.25.
      expect(() => gpInference(blocks, y, { linalg })).toThrow(NotPositiveDefiniteError);
      expect(() => gpInference(blocks, y, { linalg })).toThrow(/^the NNGP train block plus ridge 0\.000e\+0: matrix is not positive definite: pivot 2 of 3 is -1\.25 /);
      expect(() => fitKernelRegression(bad, y, { linalg })).toThrow(/pivot 2 of 3 is -1\.25 .*increase diagReg/);
    }
  });
});

describe('bad input: one clear typed line, never NaN', () => {
  const P = makeProblem(1, 4, 2, 2);
  it('NaN or Infinity in a kernel or the labels names the entry', () => {
    const k = Float64Array.from(P.ntk.train);
    k[6] = NaN;
    expect(() => gradientDescentMse(k, P.y)).toThrow(NonFiniteInputError);
    expect(() => gradientDescentMse(k, P.y)).toThrow('the train kernel holds NaN at index [1, 2]');
    const y = Float64Array.from(P.y);
    y[5] = -Infinity;
    expect(() => gradientDescentMse(P.ntk.train, y)).toThrow('yTrain holds -Infinity at index [2, 1]');
    const tt = Float64Array.from(P.ntk.testTrain);
    tt[7] = Infinity;
    expect(() => gradientDescentMse(P.ntk.train, P.y).predict(1, { kTestTrain: tt })).toThrow('the test–train kernel holds Infinity at index [1, 3]');
    expect(() => gradientDescentMseEnsemble({ nngp: { ...P.nngp, testTest: Float64Array.from([1, NaN, 0, 1]) } }, P.y).predict(1)).toThrow(
      'the NNGP test–test block holds NaN at index [0, 1]',
    );
  });

  it('mismatched shapes', () => {
    expect(() => gradientDescentMse(P.ntk.train, P.y.subarray(0, 7))).toThrow(ShapeMismatchError);
    expect(() => gradientDescentMse(P.ntk.train, P.y.subarray(0, 7))).toThrow('yTrain has 7 entries, not a multiple of its 4 rows');
    expect(() => gradientDescentMse(P.ntk.train.subarray(0, 15), P.y)).toThrow('the train kernel has 15 entries, which is not n×n for any n');
    expect(() => gradientDescentMse(P.ntk.train, new Matrix(3, 2))).toThrow('yTrain is 3×2, expected 4 rows');
    const p = gradientDescentMse(P.ntk.train, P.y);
    expect(() => p.predict(1, { fxTrain0: new Float64Array(6) })).toThrow('fxTrain0 has 6 entries, expected 4×2 = 8');
    expect(() => p.predict(1, { kTestTrain: new Float64Array(10) })).toThrow('the test–train kernel has 10 entries, not a multiple of its 4 columns');
    expect(() => gradientDescentMseEnsemble({ nngp: P.nngp, ntk: { train: new Float64Array(9) } }, P.y)).toThrow(/NNGP train block is 4×4 but the NTK train block is 3×3/);
  });

  it('negative times, learning rates ≤ 0, momentum without discrete steps, fractional steps', () => {
    const p = gradientDescentMse(P.ntk.train, P.y);
    expect(() => p.predict([1, -2])).toThrow(InvalidOptionError);
    expect(() => p.predict([1, -2])).toThrow('times[1]: expected a time ≥ 0 (or Infinity), got -2');
    expect(() => p.predict(NaN)).toThrow('times[0]: expected a time ≥ 0 (or Infinity), got NaN');
    for (const lr of [0, -1, NaN, Infinity]) expect(() => gradientDescentMse(P.ntk.train, P.y, { learningRate: lr })).toThrow(`learningRate: expected a finite number > 0, got ${lr}`);
    expect(() => gradientDescentMse(P.ntk.train, P.y, { momentum: 0.5 })).toThrow(/momentum is an option of discrete gradient descent/);
    expect(() => gradientDescentMse(P.ntk.train, P.y, { momentum: 1, discrete: true })).toThrow('momentum: expected a number in [0, 1), got 1');
    expect(() => gradientDescentMse(P.ntk.train, P.y, { discrete: true, learningRate: 0.1 }).predict(2.5)).toThrow(/counts steps: expected a whole number/);
    expect(() => gradientDescentMse(P.ntk.train, P.y, { diagReg: -1 })).toThrow('diagReg: expected a finite number ≥ 0, got -1');
  });
});

describe('ml-matrix and backend paths', () => {
  it('agree (eigendecomposition by ml-matrix vs the backend) on the same problem, also above SMALL_N', () => {
    for (const [n, m, tol] of [
      [40, 10, 1e-10],
      [SMALL_N + 20, 5, 1e-8],
    ] as const) {
      const P = makeProblem(11, n, m, 3, 0.2);
      const f0 = normals(P.rng, n * 3);
      const outs = (['ml-matrix', 'backend', 'auto'] as const).map((linalg) =>
        gradientDescentMse(P.ntk.train, P.y, { learningRate: 2, linalg }).predict([0.5 * n, 5 * n, Infinity], { kTestTrain: P.ntk.testTrain, fxTrain0: f0 }),
      );
      for (const other of [outs[1]!, outs[2]!]) {
        other.forEach((o, q) => {
          expect(relDiff(o.train, outs[0]![q]!.train)).toBeLessThan(tol);
          expect(relDiff(o.test!, outs[0]![q]!.test!)).toBeLessThan(tol);
        });
      }
    }
  });

  it('Matrix and Float64Array inputs give the same numbers, each in its own format', () => {
    const P = makeProblem(4, 6, 3, 2);
    const M = (x: Float64Array, r: number) => Matrix.from1DArray(r, x.length / r, x);
    const a = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: P.nngp }, P.y).predict(2, { covariance: true, trainCovariance: true });
    const b = gradientDescentMseEnsemble(
      { ntk: { train: M(P.ntk.train, 6), testTrain: M(P.ntk.testTrain, 3) }, nngp: { train: M(P.nngp.train, 6), testTrain: M(P.nngp.testTrain, 3), testTest: M(P.nngp.testTest, 3) } },
      M(P.y, 6),
      {},
    ).predict(2, { covariance: true, trainCovariance: true });
    expect(b.meanTest).toBeInstanceOf(Matrix);
    expect([b.covTest!.rows, b.covTest!.columns, b.covTrain!.rows]).toEqual([3, 3, 6]);
    expect(relDiff(b.meanTest!.to1DArray(), a.meanTest!)).toBe(0);
    expect(relDiff(b.covTest!.to1DArray(), a.covTest!)).toBe(0);
    expect(relDiff(b.covTrain!.to1DArray(), a.covTrain!)).toBe(0);
  });
});
