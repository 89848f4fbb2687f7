// @wide/solver: what the infinitely wide network predicts along training, how uncertain the
// infinite ensemble is, and what the kernel says before any training.
import { computeKernel } from '@wide/core';
import { loadMnist, oneHot } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { classificationAccuracy, gradientDescentMse, gradientDescentMseEnsemble, kernelDiagnostics, maxLearningRate } from '@wide/solver';

const net = fromArchitecture({ layers: [{ type: 'dense', wStd: 1.5, bStd: 0.05 }, { type: 'relu' }, { type: 'dense', wStd: 1.5, bStd: 0.05 }] });
const train = loadMnist({ split: 'train', count: 300, normalize: 'standardize' });
const test = loadMnist({ split: 'test', count: 200, normalize: 'standardize' });
const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const y = oneHot(train.labels, classes, true); // 300×10, centred one-hot

const kTrain = computeKernel(net, train.x, null, { get: ['nngp', 'ntk'] });
const kTestTrain = computeKernel(net, test.x, train.x, { get: ['nngp', 'ntk'] });
const kTestTest = computeKernel(net, test.x, null, { get: ['nngp'] });

// Before training: the spectrum of the NTK and the Arora et al. 2019 bound term.
const d = kernelDiagnostics(kTrain.ntk!, y);
console.log(`NTK: λ_max ${d.eigenvalues[0]!.toFixed(1)}, condition number ${d.conditionNumber.toExponential(2)}, effective rank ${d.effectiveRank.participationRatio.toFixed(1)} (participation) / ${d.effectiveRank.entropy.toFixed(1)} (entropy), √(2yᵀΘ⁻¹y/n) = ${d.generalizationBound!.toFixed(2)}`);

// One network trained by gradient flow at half the largest stable learning rate (t counts steps of that size).
const eta = 0.5 * maxLearningRate(kTrain.ntk!, y.length);
const flow = gradientDescentMse(kTrain.ntk!, y, { learningRate: eta });
for (const p of flow.predict([0, 10, 100, 1000, 10000, Infinity], { kTestTrain: kTestTrain.ntk! })) {
  const accuracy = classificationAccuracy(p.test!, 10, test.labels, classes);
  console.log(`t = ${p.t}: train loss ${p.trainLoss.toExponential(2)}, test accuracy ${(100 * accuracy).toFixed(1)} %`);
}

// The infinite ensemble at t = 1000: mean and the predictive standard deviation of each test output.
const ensemble = gradientDescentMseEnsemble(
  { nngp: { train: kTrain.nngp, testTrain: kTestTrain.nngp, testTest: kTestTest.nngp }, ntk: { train: kTrain.ntk!, testTrain: kTestTrain.ntk! } },
  y,
  { learningRate: eta },
);
const e = ensemble.predict(1000, { covariance: true });
let sd = 0;
for (let i = 0; i < 200; i++) sd += Math.sqrt(e.covTest![i * 200 + i]!) / 200;
console.log(`ensemble at t = 1000: test accuracy ${(100 * classificationAccuracy(e.meanTest!, 10, test.labels, classes)).toFixed(1)} %, mean predictive std ${sd.toFixed(3)}`);
