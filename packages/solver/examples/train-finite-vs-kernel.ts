// @wide/solver: finite ReLU networks trained by gradient descent beside the NTK prediction.
// The same architecture gives the kernel (infinite width) and the finite networks; step s of
// gradient descent with learning rate η is the time t = η·s of the kernel dynamics. Each network is
// compared with its linearisation: the NTK prediction started from the network's own outputs f₀.
import { Rng, type Tensor, computeKernel } from '@wide/core';
import { fromArchitecture } from '@wide/layers';
import { gradientDescentMse, ntkDrift, trainNetwork } from '@wide/solver';

const arch = (width: number) => ({
  layers: [{ type: 'dense', width, wStd: 1.5, bStd: 0.05 }, { type: 'relu' }, { type: 'dense', width: 1, wStd: 1.5, bStd: 0.05 }],
});

// A smooth target y = sin(u·x/√d) on 16 train and 8 test points in d = 6.
const d = 6;
const rng = new Rng(2024);
const points = (n: number): Tensor => ({ data: rng.normals(n * d), shape: [n, d] });
const xTrain = points(16);
const xTest = points(8);
const u = rng.normals(d);
const target = (x: Tensor) => Float64Array.from({ length: x.shape[0]! }, (_, i) => Math.sin(u.reduce((s, v, j) => s + v * x.data[i * d + j]!, 0) / Math.sqrt(d)));
const yTrain = target(xTrain);
const yTest = target(xTest);

// The kernel side: the analytic NTK of the architecture (its width does not enter).
const kernelNet = fromArchitecture(arch(1));
const ntkTrain = computeKernel(kernelNet, xTrain, null, { get: ['ntk'] }).ntk!;
const ntkTestTrain = computeKernel(kernelNet, xTest, xTrain, { get: ['ntk'] }).ntk!;
const eta = 0.5;
const steps = [0, 10, 40, 400];
const times = steps.map((s) => s * eta);
// Discrete gradient descent with the same η: time counts steps here (`discrete: true`).
const kernel = gradientDescentMse(ntkTrain, yTrain, { learningRate: eta, discrete: true });
console.log(`largest stable learning rate of this NTK: ${kernel.maxLearningRate.toFixed(3)} (we use η = ${eta})`);

const rmse = (a: Float64Array, b: Float64Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length);
// The mean over initialisations (f₀ = 0): what an infinite ensemble of such networks predicts.
const mean = kernel.predict(steps, { kTestTrain: ntkTestTrain });
console.log(`ensemble mean, test RMSE at t = ${times.join(', ')}: ${mean.map((p) => rmse(p.test as Float64Array, yTest).toFixed(4)).join(', ')}`);
for (const width of [256, 4096]) {
  const net = fromArchitecture(arch(width));
  const { params } = net.init(new Rng(width), [d], {});
  const run = trainNetwork(net, params, xTrain, yTrain, { learningRate: eta, record: times, xTest });
  const f0 = run.records[0]!;
  const lin = kernel.predict(steps, { kTestTrain: ntkTestTrain, fxTrain0: f0.train, fxTest0: f0.test! });
  console.log(`\nwidth ${width}`);
  console.log('     t | train loss | test RMSE network | test RMSE NTK prediction | |network − prediction|');
  run.records.forEach((r, i) => {
    const p = lin[i]!.test as Float64Array;
    const line = [r.t.toFixed(0).padStart(6), r.trainLoss.toExponential(2).padStart(10), rmse(r.test!, yTest).toFixed(4).padStart(17), rmse(p, yTest).toFixed(4).padStart(24), rmse(r.test!, p).toFixed(4).padStart(23)];
    console.log(line.join(' | '));
  });
  const gap = Math.max(...run.records.map((r, i) => rmse(r.test!, lin[i]!.test as Float64Array)));
  const drift = ntkDrift(net, params, run.params, xTrain).relativeChange;
  console.log(`width ${width}: largest gap to the NTK prediction ${gap.toFixed(4)}, empirical NTK moved by ${(100 * drift).toFixed(2)} %`);
}
