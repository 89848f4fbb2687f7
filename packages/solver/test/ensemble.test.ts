import { describe, expect, it } from 'vitest';
import { cholesky } from '@wide/core';
import { InvalidOptionError, gpInference, gradientDescentMse, gradientDescentMseEnsemble } from '../src/index.js';
import { makeProblem, relDiff } from './problems.js';

describe('infinite ensemble vs a Monte-Carlo average over f₀ ~ GP(0, K)', () => {
  // N networks, each started from its own draw f₀ ~ GP(0, K) on train ∪ test and trained by the
  // one-network closed form (gradientDescentMse with f₀); their sample mean and covariance must
  // match the ensemble formulas within Monte-Carlo error.
  const n = 5;
  const m = 3;
  const N = 40_000;
  const P = makeProblem(21, n, m, 1);
  const L = cholesky(P.nngpJoint, n + m);
  const draws = new Float64Array((n + m) * N); // row r, column = network
  const z = new Float64Array(n + m);
  for (let s = 0; s < N; s++) {
    for (let i = 0; i < n + m; i++) z[i] = P.rng.normal();
    for (let i = 0; i < n + m; i++) {
      let v = 0;
      for (let j = 0; j <= i; j++) v += L[i * (n + m) + j]! * z[j]!;
      draws[i * N + s] = v;
    }
  }
  const f0 = draws.subarray(0, n * N);
  const ft0 = draws.subarray(n * N);
  const yRep = new Float64Array(n * N);
  for (let i = 0; i < n; i++) yRep.fill(P.y[i]!, i * N, (i + 1) * N);
  const eta = 1.5;

  function moments(x: Float64Array, rows: number): { mean: Float64Array; cov: Float64Array } {
    const mean = new Float64Array(rows);
    for (let i = 0; i < rows; i++) for (let s = 0; s < N; s++) mean[i] += x[i * N + s]! / N;
    const cov = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < rows; j++) {
        let c = 0;
        for (let s = 0; s < N; s++) c += (x[i * N + s]! - mean[i]!) * (x[j * N + s]! - mean[j]!);
        cov[i * rows + j] = c / (N - 1);
      }
    }
    return { mean, cov };
  }

  /** Max over entries of |MC − formula| in units of the Monte-Carlo standard error. */
  function zScores(mc: { mean: Float64Array; cov: Float64Array }, mean: Float64Array, cov: Float64Array, rows: number): { mean: number; cov: number } {
    let zm = 0;
    let zc = 0;
    for (let i = 0; i < rows; i++) {
      zm = Math.max(zm, Math.abs(mc.mean[i]! - mean[i]!) / Math.sqrt(cov[i * rows + i]! / N));
      for (let j = 0; j < rows; j++) {
        const se = Math.sqrt((cov[i * rows + i]! * cov[j * rows + j]! + cov[i * rows + j]! ** 2) / N);
        zc = Math.max(zc, Math.abs(mc.cov[i * rows + j]! - cov[i * rows + j]!) / se);
      }
    }
    return { mean: zm, cov: zc };
  }

  for (const get of ['ntk', 'nngp'] as const) {
    it(`${get.toUpperCase()} version: test and train means and covariances at several t`, () => {
      const theta = get === 'ntk' ? P.ntk : P.nngp;
      const ens = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: P.nngp }, P.y, { learningRate: eta });
      // Each column of the batch is one network; with k = N outputs time enters as η·t/(n·N), so the learning rate is scaled by N.
      const one = gradientDescentMse(theta.train, yRep, { learningRate: eta * N });
      for (const t of [0.5, 4, Infinity]) {
        const e = ens.predict(t, { get, covariance: true, trainCovariance: true });
        const nets = one.predict(t, { kTestTrain: theta.testTrain, fxTrain0: f0, fxTest0: ft0 });
        const test = zScores(moments(nets.test!, m), e.meanTest!, e.covTest!, m);
        expect(test.mean).toBeLessThan(4.5);
        expect(test.cov).toBeLessThan(4.5);
        if (t !== Infinity) {
          // At t = ∞ the train outputs equal y exactly (covariance 0).
          const train = zScores(moments(nets.train, n), e.meanTrain, e.covTrain!, n);
          expect(train.mean).toBeLessThan(4.5);
          expect(train.cov).toBeLessThan(4.5);
        } else {
          expect(relDiff(e.meanTrain, P.y)).toBeLessThan(1e-12);
          expect(Math.max(...e.covTrain!.map(Math.abs))).toBeLessThan(1e-12);
        }
      }
    });
  }

  it('the Monte-Carlo check can fail: the NNGP-version covariance is not the NTK-version one', () => {
    const ens = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: P.nngp }, P.y, { learningRate: eta });
    const one = gradientDescentMse(P.ntk.train, yRep, { learningRate: eta * N });
    const nets = one.predict(4, { kTestTrain: P.ntk.testTrain, fxTrain0: f0, fxTest0: ft0 });
    const wrong = ens.predict(4, { get: 'nngp', covariance: true });
    expect(zScores(moments(nets.test!, m), wrong.meanTest!, wrong.covTest!, m).cov).toBeGreaterThan(10);
  });
});

describe('ensemble API', () => {
  const P = makeProblem(3, 4, 2, 2);
  it('the NNGP version at t = ∞ is the exact GP posterior; with a ridge, the posterior with noise', () => {
    for (const diagReg of [0, 0.05]) {
      const e = gradientDescentMseEnsemble({ nngp: P.nngp }, P.y, { diagReg }).predict(Infinity, { get: 'nngp', covariance: true });
      const g = gpInference({ nngp: P.nngp }, P.y, { diagReg, covariance: true });
      expect(relDiff(e.meanTest!, g.mean)).toBeLessThan(1e-10);
      expect(relDiff(e.covTest!, g.covariance!)).toBeLessThan(1e-10);
      // Noise shrinks the mean toward 0 and leaves more variance.
      if (diagReg > 0) expect(g.covariance![0]!).toBeGreaterThan(gpInference({ nngp: P.nngp }, P.y, { covariance: true }).covariance![0]!);
    }
  });

  it('the NTK mean needs only NTK blocks; covariances and get: nngp name the blocks they miss', () => {
    const e = gradientDescentMseEnsemble({ ntk: P.ntk }, P.y);
    const mean = e.predict(3).meanTest!;
    const viaOne = gradientDescentMse(P.ntk.train, P.y).predict(3, { kTestTrain: P.ntk.testTrain }).test!;
    expect(relDiff(mean, viaOne)).toBeLessThan(1e-13);
    expect(() => e.predict(3, { covariance: true })).toThrow(InvalidOptionError);
    expect(() => e.predict(3, { covariance: true })).toThrow('nngp: the test covariance needs the NNGP blocks (kernels.nngp)');
    expect(() => e.predict(3, { get: 'nngp' })).toThrow("nngp: get: 'nngp' needs the NNGP blocks (kernels.nngp)");
    const noTT = gradientDescentMseEnsemble({ ntk: P.ntk, nngp: { train: P.nngp.train, testTrain: P.nngp.testTrain } }, P.y);
    expect(() => noTT.predict(3, { covariance: true })).toThrow('nngp: the test covariance needs the NNGP test–train and test–test blocks');
    expect(() => gpInference({ nngp: { train: P.nngp.train } }, P.y)).toThrow('nngp: the posterior mean needs the NNGP test–train block');
  });
});
