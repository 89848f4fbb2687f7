/**
 * CIFAR-10 from the files of its binary distribution (`cifar-10-binary.tar.gz` from
 * https://www.cs.toronto.edu/~kriz/cifar.html, extracted by the user; Wide downloads nothing):
 * `data_batch_1.bin` … `data_batch_5.bin` (train, 10,000 images each) and `test_batch.bin`.
 *
 * Each file is a sequence of 3,073-byte records: one label byte (0–9), then the 32×32 image as
 * 1,024 red, 1,024 green and 1,024 blue bytes, each plane row-major. The loader returns NHWC
 * images (n, 32, 32, 3) (conventions §1), so record byte 1 + c·1024 + 32h + w becomes x[i, h, w, c].
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Tensor, WideError } from '@wide/core';
import type { Dataset } from './datasets.js';
import { type ImageShape, type Normalization, checkImageShape, normalizePixels } from './pixels.js';

/** Image side, channels, and bytes per image and per record of the CIFAR-10 binary format. */
const SIDE = 32;
const CHANNELS = 3;
const PLANE = SIDE * SIDE;
const PIXELS = PLANE * CHANNELS;
/** 1 label byte + 3,072 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 1 + PIXELS;

/** Names of the CIFAR-10 classes, by label. */
export const cifar10ClassNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

const WHERE_FROM = 'Wide downloads nothing: get the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html, extract it and pass its cifar-10-batches-bin folder';

/** A dataset file (or its folder) is missing or is not in the format expected; `path` names it. */
export class DatasetFileError extends WideError {
  /** The file or folder at fault. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super('IO', `${path}: ${problem}`);
    this.path = path;
  }
}

/** Options of {@link loadCifar10}. */
export interface Cifar10Options {
  /** The folder holding the `.bin` files (or the folder that holds `cifar-10-batches-bin`). */
  dir: string;
  /** `train` (data_batch_1…5, 50,000 images) or `test` (test_batch, 10,000), default `train`. */
  split?: 'train' | 'test';
  /** The training files to read, in this order (numbers 1–5), default all five; `train` only. */
  batches?: readonly number[];
  /** First image (after class filtering), default 0. */
  offset?: number;
  /** Number of images, default all that remain; only the files needed are read. */
  count?: number;
  /** Keep only these labels, e.g. [3, 5] for cat vs dog. */
  classes?: readonly number[];
  /** Pixel scaling, default `unit` (values in [0, 1]). */
  normalize?: Normalization;
  /** `image` (n, 32, 32, 3), default, or `flat` (n, 3072) with the same values in HWC order. */
  shape?: ImageShape;
  /** Where the values go (e.g. a backend's `zeros`); default a new Float64Array. */
  alloc?: (length: number) => Float64Array;
}

function checkIndex(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new WideError('SHAPE_MISMATCH', `${name}: expected an integer ≥ 0, got ${value}`);
}

/** The file names of a split, checked. */
function batchFiles(options: Cifar10Options): string[] {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new WideError('SHAPE_MISMATCH', `split: expected "train" or "test", got ${JSON.stringify(split)}`);
  if (split === 'test') {
    if (options.batches !== undefined) throw new WideError('SHAPE_MISMATCH', 'batches: applies to the train split only (the test split is test_batch.bin)');
    return ['test_batch.bin'];
  }
  const batches = options.batches ?? [1, 2, 3, 4, 5];
  for (const b of batches) if (!Number.isInteger(b) || b < 1 || b > 5) throw new WideError('SHAPE_MISMATCH', `batches: expected numbers 1–5 (data_batch_1.bin … data_batch_5.bin), got ${b}`);
  return batches.map((b) => `data_batch_${b}.bin`);
}

/** The folder with the files: `dir` itself, or `dir/cifar-10-batches-bin` when only that has them. */
function dataDir(dir: string, first: string): string {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw new DatasetFileError(dir, `CIFAR-10 folder not found (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}); ${WHERE_FROM}`);
  }
  if (!isDir) throw new DatasetFileError(dir, `not a folder; ${WHERE_FROM}`);
  const nested = join(dir, 'cifar-10-batches-bin');
  const has = (d: string) => statSync(join(d, first), { throwIfNoEntry: false })?.isFile() === true;
  return !has(dir) && has(nested) ? nested : dir;
}

