import { describe, expect, it } from 'vitest';
import { type Tensor, jsBackend, tensor, wasmBackend } from '@wide/core';
import { type ArchitectureSpec, type LayerSpec, kernel } from '../src/index.js';

/** The golden file's images (cnn-kernels.json `inputs`), 6×6×3 NHWC. */
function image(phi: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let c = 0; c < 3; c++) x.push(Math.sin(1 + phi + 0.9 * c + 0.7 * i + 1.3 * j) + 0.5 * Math.cos(0.3 * phi + 1.7 * i * j + c));
  return x;
}

/** x rolled by (di, dj) along its two spatial axes, circularly: y[i, j] = x[i − di, j − dj]. */
function roll(x: Tensor, di: number, dj: number): Tensor {
  const [n, H, W, C] = x.shape as [number, number, number, number];
  const y = new Float64Array(x.data.length);
  for (let s = 0; s < n; s++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) {
        const src = ((s * H + ((i - di + H) % H)) * W + ((j - dj + W) % W)) * C;
        y.set(x.data.subarray(src, src + C), ((s * H + i) * W + j) * C);
      }
  return tensor(y, x.shape);
}

const a = tensor(image(0), [1, 6, 6, 3]);
const b = tensor([...image(0.8), ...image(1.9)], [2, 6, 6, 3]);
const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);

const gap = (padding: string, readout: string): ArchitectureSpec => ({
  layers: [
    { type: 'conv', channels: 16, filter: [3, 3], padding, wStd: 1.3, bStd: 0.1 },
    { type: 'relu' },
    { type: 'conv', channels: 16, filter: [3, 2], dilation: [1, 2], padding, wStd: 1.5, bStd: 0.2 },
    { type: 'erf' },
    { type: readout },
    { type: 'dense', width: 1, wStd: 1.2, bStd: 0.05 },
  ] as LayerSpec[],
});

describe.each([jsBackend, wasmBackend])('translation: CIRCULAR padding + global pooling is invariant under circular shifts, $name kernels', (backend) => {
  it.each([
    ['globalAvgPool', 2, -1],
    ['globalSumPool', 3, 4],
  ])('%s, x2 rolled by (%i, %i)', (readout, di, dj) => {
    const k = kernel(gap('CIRCULAR', readout), a, b, { backend });
    const shifted = kernel(gap('CIRCULAR', readout), a, roll(b, di, dj), { backend });
    const both = kernel(gap('CIRCULAR', readout), roll(a, di, dj), roll(b, di, dj), { backend });
    for (let j = 0; j < 2; j++) {
      expect(rel(shifted.nngp[j]!, k.nngp[j]!)).toBeLessThanOrEqual(1e-12);
      expect(rel(shifted.ntk![j]!, k.ntk![j]!)).toBeLessThanOrEqual(1e-12);
      expect(rel(both.nngp[j]!, k.nngp[j]!)).toBeLessThanOrEqual(1e-12);
      expect(rel(both.ntk![j]!, k.ntk![j]!)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('with zero (SAME) padding, or flatten instead of pooling, the same shift changes the kernel', () => {
    for (const arch of [gap('SAME', 'globalAvgPool'), gap('CIRCULAR', 'flatten')]) {
      const k = kernel(arch, a, b, { backend });
      const shifted = kernel(arch, a, roll(b, 2, -1), { backend });
      expect(rel(shifted.nngp[0]!, k.nngp[0]!)).toBeGreaterThan(1e-3);
      expect(rel(shifted.ntk![0]!, k.ntk![0]!)).toBeGreaterThan(1e-3);
    }
  });
});

describe.each([jsBackend, wasmBackend])('a 1×1 conv is the dense layer applied at every position, $name kernels', (backend) => {
  const images = tensor([...image(0), ...image(0.8), ...image(1.9)], [3, 6, 6, 3]);
  const seq = tensor(image(0.4).slice(0, 5 * 3 * 2), [2, 5, 3]);
  const pair = (parameterization: 'ntk' | 'standard', affine: (wStd: number, bStd: number) => LayerSpec, tail: LayerSpec[]): ArchitectureSpec => ({
    parameterization,
    layers: [affine(1.4, 0.3), { type: 'relu' }, affine(0.9, 0.4), { type: 'erf' }, ...tail],
  });
  it.each([
    ['2-D, ntk, position-wise kernels', 'ntk', images, [1, 1], [] as LayerSpec[]],
    ['2-D, standard, position-wise kernels', 'standard', images, [1, 1], [] as LayerSpec[]],
    ['2-D, ntk, global average pooling', 'ntk', images, [1, 1], [{ type: 'globalAvgPool' }, { type: 'dense', width: 1, wStd: 1.1, bStd: 0.1 }] as LayerSpec[]],
    ['1-D, standard, flatten', 'standard', seq, [1], [{ type: 'flatten' }, { type: 'dense', width: 1, wStd: 1.1, bStd: 0.1 }] as LayerSpec[]],
  ] as const)('%s', (_name, parameterization, x, filter, tail) => {
    const viaConv = kernel(pair(parameterization, (wStd, bStd) => ({ type: 'conv', channels: 32, filter: [...filter], wStd, bStd }), [...tail]), x, null, { backend });
    const viaDense = kernel(pair(parameterization, (wStd, bStd) => ({ type: 'dense', width: 32, wStd, bStd }), [...tail]), x, null, { backend });
    expect(viaConv.spatial).toEqual(viaDense.spatial);
    expect(viaConv.diagonalSpatial).toBe(viaDense.diagonalSpatial);
    for (const [c, d] of [[viaConv.nngp, viaDense.nngp], [viaConv.ntk!, viaDense.ntk!], [viaConv.var1, viaDense.var1]] as const) {
      expect(c.length).toBe(d.length);
      for (let i = 0; i < c.length; i++) expect(rel(c[i]!, d[i]!)).toBeLessThanOrEqual(1e-12);
    }
  });
});
