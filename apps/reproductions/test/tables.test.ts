import { describe, expect, it } from 'vitest';
import { NotPositiveDefiniteError, tensor } from '@wide/core';
import { kernel } from '@wide/layers';
import { classificationAccuracy, fitKernelRegression } from '@wide/solver';
import {
  aroraArchitecture,
  aroraTargets,
  blockAverage,
  formatTable1,
  formatTable2,
  loadAroraData,
  median,
  ridgelessAccuracy,
  runTable1,
  runTable2,
} from '../src/index.js';

describe('data: the authors\' preprocessing on MNIST / Fashion-MNIST', () => {
  it('standardises with the training pixels\' mean and std (train: mean 0, std 1), images NHWC 28×28×1', () => {
    const d = loadAroraData({ dataset: 'mnist', train: 50, test: 20 });
    expect(d.train.shape).toEqual([50, 28, 28, 1]);
    expect(d.test.shape).toEqual([20, 28, 28, 1]);
    const mean = d.train.data.reduce((s, v) => s + v, 0) / d.train.data.length;
    const std = Math.sqrt(d.train.data.reduce((s, v) => s + (v - mean) ** 2, 0) / d.train.data.length);
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(std).toBeCloseTo(1, 12);
    // MNIST pixels: the mean of 0…1 intensities is about 0.13, their std about 0.31.
    expect(d.standardization.mean).toBeGreaterThan(0.08);
    expect(d.standardization.mean).toBeLessThan(0.2);
    // A blank pixel (0) of a test image maps to −mean/std.
    expect(Math.min(...d.test.data)).toBeCloseTo(-d.standardization.mean / d.standardization.std, 12);
  });

  it('targets are one-hot − 0.1 over the classes given, in their order', () => {
    expect(Array.from(aroraTargets([6, 8, 6], [8, 6]), (v) => +v.toFixed(12))).toEqual([-0.1, 0.9, 0.9, -0.1, -0.1, 0.9]);
    const d = loadAroraData({ dataset: 'fashion-mnist', train: 6, test: 4, classes: [0, 6], size: 7 });
    expect(d.classNames).toEqual(['T-shirt/top', 'Shirt']);
    expect(d.train.shape).toEqual([6, 7, 7, 1]);
    expect(new Set(d.trainLabels)).toEqual(new Set([0, 6]));
  });

  it('block averaging keeps each block\'s mean', () => {
    const x = tensor(Array.from({ length: 2 * 4 * 4 }, (_, i) => i), [2, 4, 4, 1]);
    const y = blockAverage(x, 2);
    expect(y.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(y.data)).toEqual([2.5, 4.5, 10.5, 12.5, 18.5, 20.5, 26.5, 28.5]);
    expect(() => blockAverage(x, 3)).toThrow('cannot block-average 4×4 images by 3');
  });
});

describe('ridge-less regression (the paper\'s eq. 5)', () => {
  const d = loadAroraData({ dataset: 'mnist', train: 40, test: 30 });
  const spec = aroraArchitecture({ imageShape: [28, 28], inputChannels: 1, depth: 3, variant: 'vanilla' });
  const kTrain = kernel(spec, d.train, null, { get: ['ntk'] }).ntk!;
  const kTest = kernel(spec, d.test, d.train, { get: ['ntk'] }).ntk!;

  it('interpolates the training targets (train accuracy 100 %) without jitter', () => {
    const r = ridgelessAccuracy(kTrain, kTrain, d.targets, d.classes, d.trainLabels);
    expect(r).toEqual({ accuracy: 1, jitter: 0 });
  });

  it('is invariant to a constant factor on the kernel (per-layer constants do not matter, seed-001 §1.6)', () => {
    const a = ridgelessAccuracy(kTrain, kTest, d.targets, d.classes, d.testLabels);
    const s = ridgelessAccuracy(kTrain.map((v) => 7 * v), kTest.map((v) => 7 * v), d.targets, d.classes, d.testLabels);
    expect(s.accuracy).toBe(a.accuracy);
    // 40 MNIST images already give well above chance (10 %).
    expect(a.accuracy).toBeGreaterThan(0.4);
  });

  it('adds the smallest jitter that works only when the Cholesky factorisation fails, and says so', () => {
    const singular = Float64Array.from([1, 1, 0, 1, 1, 0, 0, 0, 1]);
    expect(() => fitKernelRegression(singular, 3, Float64Array.from([1, 1, 0]), 1)).toThrow(NotPositiveDefiniteError);
    const r = ridgelessAccuracy(singular, Float64Array.from([1, 1, 0]), Float64Array.from([0.9, -0.1, 0.9, -0.1, -0.1, 0.9]), [0, 1], [0]);
    expect(r.jitter).toBe(1e-12);
    expect(r.accuracy).toBe(1);
  });
});