/** Reads one file and checks its size and labels; returns its bytes and record count. */
function readBatch(path: string): { bytes: Uint8Array; records: number } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetFileError(path, code === 'ENOENT' ? `CIFAR-10 file not found; ${WHERE_FROM}` : `cannot read (${code ?? (e as Error).message})`);
  }
  if (bytes.length === 0) throw new DatasetFileError(path, 'empty file; expected 3,073-byte CIFAR-10 records');
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const hint = bytes.length % (CIFAR10_RECORD_BYTES + 1) === 0 ? ' (3,074-byte records are the CIFAR-100 format)' : '; the file is truncated or not CIFAR-10';
    throw new DatasetFileError(path, `size ${bytes.length} bytes is not a multiple of the 3,073-byte CIFAR-10 record (1 label byte + 3,072 pixel bytes)${hint}`);
  }
  const records = bytes.length / CIFAR10_RECORD_BYTES;
  for (let r = 0; r < records; r++) {
    const label = bytes[r * CIFAR10_RECORD_BYTES]!;
    if (label > 9) throw new DatasetFileError(path, `record ${r} (byte offset ${r * CIFAR10_RECORD_BYTES}) has label ${label}; CIFAR-10 labels are 0–9`);
  }
  return { bytes, records };
}

/**
 * Loads CIFAR-10 from its binary files in `options.dir` as NHWC images (n, 32, 32, 3), float64,
 * scaled by `normalize` (default `unit`: [0, 1]), with labels 0–9 (names in
 * {@link cifar10ClassNames}). Images keep file order (data_batch_1 first); `offset`, `count` and
 * `classes` select as in the MNIST loaders, and only the files needed for `count` are read.
 *
 * Throws {@link DatasetFileError} naming the path when the folder or a file is missing (nothing
 * is downloaded), when a file's size is not a multiple of 3,073 bytes, or when a label exceeds 9.
 */
export function loadCifar10(options: Cifar10Options): Dataset {
  const files = batchFiles(options);
  checkIndex(options.offset, 'offset');
  checkIndex(options.count, 'count');
  const shape = checkImageShape(options.shape ?? 'image', 'shape');
  const classes = options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const c of classes) if (!Number.isInteger(c) || c < 0 || c > 9) throw new WideError('SHAPE_MISMATCH', `classes: expected labels 0–9, got ${c}`);
  const dir = dataDir(options.dir, files[0]!);
  const want = options.count ?? Number.POSITIVE_INFINITY;
  let skip = options.offset ?? 0;
  // Selected records as (file bytes, byte offset of the record), read file by file until enough.
  const picked: [Uint8Array, number][] = [];
  let seen = 0;
  for (const name of files) {
    if (picked.length >= want) break;
    const { bytes, records } = readBatch(join(dir, name));
    for (let r = 0; r < records && picked.length < want; r++) {
      const at = r * CIFAR10_RECORD_BYTES;
      if (!classes.includes(bytes[at]!)) continue;
      seen++;
      if (skip > 0) skip--;
      else picked.push([bytes, at]);
    }
  }
  if (picked.length < want && want !== Number.POSITIVE_INFINITY) {
    throw new WideError('SHAPE_MISMATCH', `asked for ${want} images from offset ${options.offset ?? 0}, but ${files.join(', ')} hold only ${seen} of classes ${classes.join(', ')}`);
  }
  const n = picked.length;
  const data = options.alloc ? options.alloc(n * PIXELS) : new Float64Array(n * PIXELS);
  const labels = new Int32Array(n);
  picked.forEach(([bytes, at], i) => {
    labels[i] = bytes[at]!;
    const out = i * PIXELS;
    // Planes (c) of rows (h) in the file; x[i, h, w, c] at out + (h·32 + w)·3 + c.
    for (let c = 0; c < CHANNELS; c++) {
      const plane = at + 1 + c * PLANE;
      for (let q = 0; q < PLANE; q++) data[out + q * CHANNELS + c] = bytes[plane + q]!;
    }
  });
  normalizePixels(data, PIXELS, options.normalize ?? 'unit');
  const x: Tensor = { data, shape: shape === 'image' ? [n, SIDE, SIDE, CHANNELS] : [n, PIXELS] };
  return { x, labels, classes };
}
