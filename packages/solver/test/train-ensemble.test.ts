// The ensemble of independently initialised finite networks against the infinite ensemble
// (issue 9, acceptance): networks trained to time t have outputs whose mean over initialisations
// is the infinite-ensemble mean (no f₀ term) and whose covariance is the predicted one (thesis
// eqs. 2.151–2.156; Lee et al. 2019; `gradientDescentMseEnsemble`). The prediction is gradient
// flow, the networks take steps of η = 0.3 (η·λ_max/(n·k) ≈ 0.5), so t = η·step.
//
// Tolerances from the sample count N = 64 (C the predicted m×m test covariance, x̄ and S the
// sample mean and covariance, exact for Gaussian outputs):
// - Hotelling: N·(x̄ − μ)ᵀ·C⁻¹·(x̄ − μ) ~ χ²_m, m = 6; its 99.9 % quantile is 22.46;
// - whitened trace: tr(C⁻¹·S)/m ~ χ²_{m(N−1)}/(m(N−1)), mean 1, sd √(2/(m(N−1))) = 0.073; 4 sd = 0.29;
// - each point's variance ratio s²ᵢ/Cᵢᵢ ~ χ²_{N−1}/(N−1), sd √(2/63) = 0.18; 4 sd = 0.71.
// Width 512 and the step size add small biases that these tolerances do not budget for; the
// measured statistics (below) sit well inside them.
import { describe, expect, it } from 'vitest';
import { Rng, cholesky, computeKernel } from '@wide/core';
import { gradientDescentMseEnsemble } from '../src/index.js';
import { trainNetwork } from '../src/train/index.js';
import { smoothRegressionTask } from './train-task.js';

const { d, n, m, xTrain, xTest, yTrain, build } = smoothRegressionTask();

const N = 64;
const width = 512;
const eta = 0.3;
const steps = [0, 30, 300];
const times = steps.map((s) => s * eta);

const kdd = computeKernel(build(1), xTrain, null);
const ktd = computeKernel(build(1), xTest, xTrain);
const ktt = computeKernel(build(1), xTest, null);
const predicted = gradientDescentMseEnsemble(
  { nngp: { train: kdd.nngp, testTrain: ktd.nngp, testTest: ktt.nngp }, ntk: { train: kdd.ntk!, testTrain: ktd.ntk! } },
  yTrain,
  { learningRate: 1 },
).predict(times, { covariance: true });

// outputs[i][j]: test outputs of network j at times[i].
const outputs: Float64Array[][] = times.map(() => []);
const root = new Rng(7);
for (let j = 0; j < N; j++) {
  const net = build(width);
  const { params } = net.init(root.fork(j), [d], {});
  const run = trainNetwork(net, params, xTrain, yTrain, { learningRate: eta, record: times, xTest });
  run.records.forEach((r, i) => outputs[i]!.push(r.test!));
}

/** Solves L·z = b (L lower triangular, row-major m×m). */
function forward(L: Float64Array, b: Float64Array): Float64Array {
  const z = Float64Array.from(b);
  for (let a = 0; a < m; a++) {
    for (let c = 0; c < a; c++) z[a] -= L[a * m + c]! * z[c]!;
    z[a] /= L[a * m + a]!;
  }
  return z;
}

function statistics(i: number) {
  const xs = outputs[i]!;
  const mu = predicted[i]!.meanTest as Float64Array;
  const C = predicted[i]!.covTest as Float64Array;
  const mean = new Float64Array(m);
  for (const x of xs) for (let a = 0; a < m; a++) mean[a] += x[a]! / N;
  const L = cholesky(C, m);
  const hotelling = N * forward(L, mean.map((v, a) => v - mu[a]!)).reduce((s, z) => s + z * z, 0);
  let trace = 0;
  const variance = new Float64Array(m);
  for (const x of xs) {
    trace += forward(L, x.map((v, a) => v - mean[a]!)).reduce((s, z) => s + z * z, 0) / (N - 1);
    for (let a = 0; a < m; a++) variance[a] += (x[a]! - mean[a]!) ** 2 / (N - 1);
  }
  return { hotelling, whitenedTrace: trace / m, ratios: Array.from(variance, (v, a) => v / C[a * m + a]!) };
}

describe(`${N} finite networks of width ${width} against the infinite ensemble`, () => {
  steps.forEach((s, i) => {
    const t = times[i]!;
    it(`t = ${t} (${s} steps): the sample mean is the ensemble mean (Hotelling χ²₆ below its 99.9 % quantile 22.46)`, () => {
      const st = statistics(i);
      expect(st.hotelling).toBeLessThan(22.46);
      // Measured: 4.0, 1.0, 1.2 at t = 0, 9, 90 (6 on average).
    });
    it(`t = ${t}: the sample covariance is the predicted covariance (whitened trace within 1 ± 0.29, each variance ratio within 1 ± 0.71)`, () => {
      const st = statistics(i);
      expect(Math.abs(st.whitenedTrace - 1)).toBeLessThan(0.29); // measured 1.07, 1.10, 1.07
      for (const r of st.ratios) expect(Math.abs(r - 1)).toBeLessThan(0.71);
    });
  });

  it('the test is not vacuous: training moves the ensemble mean away from 0 and shrinks the variance', () => {
    const first = predicted[0]!;
    const last = predicted[2]!;
    expect(Math.hypot(...(last.meanTest as Float64Array))).toBeGreaterThan(0.5);
    const tr = (c: Float64Array) => Array.from({ length: m }, (_, a) => c[a * m + a]!).reduce((x, y) => x + y, 0);
    expect(tr(last.covTest as Float64Array)).toBeLessThan(0.5 * tr(first.covTest as Float64Array));
    // and a wrong prediction would be caught: the t = 0 prior (mean 0, variance C₀) fails at t = 90.
    const xs = outputs[2]!;
    const mean = new Float64Array(m);
    for (const x of xs) for (let a = 0; a < m; a++) mean[a] += x[a]! / N;
    const L0 = cholesky(first.covTest as Float64Array, m);
    expect(N * forward(L0, mean).reduce((s, z) => s + z * z, 0)).toBeGreaterThan(22.46);
    let trace = 0;
    for (const x of xs) trace += forward(L0, x.map((v, a) => v - mean[a]!)).reduce((s, z) => s + z * z, 0) / ((N - 1) * m);
    expect(Math.abs(trace - 1)).toBeGreaterThan(0.29);
  });
});
