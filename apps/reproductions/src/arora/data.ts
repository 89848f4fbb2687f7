/**
 * Data for the Arora et al. reproduction on MNIST / Fashion-MNIST: the first N training and M
 * test images (of some classes), as NHWC images (n, S, S, 1), preprocessed as the authors' code
 * does CIFAR-10 (`utils.py`, seed-001-cntk.md §1.9): pixels / 255, then per-channel
 * standardisation with the mean and standard deviation of the training images over all their
 * pixels, no ZCA, no augmentation. Optionally downsampled by block averaging (S = 28/f), which
 * the Table 2 analogue uses to keep finite CNNs cheap. Labels become the paper's targets:
 * one-hot − 0.1 (class c ↦ 0.9 at c, −0.1 elsewhere; Novak et al. 2019, the paper's line 378).
 * @module
 */
import { type Tensor, ShapeMismatchError } from '@wide/core';
import { type Dataset, fashionClassNames, loadFashionMnist, loadMnist, oneHot } from '@wide/data';

/** The datasets the reproduction runs on. */
export const aroraDatasets = ['fashion-mnist', 'mnist'] as const;

/** A dataset name of {@link aroraDatasets}. */
export type AroraDataset = (typeof aroraDatasets)[number];

/** Side lengths the 28×28 images can be block-averaged to. */
export const imageSizes = [28, 14, 7] as const;

/** Options of {@link loadAroraData}. */
export interface AroraDataOptions {
  /** `fashion-mnist` or `mnist`. */
  dataset: AroraDataset;
  /** Training images: the first `train` of the training split (after the class filter). */
  train: number;
  /** Test images: the first `test` of the test split. */
  test: number;
  /** Keep only these classes (default all ten), in this order (the target columns). */
  classes?: readonly number[];
  /** Side of the images after block averaging: 28 (default), 14 or 7. */
  size?: number;
}

/** Train and test images with labels and the paper's targets. */
export interface AroraData {
  /** Training images, NHWC (train, S, S, 1). */
  readonly train: Tensor;
  /** Test images, NHWC (test, S, S, 1). */
  readonly test: Tensor;
  readonly trainLabels: Int32Array;
  readonly testLabels: Int32Array;
  /** The classes, in target-column order. */
  readonly classes: readonly number[];
  /** Targets one-hot − 0.1, train × classes.length, row-major. */
  readonly targets: Float64Array;
  /** Training-set pixel mean and standard deviation used for the standardisation. */
  readonly standardization: { mean: number; std: number };
  /** Human-readable class names (Fashion-MNIST) or digits. */
  readonly classNames: readonly string[];
}

/** The paper's targets: one-hot − 0.1 (0.9 at the label's column, −0.1 elsewhere). */
export function aroraTargets(labels: ArrayLike<number>, classes: readonly number[]): Float64Array {
  const y = oneHot(labels, classes);
  for (let i = 0; i < y.length; i++) y[i] = y[i]! - 0.1;
  return y;
}

/** Images (n, H, W, C) block-averaged by `factor` along H and W. */
export function blockAverage(x: Tensor, factor: number): Tensor {
  const [n, H, W, C] = x.shape as [number, number, number, number];
  if (factor === 1) return x;
  if (!Number.isInteger(factor) || factor < 1 || H % factor !== 0 || W % factor !== 0) {
    throw new ShapeMismatchError(`cannot block-average ${H}×${W} images by ${factor}`);
  }
  const h = H / factor;
  const w = W / factor;
  const out = new Float64Array(n * h * w * C);
  const scale = 1 / (factor * factor);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < H; r++) {
      for (let s = 0; s < W; s++) {
        const src = ((i * H + r) * W + s) * C;
        const dst = ((i * h + Math.floor(r / factor)) * w + Math.floor(s / factor)) * C;
        for (let c = 0; c < C; c++) out[dst + c] += scale * x.data[src + c]!;
      }
    }
  }
  return { data: out, shape: [n, h, w, C] };
}

/** Mean and standard deviation of every value of `x` (one channel: all pixels of all images). */
function pixelMoments(x: Float64Array): { mean: number; std: number } {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(ss / x.length) };
}

function load(dataset: AroraDataset, split: 'train' | 'test', count: number, classes: readonly number[]): Dataset {
  const options = { split, count, classes, normalize: 'unit' as const };
  return dataset === 'mnist' ? loadMnist(options) : loadFashionMnist(options);
}

/**
 * Loads and preprocesses the data (see the module comment). MNIST images are in file order;
 * Fashion-MNIST's are interleaved by class (balanced prefixes, see @wide/data).
 */
export function loadAroraData(o: AroraDataOptions): AroraData {
  const classes = o.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const size = o.size ?? 28;
  if (!(imageSizes as readonly number[]).includes(size)) throw new ShapeMismatchError(`image size must be one of ${imageSizes.join(', ')}, got ${size}`);
  const tr = load(o.dataset, 'train', o.train, classes);
  const te = load(o.dataset, 'test', o.test, classes);
  // The loaders' flat (n, 784) rows are the 28×28×1 images in NHWC order.
  const image = (d: Dataset): Tensor => blockAverage({ data: d.x.data, shape: [d.labels.length, 28, 28, 1] }, 28 / size);
  const train = image(tr);
  const test = image(te);
  const standardization = pixelMoments(train.data);
  const { mean } = standardization;
  const std = standardization.std > 0 ? standardization.std : 1;
  for (const t of [train, test]) for (let i = 0; i < t.data.length; i++) t.data[i] = (t.data[i]! - mean) / std;
  return {
    train,
    test,
    trainLabels: tr.labels,
    testLabels: te.labels,
    classes,
    targets: aroraTargets(tr.labels, classes),
    standardization,
    classNames: classes.map((c) => (o.dataset === 'fashion-mnist' ? fashionClassNames[c]! : String(c))),
  };
}

/** The same images flattened to (n, S·S) for the fully-connected NTK. */
export function flatImages(x: Tensor): Tensor {
  return { data: x.data, shape: [x.shape[0]!, x.data.length / Math.max(1, x.shape[0]!)] };
}
