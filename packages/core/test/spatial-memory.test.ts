import { totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  type Tensor,
  MemoryLimitError,
  Rng,
  WideError,
  computeKernel,
  computeKernelTiled,
  defaultMaxMemory,
  estimateKernelMemory,
  jsBackend,
  residual,
  serial,
  tensor,
} from '../src/index.js';
import { conv, dense, flatten, globalAvgPool, relu } from './spatial-helpers.js';

const GiB = 2 ** 30;
const cnnGap = () => serial(conv(3), relu(), conv(3), relu(), globalAvgPool(), dense());
/** A tensor with a shape and no data: the memory check runs before anything reads the data. */
const shapeOnly = (shape: number[]): Tensor => ({ data: new Float64Array(0), shape });

describe('the memory estimate', () => {
  it('counts the layout actually used: t²·P² numbers per array on the full layout, t²·P on the diagonal one', () => {
    // 28×28 images: P = 784, P² = 614,656 per sample pair. A 1×1 tile of CNN-GAP: 4 sets (in, out, two
    // temporaries) of Σ, Θ (1 pair each) and the variances (2 samples), 8 bytes each; plus the output.
    const e = estimateKernelMemory(cnnGap(), [3000, 28, 28, 1], null, { tile: 1 });
    expect(e.layout).toBe('full');
    expect(e.tileBytes).toBe(8 * 4 * (614656 * 2 + 2 * 614656));
    expect(e.outputBytes).toBe(8 * (3000 * 3000 * 2 + 3000));
    expect(e.tiles).toBe((3000 * 3001) / 2);
    const v = estimateKernelMemory(serial(conv(3), relu(), flatten(), dense()), [3000, 28, 28, 1], null, { tile: 1 });
    expect(v.layout).toBe('diagonal');
    expect(v.tileBytes).toBe(8 * 4 * (784 * 2 + 2 * 784));
    // Fully-connected data: no temporaries, Σ and Θ in and out; one 8,192-row tile as before.
    const fc = estimateKernelMemory(serial(dense(), relu(), dense()), [8192, 784], null, { maxMemory: 8 * GiB });
    expect([fc.tile, fc.tiles, fc.outputBytes]).toEqual([8192, 1, 0]);
    expect(fc.bytes).toBe(8 * 2 * (8192 * 8192 * 2 + 2 * 8192));
    // A residual block holds its skip: one more set.
    const res = estimateKernelMemory(serial(dense(), residual(dense(), relu())), [10, 5], [20, 5], {});
    expect(res.bytes).toBe(8 * 3 * (200 * 2 + 30));
    // Only the NNGP: one kernel.
    expect(estimateKernelMemory(serial(dense(), relu(), dense()), [100, 5], null, { get: ['nngp'] }).bytes).toBe(8 * 2 * (100 * 100 + 200));
  });

  it('is within a factor 2 of the live arrays measured at the peak of a CNN-GAP computation (JS backend)', () => {
    // Live ArrayBuffer bytes (after a full GC) sampled before and after every backend op. 16 images of
    // 10×10×3: each Σ or Θ array holds 16²·100² doubles = 20.5 MB; the estimate counts 4 sets of 2 of
    // them (164 MB) plus the variance blocks (10 MB).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const [n, H, W, C] = [16, 10, 10, 3];
    const x = tensor(new Rng(1).normals(n * H * W * C), [n, H, W, C]);
    let peak = 0;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    };
    const measured = Object.fromEntries(
      Object.entries(jsBackend).map(([key, op]) => [key, typeof op === 'function' ? (...args: unknown[]) => (sample(), ((r: unknown) => (sample(), r))((op as (...a: unknown[]) => unknown)(...args))) : op]),
    ) as unknown as Backend;
    gc();
    const base = process.memoryUsage().arrayBuffers;
    const k = computeKernel(cnnGap(), x, null, { backend: measured });
    const live = peak - base;
    const estimate = estimateKernelMemory(cnnGap(), x.shape, null, {}).bytes;
    expect(k.nngp.length).toBe(n * n);
    expect(estimate).toBe(8 * 4 * (256 * 10000 * 2 + 32 * 10000));
    expect(live).toBeGreaterThan(100e6);
    expect(estimate).toBeGreaterThanOrEqual(live);
    expect(estimate).toBeLessThanOrEqual(2 * live);
  });
});