describe('Table 1 analogue (tiny sizes)', () => {
  const r = runTable1({ dataset: 'mnist', train: 40, test: 30, depths: [3, 4], gapTrain: 6, gapTest: 5 });

  it('has CNTK-V and FC-NTK, then CNTK-GAP and CNTK-V at the GAP sizes, at every depth', () => {
    expect(r.runs.map((x) => [x.kernel, x.train, x.test])).toEqual([
      ['CNTK-V', 40, 30],
      ['FC-NTK', 40, 30],
      ['CNTK-GAP', 6, 5],
      ['CNTK-V', 6, 5],
    ]);
    for (const run of r.runs) {
      expect(run.accuracy).toHaveLength(2);
      expect(run.depthSeconds[1]!).toBeGreaterThanOrEqual(run.depthSeconds[0]!);
      expect(run.seconds.kernels).toBeGreaterThan(0);
    }
  });

  it('CNTK-V accuracies equal those of the single-depth preset and the solver (a second path)', () => {
    const d = loadAroraData({ dataset: 'mnist', train: 40, test: 30 });
    [3, 4].forEach((depth, t) => {
      const spec = aroraArchitecture({ imageShape: [28, 28], inputChannels: 1, depth, variant: 'vanilla' });
      const fit = fitKernelRegression(kernel(spec, d.train, null, { get: ['ntk'] }).ntk!, 40, d.targets, 10);
      const acc = classificationAccuracy(fit.predict(kernel(spec, d.test, d.train, { get: ['ntk'] }).ntk!, 30), 10, d.testLabels, d.classes);
      expect(r.runs[0]!.accuracy[t]).toBe(acc);
    });
  });

  it('prints as a Markdown table', () => {
    const text = formatTable1(r);
    expect(text).toMatch(/^Table 1 analogue \(Arora et al\. 2019\): MNIST 28×28/);
    expect(text).toContain('| depth | CNTK-V 40/30 | FC-NTK 40/30 | CNTK-GAP 6/5 | CNTK-V 6/5 |');
    expect(text).toMatch(new RegExp(`\\|     3 \\| +${(100 * r.runs[0]!.accuracy[0]!).toFixed(2)} % \\|`));
    expect(text).toMatch(/CNTK-GAP 6\/5: 6 train \/ 5 test images; kernels of all depths/);
  });
});

describe('Table 2 analogue (tiny sizes)', () => {
  const r = runTable2({ dataset: 'mnist', classes: [4, 9], train: 16, test: 10, size: 7, depths: [3], channels: [4, 32], trials: 3 });

  it('has the exact and the Monte-Carlo accuracies per variant and channel count', () => {
    expect(r.rows.map((row) => [row.variant, row.depth, row.monteCarlo.map((m) => m.channels)])).toEqual([
      ['vanilla', 3, [4, 32]],
      ['gap', 3, [4, 32]],
    ]);
    for (const row of r.rows) {
      for (const m of row.monteCarlo) {
        expect(m.accuracies).toHaveLength(3);
        expect(m.median).toBe(median(m.accuracies));
      }
      // The Monte-Carlo kernel approaches the exact one as channels grow (error ~ 1/√channels: ratio ~ 2.8).
      expect(row.monteCarlo[1]!.kernelError).toBeLessThan(row.monteCarlo[0]!.kernelError);
    }
    expect(r.classNames).toEqual(['4', '9']);
  });

  it('the exact column equals the single-depth preset through the solver', () => {
    const d = loadAroraData({ dataset: 'mnist', train: 16, test: 10, classes: [4, 9], size: 7 });
    const spec = aroraArchitecture({ imageShape: [7, 7], inputChannels: 1, depth: 3, variant: 'gap' });
    const acc = ridgelessAccuracy(kernel(spec, d.train, null).ntk!, kernel(spec, d.test, d.train).ntk!, d.targets, d.classes, d.testLabels).accuracy;
    expect(r.rows[1]!.exact).toBe(acc);
  });

  it('prints as a Markdown table', () => {
    const text = formatTable2(r);
    expect(text).toContain('MNIST classes 4 vs 9, 7×7 images, 16 train / 10 test');
    expect(text).toMatch(/\| depth \| +CNTK-V \| +MC 4 ch \| +MC 32 ch \| +CNTK-GAP \|/);
    expect(text).toMatch(/MC 32 ch/);
  });

  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
