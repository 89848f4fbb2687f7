import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { gpInference, gradientDescent, gradientDescentMse, gradientDescentMseEnsemble, kernelDiagnostics, maxLearningRate, mse } from '../src/index.js';

// Values from test/fixtures/reference.py: SciPy's expm (Padé, no eigendecomposition), LU solves,
// and discrete gradient descent iterated step by step — methods independent of the solver's.
interface Ref {
  Y: number[][];
  F0: number[][];
  F0t: number[][];
  ntk: number[];
  ntkTestTrain: number[];
  nngp: number[];
  nngpTestTrain: number[];
  nngpTestTest: number[];
  eta: number;
  times: number[];
  flow: { t: number; train: number[]; test: number[] }[];
  ensemble: { t: number; meanNtk: number[]; covNtk: number[]; meanTrainNtk: number[]; covTrainNtk: number[]; meanNngp: number[]; covNngp: number[] }[];
  infinity: { trainNtk: number[]; testNtk: number[]; meanNngp: number[]; covNngp: number[]; meanNtk: number[]; covNtk: number[] };
  momentum: { mu: number; steps: number; train: number[]; test: number[] };
  diagnostics: { eigenvalues: number[]; condition: number; participation: number; entropy: number; complexity: number; maxLearningRate: number };
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8')) as Ref;
const f64 = (x: number[] | number[][]) => Float64Array.from(x.flat());
const Y = f64(ref.Y);
const F0 = f64(ref.F0);
const F0t = f64(ref.F0t);
const ntk = f64(ref.ntk);
const ntkTT = f64(ref.ntkTestTrain);
const kernels = {
  nngp: { train: f64(ref.nngp), testTrain: f64(ref.nngpTestTrain), testTest: f64(ref.nngpTestTest) },
  ntk: { train: ntk, testTrain: ntkTT },
};

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  expect(a.length).toBe(b.length);
  return num / den;
}