describe('the memory limit', () => {
  const saved = (globalThis.process as { getBuiltinModule?: unknown }).getBuiltinModule;
  afterEach(() => {
    (globalThis.process as { getBuiltinModule?: unknown }).getBuiltinModule = saved;
  });

  it('defaults to half the machine memory capped at 8 GiB, and to 2 GiB where node:os cannot be read', () => {
    expect(defaultMaxMemory()).toBe(Math.min(8 * GiB, Math.floor(totalmem() / 2)));
    (globalThis.process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    expect(defaultMaxMemory()).toBe(2 * GiB);
  });

  it('computeKernel throws MemoryLimitError (one line: estimate, limit, how to raise it) before computing', () => {
    const x = tensor(new Rng(3).normals(6 * 4 * 4 * 2), [6, 4, 4, 2]);
    const limit = 2 ** 19;
    let err: unknown;
    try {
      computeKernel(cnnGap(), x, null, { backend: jsBackend, maxMemory: limit });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MemoryLimitError);
    const e = err as MemoryLimitError;
    const want = estimateKernelMemory(cnnGap(), x.shape, null, { tile: 6 }).bytes;
    expect([e.code, e.estimate, e.limit]).toEqual(['MEMORY_LIMIT', want, limit]);
    expect(e.message).toBe(
      `the kernel of 6×6 samples (all position pairs of 16 positions, NNGP and NTK) needs about ${(want / 2 ** 10).toFixed(1)} KiB but the memory limit is 512.0 KiB; pass maxMemory / --max-memory to raise it`,
    );
    // Raised, it runs.
    expect(computeKernel(cnnGap(), x, null, { backend: jsBackend, maxMemory: 2 * want }).nngp.length).toBe(36);
  });

  it('computeKernelTiled throws when even a 1×1 tile plus the output does not fit, or the given tile does not', () => {
    const big = shapeOnly([60000, 28, 28, 1]);
    // Output 60,000² × 2 kernels × 8 B = 53.64 GiB (+ 0.07 GiB for a 1×1 tile): no tile helps.
    expect(() => computeKernelTiled(cnnGap(), big, null, { maxMemory: 8 * GiB })).toThrow(
      /^the kernel of 60000×60000 samples in tiles of 1×1 \(all position pairs of 784 positions, NNGP and NTK\) needs about 53\.72 GiB but the memory limit is 8\.00 GiB; pass maxMemory \/ --max-memory to raise it$/,
    );
    const mid = shapeOnly([2000, 28, 28, 1]);
    expect(() => computeKernelTiled(cnnGap(), mid, null, { tile: 64, maxMemory: 8 * GiB })).toThrow(MemoryLimitError);
    // 4 sets · 8 B · 614,656 · (64²·2 kernels + 128 variances) = 152.41 GiB, + the 2000×2000 output.
    expect(() => computeKernelTiled(cnnGap(), mid, null, { tile: 64, maxMemory: 8 * GiB })).toThrow(/in tiles of 64×64 .* needs about 152\.47 GiB/);
    // Within the limit the driver picks the largest tile that fits (and at most 1 GiB of Σ, Θ tiles: 10 rows here).
    const ok = estimateKernelMemory(cnnGap(), mid.shape, null, { maxMemory: 8 * GiB });
    expect([ok.fits, ok.tile]).toEqual([true, 10]);
    const tight = estimateKernelMemory(cnnGap(), mid.shape, null, { maxMemory: 0.5 * GiB });
    expect(tight.fits).toBe(true);
    expect(tight.bytes).toBeLessThanOrEqual(0.5 * GiB);
    expect(estimateKernelMemory(cnnGap(), mid.shape, null, { maxMemory: 0.5 * GiB, tile: tight.tile + 1 }).bytes).toBeGreaterThan(0.5 * GiB);
  });

  it('a maxMemory or tile that is not a positive number is a usage error', () => {
    const x = tensor(new Rng(3).normals(2 * 3), [2, 3]);
    for (const bad of [0, -5, Number.NaN, Infinity]) {
      expect(() => computeKernel(dense(), x, null, { maxMemory: bad })).toThrow(WideError);
      expect(() => computeKernel(dense(), x, null, { maxMemory: bad })).toThrow(/maxMemory: expected a number of bytes > 0/);
    }
    expect(() => computeKernelTiled(dense(), x, null, { tile: 0 })).toThrow(/tile: expected an integer ≥ 1, got 0/);
    expect(() => computeKernelTiled(dense(), x, null, { tile: 1.5 })).toThrow(/tile: expected an integer ≥ 1, got 1.5/);
  });
});
