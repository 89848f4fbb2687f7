// @wide/data: CIFAR-10 from its binary files. Wide downloads nothing: with the real data, pass the
// cifar-10-batches-bin folder of https://www.cs.toronto.edu/~kriz/cifar.html's binary archive as
// `dir`. Here a two-image test_batch.bin is written first, in the same format, so the example runs anywhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_RECORD_BYTES, cifar10ClassNames, loadCifar10 } from '@wide/data';

const dir = mkdtempSync(join(tmpdir(), 'wide-example-'));
const file = new Uint8Array(2 * CIFAR10_RECORD_BYTES);
[3, 8].forEach((label, i) => {
  const at = i * CIFAR10_RECORD_BYTES;
  file[at] = label; // label byte, then the red, green and blue 32×32 planes
  file.fill(255, at + 1, at + 1 + 1024); // a red image
});
writeFileSync(join(dir, 'test_batch.bin'), file);

const test = loadCifar10({ dir, split: 'test' }); // NHWC, values in [0, 1]
console.log('x:', test.x.shape, 'labels:', Array.from(test.labels, (l) => cifar10ClassNames[l]));
console.log('pixel (0, 0) of image 0, RGB:', Array.from(test.x.data.subarray(0, 3)));
rmSync(dir, { recursive: true });
