// @wide/solver: NTK regression = the t → ∞ prediction of the infinitely wide network trained by
// gradient descent on the squared loss (from zero initial output).
import { computeKernel } from '@wide/core';
import { loadMnist, oneHot } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { classificationAccuracy, fitKernelRegression } from '@wide/solver';

const net = fromArchitecture({ layers: [{ type: 'dense', wStd: 1.5, bStd: 0.05 }, { type: 'relu' }, { type: 'dense', wStd: 1.5, bStd: 0.05 }] });
const train = loadMnist({ split: 'train', count: 300, normalize: 'standardize' });
const test = loadMnist({ split: 'test', count: 200, normalize: 'standardize' });
const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const kTrain = computeKernel(net, train.x, null, { get: ['ntk'] });
const kTest = computeKernel(net, test.x, train.x, { get: ['ntk'] });
const fit = fitKernelRegression(kTrain.ntk!, 300, oneHot(train.labels, classes, true), 10, { diagReg: 1e-4 });
const accuracy = classificationAccuracy(fit.predict(kTest.ntk!, 200), 10, test.labels, classes);
console.log(`NTK regression, 300 MNIST training images: test accuracy ${(100 * accuracy).toFixed(1)} %`);
