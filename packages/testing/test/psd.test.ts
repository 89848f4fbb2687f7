import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eigvalsh } from '@wide/core';
import { KernelMismatchError, arbPsdMatrix, expectMonteCarloClose, relativeFrobenius } from '../src/index.js';

describe('arbPsdMatrix', () => {
  it('gives symmetric matrices with non-negative spectrum', () => {
    fc.assert(fc.property(arbPsdMatrix(6, 1e-9), (m) => {
      for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(m[i * 6 + j]).toBe(m[j * 6 + i]);
      expect(eigvalsh(m, 6)[0]!).toBeGreaterThan(-1e-12);
    }), { numRuns: 100, seed: 1 });
  });
});

describe('expectMonteCarloClose', () => {
  it('passes within c/√(width·samples) and fails beyond it', () => {
    const a = Float64Array.from([1, 0.5, 0.5, 1]);
    const near = a.map((v) => v * 1.001);
    expect(expectMonteCarloClose(near, a, { width: 1024, samples: 4 })).toBeCloseTo(0.001, 10);
    const biased = a.map((v) => v * 1.1);
    expect(() => expectMonteCarloClose(biased, a, { width: 1024, samples: 4, label: 'NTK' })).toThrow(KernelMismatchError);
    expect(() => expectMonteCarloClose(biased, a, { width: 1024, samples: 4, label: 'NTK' })).toThrow(/NTK: relative Frobenius error 1.000e-1 exceeds/);
    expect(relativeFrobenius([3, 4], [0, 5])).toBeCloseTo(Math.sqrt(10) / 5, 14);
  });
});