describe('against SciPy (expm, LU, iterated updates)', () => {
  for (const linalg of ['ml-matrix', 'backend'] as const) {
    it(`gradient flow on MSE, train and test, with f₀, at t = 0.5, 3, 40 and ∞ (${linalg})`, () => {
      const p = gradientDescentMse(ntk, Y, { learningRate: ref.eta, linalg });
      const out = p.predict([...ref.times, Infinity], { kTestTrain: ntkTT, fxTrain0: F0, fxTest0: F0t });
      ref.flow.forEach((r, q) => {
        expect(out[q]!.t).toBe(r.t);
        expect(relErr(out[q]!.train, r.train)).toBeLessThan(1e-12);
        expect(relErr(out[q]!.test!, r.test)).toBeLessThan(1e-12);
      });
      expect(relErr(out[3]!.train, ref.infinity.trainNtk)).toBeLessThan(1e-14);
      expect(relErr(out[3]!.test!, ref.infinity.testNtk)).toBeLessThan(1e-12);
    });

    it(`the infinite ensemble (NTK and NNGP versions), means and covariances (${linalg})`, () => {
      const e = gradientDescentMseEnsemble(kernels, Y, { learningRate: ref.eta, linalg });
      const ntkOut = e.predict(ref.times, { get: 'ntk', covariance: true, trainCovariance: true });
      const nngpOut = e.predict(ref.times, { get: 'nngp', covariance: true });
      ref.ensemble.forEach((r, q) => {
        expect(relErr(ntkOut[q]!.meanTest!, r.meanNtk)).toBeLessThan(1e-12);
        expect(relErr(ntkOut[q]!.covTest!, r.covNtk)).toBeLessThan(1e-11);
        expect(relErr(ntkOut[q]!.meanTrain, r.meanTrainNtk)).toBeLessThan(1e-12);
        expect(relErr(ntkOut[q]!.covTrain!, r.covTrainNtk)).toBeLessThan(1e-12);
        expect(relErr(nngpOut[q]!.meanTest!, r.meanNngp)).toBeLessThan(1e-11);
        expect(relErr(nngpOut[q]!.covTest!, r.covNngp)).toBeLessThan(1e-10);
      });
      const inf = e.predict(Infinity, { covariance: true });
      expect(relErr(inf.meanTest!, ref.infinity.meanNtk)).toBeLessThan(1e-12);
      expect(relErr(inf.covTest!, ref.infinity.covNtk)).toBeLessThan(1e-11);
    });

    it(`GP inference by Cholesky: NNGP posterior and the converged NTK ensemble (${linalg})`, () => {
      const g = gpInference(kernels, Y, { get: 'nngp', covariance: true, linalg });
      expect(relErr(g.mean, ref.infinity.meanNngp)).toBeLessThan(1e-12);
      expect(relErr(g.covariance!, ref.infinity.covNngp)).toBeLessThan(1e-11);
      const h = gpInference(kernels, Y, { get: 'ntk', covariance: true, linalg });
      expect(relErr(h.mean, ref.infinity.meanNtk)).toBeLessThan(1e-12);
      expect(relErr(h.covariance!, ref.infinity.covNtk)).toBeLessThan(1e-11);
    });

    it(`discrete gradient descent with momentum 0.5, 7 steps (${linalg})`, () => {
      const p = gradientDescentMse(ntk, Y, { learningRate: ref.eta, discrete: true, momentum: ref.momentum.mu, linalg });
      const out = p.predict(ref.momentum.steps, { kTestTrain: ntkTT, fxTrain0: F0, fxTest0: F0t });
      expect(relErr(out.train, ref.momentum.train)).toBeLessThan(1e-12);
      expect(relErr(out.test!, ref.momentum.test)).toBeLessThan(1e-12);
    });

    it(`diagnostics and the largest stable learning rate (${linalg})`, () => {
      const d = kernelDiagnostics(ntk, Y, { linalg, learningRate: ref.eta });
      expect(relErr(d.eigenvalues, ref.diagnostics.eigenvalues)).toBeLessThan(1e-13);
      expect(d.conditionNumber).toBeCloseTo(ref.diagnostics.condition, 10);
      expect(d.effectiveRank.participationRatio).toBeCloseTo(ref.diagnostics.participation, 12);
      expect(d.effectiveRank.entropy).toBeCloseTo(ref.diagnostics.entropy, 12);
      expect(d.complexity!).toBeCloseTo(ref.diagnostics.complexity, 11);
      expect(d.generalizationBound!).toBeCloseTo(Math.sqrt((2 * ref.diagnostics.complexity) / 5), 11);
      // τ_i = n·k/(η·λ_i).
      d.timescales.forEach((tau, i) => expect(tau).toBeCloseTo(10 / (ref.eta * ref.diagnostics.eigenvalues[i]!), 10));
      expect(maxLearningRate(ntk, 10, ref.momentum.mu, { linalg })).toBeCloseTo(ref.diagnostics.maxLearningRate, 12);
    });
  }

  it('the ODE path (Dormand–Prince) reproduces the expm values for MSE within 1e-6', () => {
    const p = gradientDescent(mse, ntk, Y, { learningRate: ref.eta });
    const out = p.predict(ref.times, { kTestTrain: ntkTT, fxTrain0: F0, fxTest0: F0t });
    ref.flow.forEach((r, q) => {
      expect(relErr(out[q]!.train, r.train)).toBeLessThan(1e-6);
      expect(relErr(out[q]!.test!, r.test)).toBeLessThan(1e-6);
    });
    expect(p.lastStats!.accepted).toBeGreaterThan(3);
  });

  it('Matrix inputs give Matrix outputs with the same numbers', () => {
    const y = new Matrix(ref.Y);
    const p = gradientDescentMse(Matrix.from1DArray(5, 5, ntk), y, { learningRate: ref.eta });
    const out = p.predict(3, { kTestTrain: Matrix.from1DArray(3, 5, ntkTT), fxTrain0: new Matrix(ref.F0), fxTest0: new Matrix(ref.F0t) });
    expect(out.train).toBeInstanceOf(Matrix);
    expect(out.test!.rows).toBe(3);
    expect(out.test!.columns).toBe(2);
    expect(relErr(out.test!.to1DArray(), ref.flow[1]!.test)).toBeLessThan(1e-12);
  });
});
