import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES, DatasetFileError, cifar10ClassNames, loadCifar10 } from '../src/index.js';

/**
 * One record in the file format: the label byte, then the red, green and blue 32×32 planes.
 * Here red = row h, green = column w, blue = 100 + tag, so every value says where it came from.
 */
function record(label: number, tag: number): Uint8Array {
  const r = new Uint8Array(CIFAR10_RECORD_BYTES);
  r[0] = label;
  for (let h = 0; h < 32; h++) {
    for (let w = 0; w < 32; w++) {
      r[1 + h * 32 + w] = h;
      r[1 + 1024 + h * 32 + w] = w;
      r[1 + 2048 + h * 32 + w] = 100 + tag;
    }
  }
  return r;
}

/** Records with pseudo-random pixels (a fixed linear congruential sequence). */
function noisy(labels: readonly number[], seed: number): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  let s = seed;
  labels.forEach((label, i) => {
    out[i * CIFAR10_RECORD_BYTES] = label;
    for (let j = 1; j < CIFAR10_RECORD_BYTES; j++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      out[i * CIFAR10_RECORD_BYTES + j] = s >>> 23;
    }
  });
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function folder(files: Record<string, Uint8Array>, sub?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'wide-cifar-'));
  const dir = sub ? join(root, sub) : root;
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return root;
}

describe('loadCifar10: the binary format read back exactly', () => {
  it('maps R, G, B planes (row-major) to NHWC x[i, h, w, c] with the labels in file order', () => {
    const dir = folder({ 'test_batch.bin': concat([record(3, 0), record(0, 1), record(9, 2), record(3, 3)]) });
    const d = loadCifar10({ dir, split: 'test', normalize: 'none' });
    expect(d.x.shape).toEqual([4, 32, 32, 3]);
    expect(Array.from(d.labels)).toEqual([3, 0, 9, 3]);
    for (let i = 0; i < 4; i++) {
      for (let h = 0; h < 32; h++) {
        for (let w = 0; w < 32; w++) {
          const at = ((i * 32 + h) * 32 + w) * 3;
          expect([d.x.data[at], d.x.data[at + 1], d.x.data[at + 2]]).toEqual([h, w, 100 + i]);
        }
      }
    }
    expect(cifar10ClassNames[d.labels[0]!]).toBe('cat');
    expect(cifar10ClassNames[9]).toBe('truck');
  });

  it('scales to [0, 1] by default: every value is its byte / 255', () => {
    const bytes = noisy([1, 7, 2], 42);
    const dir = folder({ 'test_batch.bin': bytes });
    const d = loadCifar10({ dir, split: 'test' });
    let max = 0;
    for (let i = 0; i < 3; i++) {
      for (let c = 0; c < 3; c++) {
        for (let q = 0; q < 1024; q++) {
          const v = d.x.data[i * 3072 + q * 3 + c]!;
          expect(v).toBe(bytes[i * CIFAR10_RECORD_BYTES + 1 + c * 1024 + q]! / 255);
          max = Math.max(max, v);
        }
      }
    }
    expect(max).toBeGreaterThan(0.9);
    expect(max).toBeLessThanOrEqual(1);
    // flat: the same values, shape (n, 3072).
    const flat = loadCifar10({ dir, split: 'test', shape: 'flat' });
    expect(flat.x.shape).toEqual([3, 3072]);
    expect(flat.x.data).toEqual(d.x.data);
    // alloc: the values land in the caller's array (e.g. a backend's memory).
    const lengths: number[] = [];
    const mine = loadCifar10({ dir, split: 'test', alloc: (n) => (lengths.push(n), new Float64Array(n)) });
    expect(lengths).toEqual([3 * 3072]);
    expect(mine.x.data).toEqual(d.x.data);
  });

  it('standardises each image to mean 0 and ‖x‖²/d = 1', () => {
    const dir = folder({ 'test_batch.bin': noisy([4, 5], 7) });
    const d = loadCifar10({ dir, split: 'test', normalize: 'standardize' });
    for (let i = 0; i < 2; i++) {
      const img = d.x.data.subarray(i * 3072, (i + 1) * 3072);
      expect(img.reduce((a, v) => a + v, 0) / 3072).toBeCloseTo(0, 12);
      expect(img.reduce((a, v) => a + v * v, 0) / 3072).toBeCloseTo(1, 12);
    }
  });

  it('reads the train files in order, selects by offset, count and classes, and reads only the files needed', () => {
    const files = { 'data_batch_1.bin': concat([record(0, 10), record(1, 11), record(2, 12)]), 'data_batch_2.bin': concat([record(1, 20), record(2, 21)]) };
    const dir = folder(files);
    // data_batch_3…5 do not exist: a count met by the first files never opens them.
    const a = loadCifar10({ dir, count: 4, normalize: 'none' });
    expect(Array.from(a.labels)).toEqual([0, 1, 2, 1]);
    expect(a.x.data[2]).toBe(110); // blue of image 0 is 100 + tag
    const b = loadCifar10({ dir, count: 2, offset: 1, classes: [1, 2], normalize: 'none' });
    expect(Array.from(b.labels)).toEqual([2, 1]);
    expect([b.x.data[2], b.x.data[3072 + 2]]).toEqual([112, 120]);
    expect(b.classes).toEqual([1, 2]);
    const only2 = loadCifar10({ dir, batches: [2], normalize: 'none' });
    expect(Array.from(only2.labels)).toEqual([1, 2]);
    const swapped = loadCifar10({ dir, batches: [2, 1], count: 3 });
    expect(Array.from(swapped.labels)).toEqual([1, 2, 0]);
    expect(() => loadCifar10({ dir, count: 6 })).toThrow(/data_batch_3\.bin: CIFAR-10 file not found/);
    expect(() => loadCifar10({ dir, batches: [1, 2], count: 6 })).toThrow(/asked for 6 images from offset 0, but data_batch_1\.bin, data_batch_2\.bin hold only 5/);
  });

  it('finds the files inside cifar-10-batches-bin, as the archive extracts', () => {
    const root = folder({ 'test_batch.bin': record(6, 0) }, 'cifar-10-batches-bin');
    expect(Array.from(loadCifar10({ dir: root, split: 'test' }).labels)).toEqual([6]);
  });
});

