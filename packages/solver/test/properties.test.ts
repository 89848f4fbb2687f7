// The acceptance properties of issue 9, by fast-check (≥ 100 runs each, small n).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitKernelRegression, gpInference, gradientDescent, gradientDescentMse, gradientDescentMseEnsemble, mse } from '../src/index.js';
import { symmetricEigenvalues } from '../src/linalg.js';
import { makeProblem, meanDiag, normals, relDiff } from './problems.js';

const problem = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  n: fc.integer({ min: 2, max: 8 }),
  m: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 1, max: 3 }),
  eta: fc.double({ min: 0.1, max: 10, noNaN: true }),
  linalg: fc.constantFrom('ml-matrix' as const, 'backend' as const),
});
/** Times as multiples of the mean time scale n·k/(η·mean λ). */
const fractions = fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 6 });
const RUNS = { numRuns: 100, seed: 20261129 };

function scaleOf(n: number, k: number, eta: number, theta: Float64Array): number {
  return (n * k) / (eta * meanDiag(theta, n));
}

describe('MSE dynamics (fast-check, 100 runs each)', () => {
  it('t = 0 gives the initial outputs (f₀ given, or the mean 0), and small t stays close to them', () => {
    fc.assert(
      fc.property(problem, ({ seed, n, m, k, eta, linalg }) => {
        const P = makeProblem(seed, n, m, k);
        const f0 = normals(P.rng, n * k);
        const ft0 = normals(P.rng, m * k);
        const p = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta, linalg });
        const [zero, tiny] = p.predict([0, 1e-9 * scaleOf(n, k, eta, P.ntk.train)], { kTestTrain: P.ntk.testTrain, fxTrain0: f0, fxTest0: ft0 });
        expect(Array.from(zero!.train)).toEqual(Array.from(f0));
        expect(Array.from(zero!.test!)).toEqual(Array.from(ft0));
        expect(relDiff(tiny!.train, f0, 1)).toBeLessThan(1e-7);
        expect(relDiff(tiny!.test!, ft0, 1)).toBeLessThan(1e-7);
        const mean = p.predict(0, { kTestTrain: P.ntk.testTrain });
        expect(mean.train.every((v) => v === 0) && mean.test!.every((v) => v === 0)).toBe(true);
        // The ensemble at t = 0: mean 0, covariance the prior K_tt.
        const e = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: P.nngp }, P.y, { learningRate: eta, linalg }).predict(0, { covariance: true });
        expect(e.meanTest!.every((v) => v === 0)).toBe(true);
        expect(relDiff(e.covTest!, P.nngp.testTest)).toBeLessThan(1e-13);
      }),
      RUNS,
    );
  });

  it('t = ∞ equals kernel regression (Cholesky), for one network and for the ensemble', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0, max: 0.1, noNaN: true }), ({ seed, n, m, k, eta, linalg }, diagReg) => {
        const P = makeProblem(seed, n, m, k);
        const krr = fitKernelRegression(P.ntk.train, n, P.y, k, { diagReg, linalg: linalg === 'ml-matrix' ? 'backend' : 'ml-matrix' });
        const expected = krr.predict(P.ntk.testTrain, m);
        const inf = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta, diagReg, linalg }).predict(Infinity, { kTestTrain: P.ntk.testTrain });
        expect(relDiff(inf.test!, expected)).toBeLessThan(1e-9);
        expect(relDiff(inf.train, P.y)).toBe(0);
        const ens = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: P.nngp }, P.y, { learningRate: eta, diagReg, linalg });
        const gpNtk = gpInference({ ntk: P.ntk, nngp: P.nngp }, P.y, { get: 'ntk', covariance: true, diagReg });
        const atInf = ens.predict(Infinity, { covariance: true });
        expect(relDiff(atInf.meanTest!, expected)).toBeLessThan(1e-9);
        expect(relDiff(atInf.covTest!, gpNtk.covariance!)).toBeLessThan(1e-8);
        const gpNngp = gpInference({ nngp: P.nngp }, P.y, { covariance: true, diagReg });
        const nngpInf = ens.predict(Infinity, { get: 'nngp', covariance: true });
        expect(relDiff(nngpInf.meanTest!, gpNngp.mean)).toBeLessThan(1e-9);
        expect(relDiff(nngpInf.covTest!, gpNngp.covariance!)).toBeLessThan(1e-8);
      }),
      RUNS,
    );
  });

  it('the training loss is non-increasing in t (gradient flow, and discrete steps below the stable rate)', () => {
    fc.assert(
      fc.property(problem, fractions, fc.double({ min: 0.05, max: 0.999, noNaN: true }), ({ seed, n, m, k, eta, linalg }, fr, rateFraction) => {
        const P = makeProblem(seed, n, m, k);
        const f0 = normals(P.rng, n * k);
        const times = fr.map((s) => s * scaleOf(n, k, eta, P.ntk.train)).sort((a, b) => a - b);
        const flow = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta, linalg }).predict([0, ...times, Infinity], { fxTrain0: f0 });
        for (let i = 1; i < flow.length; i++) expect(flow[i]!.trainLoss).toBeLessThanOrEqual(flow[i - 1]!.trainLoss * (1 + 1e-12) + 1e-15);
        expect(flow[flow.length - 1]!.trainLoss).toBe(0);
        // Discrete gradient descent (no momentum) below the stable learning rate: each mode's residual shrinks by |1 − a| < 1 per step.
        const probe = gradientDescentMse(P.ntk.train, P.y, { linalg });
        const lr = rateFraction * probe.maxLearningRate;
        const steps = fr.map((s) => Math.round(s * 10)).sort((a, b) => a - b);
        const gd = gradientDescentMse(P.ntk.train, P.y, { learningRate: lr, discrete: true, linalg }).predict([0, ...steps], { fxTrain0: f0 });
        for (let i = 1; i < gd.length; i++) expect(gd[i]!.trainLoss).toBeLessThanOrEqual(gd[i - 1]!.trainLoss * (1 + 1e-12) + 1e-15);
      }),
      RUNS,
    );
  });

  it('covariances are symmetric PSD (ensemble NTK and NNGP, train and test, any t; GP posteriors)', () => {
    fc.assert(
      fc.property(problem, fractions, ({ seed, n, m, k, eta, linalg }, fr) => {
        const P = makeProblem(seed, n, m, k);
        const ens = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: P.nngp }, P.y, { learningRate: eta, linalg });
        const times = [...fr.map((s) => s * scaleOf(n, k, eta, P.ntk.train)), Infinity];
        const covs: [Float64Array, number][] = [];
        for (const get of ['ntk', 'nngp'] as const) {
          for (const r of ens.predict(times, { get, covariance: true, trainCovariance: true })) covs.push([r.covTest!, m], [r.covTrain!, n]);
        }
        covs.push([gpInference({ ntk: P.ntk, nngp: P.nngp }, P.y, { get: 'ntk', covariance: true }).covariance!, m]);
        covs.push([gpInference({ nngp: P.nngp }, P.y, { covariance: true }).covariance!, m]);
        for (const [c, size] of covs) {
          for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) expect(c[i * size + j]).toBe(c[j * size + i]);
          const ev = symmetricEigenvalues(c, size);
          const scale = Math.max(meanDiag(P.nngp.train, n), ev[size - 1]!);
          expect(ev[0]!).toBeGreaterThan(-1e-10 * scale);
        }
      }),
      RUNS,
    );
  });

  it('the ODE path (Dormand–Prince) equals the closed form for MSE within 1e-6 relative', () => {
    fc.assert(
      fc.property(problem, fractions, ({ seed, n, m, k, eta }, fr) => {
        const P = makeProblem(seed, n, m, k);
        const f0 = normals(P.rng, n * k);
        const ft0 = normals(P.rng, m * k);
        const times = fr.map((s) => s * scaleOf(n, k, eta, P.ntk.train));
        const po = { kTestTrain: P.ntk.testTrain, fxTrain0: f0, fxTest0: ft0 };
        const closed = gradientDescentMse(P.ntk.train, P.y, { learningRate: eta }).predict(times, po);
        const ode = gradientDescent(mse, P.ntk.train, P.y, { learningRate: eta }).predict(times, po);
        closed.forEach((c, q) => {
          expect(ode[q]!.t).toBe(c.t);
          expect(relDiff(ode[q]!.train, c.train)).toBeLessThan(1e-6);
          expect(relDiff(ode[q]!.test!, c.test!)).toBeLessThan(1e-6);
          expect(Math.abs(ode[q]!.trainLoss - c.trainLoss)).toBeLessThanOrEqual(1e-6 * Math.max(c.trainLoss, 1e-3));
        });
      }),
      RUNS,
    );
  });
});
