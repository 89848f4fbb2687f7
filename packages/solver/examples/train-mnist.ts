// @wide/solver: MNIST test accuracy against training time t, for the NTK prediction (the mean over
// initialisations of infinitely wide networks) and for finite networks of the same architecture
// (the demo's three hidden ReLU layers) trained by full-batch gradient descent on the same loss,
// ½·mean((f − y)²) on centred one-hot labels, with the same learning rate (t = η·step). Beside each
// network, its NTK prediction: the same dynamics started from that network's initial outputs f₀
// (a single network keeps the part of f₀ on the test points that the training points do not
// explain; the mean over initialisations has none).
//
//   node --conditions=@wide/source --import tsx packages/solver/examples/train-mnist.ts \
//     [--train 256] [--test 1000] [--widths 128,512] [--steps 0,10,30,100] [--lr-fraction 0.5]
//
// The learning rate is lr-fraction × the largest stable one of the NTK, 2·n·k/λ_max.
import { Rng, computeKernel } from '@wide/core';
import { loadMnist, oneHot } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { classificationAccuracy, gradientDescentMse, trainNetwork } from '@wide/solver';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const nTrain = Number(arg('train', '256'));
const nTest = Number(arg('test', '1000'));
const widths = arg('widths', '128,512').split(',').map(Number);
const steps = arg('steps', '0,10,30,100').split(',').map(Number);
const fraction = Number(arg('lr-fraction', '0.5'));

const arch = (width: number, readout = 10) => ({
  parameterization: 'ntk',
  layers: [
    ...[0, 1, 2].flatMap(() => [{ type: 'dense', width, wStd: 1.5, bStd: 0.05 }, { type: 'relu' }]),
    { type: 'dense', width: readout, wStd: 1.5, bStd: 0.05 },
  ],
});
const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const train = loadMnist({ split: 'train', count: nTrain, normalize: 'standardize' });
const test = loadMnist({ split: 'test', count: nTest, normalize: 'standardize' });
const y = oneHot(train.labels, classes, true);
const accuracy = (f: Float64Array) => classificationAccuracy(f, 10, test.labels, classes);

const kernelNet = fromArchitecture(arch(1, 1));
const ntkTrain = computeKernel(kernelNet, train.x, null, { get: ['ntk'] }).ntk!;
const ntkTestTrain = computeKernel(kernelNet, test.x, train.x, { get: ['ntk'] }).ntk!;
const probe = gradientDescentMse(ntkTrain, y, { discrete: true });
const eta = fraction * probe.maxLearningRate;
const kernel = gradientDescentMse(ntkTrain, y, { learningRate: eta, discrete: true });
const columns: [string, number[]][] = [['NTK (infinite width, mean)', kernel.predict(steps, { kTestTrain: ntkTestTrain }).map((p) => accuracy(p.test as Float64Array))]];
for (const width of widths) {
  const net = fromArchitecture(arch(width));
  const { params } = net.init(new Rng(width), train.x.shape.slice(1), {});
  const run = trainNetwork(net, params, train.x, y, { learningRate: eta, record: steps.map((s) => s * eta), xTest: test.x });
  const f0 = run.records[0]!;
  const linear = kernel.predict(steps, { kTestTrain: ntkTestTrain, fxTrain0: f0.train, fxTest0: f0.test! });
  columns.push([`width ${width}`, run.records.map((r) => accuracy(r.test!))]);
  columns.push([`NTK with its f₀`, linear.map((p) => accuracy(p.test as Float64Array))]);
}

console.log(`MNIST, ${nTrain} train / ${nTest} test images, 3 hidden ReLU layers, η = ${eta.toPrecision(4)} (${fraction} × the stable limit)`);
console.log(`| t = η·step | ${columns.map(([name]) => name).join(' | ')} |`);
console.log(`|---|${columns.map(() => '---').join('|')}|`);
steps.forEach((s, i) => console.log(`| ${(s * eta).toPrecision(4)} (${s} steps) | ${columns.map(([, acc]) => `${(100 * acc[i]!).toFixed(1)} %`).join(' | ')} |`));