describe('loadCifar10: clear errors', () => {
  const error = (f: () => unknown): DatasetFileError => {
    try {
      f();
    } catch (e) {
      return e as DatasetFileError;
    }
    throw new Error('expected an error');
  };

  it('a missing folder or file names the path and says nothing is downloaded', () => {
    const missing = join(tmpdir(), 'wide-no-such-cifar-folder');
    const e = error(() => loadCifar10({ dir: missing }));
    expect(e).toBeInstanceOf(DatasetFileError);
    expect(e.path).toBe(missing);
    expect(e.message).toContain(missing);
    expect(e.message).toMatch(/not found \(ENOENT\).*downloads nothing.*https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar\.html/);
    const dir = folder({});
    const f = error(() => loadCifar10({ dir, split: 'test' }));
    expect(f.path).toBe(join(dir, 'test_batch.bin'));
    expect(f.message).toMatch(/test_batch\.bin: CIFAR-10 file not found; Wide downloads nothing/);
  });

  it('a truncated file: size not a multiple of 3,073', () => {
    const bytes = concat([record(1, 0), record(2, 0)]).subarray(0, 2 * CIFAR10_RECORD_BYTES - 5);
    const dir = folder({ 'test_batch.bin': bytes });
    const e = error(() => loadCifar10({ dir, split: 'test' }));
    expect(e).toBeInstanceOf(DatasetFileError);
    expect(e.message).toMatch(/test_batch\.bin: size 6141 bytes is not a multiple of the 3,073-byte CIFAR-10 record.*truncated/);
    const c100 = folder({ 'test_batch.bin': new Uint8Array(2 * 3074) });
    expect(() => loadCifar10({ dir: c100, split: 'test' })).toThrow(/CIFAR-100 format/);
    const empty = folder({ 'test_batch.bin': new Uint8Array(0) });
    expect(() => loadCifar10({ dir: empty, split: 'test' })).toThrow(/empty file/);
  });

  it('a label above 9', () => {
    const dir = folder({ 'test_batch.bin': concat([record(1, 0), record(10, 0)]) });
    const e = error(() => loadCifar10({ dir, split: 'test' }));
    expect(e).toBeInstanceOf(DatasetFileError);
    expect(e.message).toMatch(/test_batch\.bin: record 1 \(byte offset 3073\) has label 10; CIFAR-10 labels are 0–9/);
  });

  it('bad options', () => {
    const dir = folder({ 'test_batch.bin': record(1, 0) });
    expect(() => loadCifar10({ dir, batches: [0] })).toThrow(/batches: expected numbers 1–5.*got 0/);
    expect(() => loadCifar10({ dir, split: 'test', batches: [1] })).toThrow(/train split only/);
    expect(() => loadCifar10({ dir, split: 'test', count: -1 })).toThrow(/count: expected an integer ≥ 0, got -1/);
    expect(() => loadCifar10({ dir, split: 'test', classes: [10] })).toThrow(/classes: expected labels 0–9, got 10/);
    expect(() => loadCifar10({ dir, split: 'test', shape: 'nhwc' as never })).toThrow(/shape: expected "flat" or "image", got "nhwc"/);
    expect(() => loadCifar10({ dir, split: 'valid' as never })).toThrow(/split: expected "train" or "test"/);
  });
});
