import { describe, expect, it } from 'vitest';
import { type Kernel, InvalidArchitectureError, Rng, ShapeMismatchError, UnsupportedError, WideError, jsBackend, tensor } from '@wide/core';
import { type LayerSpec, avgPool, conv, globalAvgPool, kernel, monteCarlo, sumPool } from '../src/index.js';

function errorOf(f: () => unknown): WideError {
  try {
    f();
  } catch (e) {
    if (e instanceof WideError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const images = (n: number, ...shape: number[]) => tensor(new Rng(5).normals(n * shape.reduce((a, b) => a * b, 1)), [n, ...shape]);
const img6 = images(2, 6, 6, 3);
const seq6 = images(2, 6, 3);
const flat = images(2, 4);

describe('spatial layers built in code: invalid parameters are InvalidArchitectureErrors naming the field', () => {
  it.each([
    [() => conv({ filter: [3, 3], channels: 0 }), 'channels', 'channels: expected an integer ≥ 1, got 0'],
    [() => conv({ filter: [3, 3], channels: 2.5 }), 'channels', 'channels: expected an integer ≥ 1, got 2.5'],
    [() => conv({ filter: [] }), 'filter', 'filter: expected a non-empty array of integers ≥ 1, got []'],
    [() => conv({ filter: [3, 0] }), 'filter', 'filter: expected a non-empty array of integers ≥ 1, got [3, 0]'],
    [() => conv({ filter: [3, 3], stride: [0, 1] }), 'stride', 'stride: expected 2 integers ≥ 1 (one per axis of filter [3, 3]), got [0, 1]'],
    [() => conv({ filter: [3, 3], stride: [1, 1.5] }), 'stride', 'stride: expected 2 integers ≥ 1 (one per axis of filter [3, 3]), got [1, 1.5]'],
    [() => conv({ filter: [3, 3], dilation: [0, 1] }), 'dilation', 'dilation: expected 2 integers ≥ 1 (one per axis of filter [3, 3]), got [0, 1]'],
    [() => conv({ filter: [3], dilation: [1, 1] }), 'dilation', 'dilation: expected 1 integer ≥ 1 (one per axis of filter [3]), got [1, 1]'],
    [() => conv({ filter: [3], padding: 'FULL' as 'SAME' }), 'padding', 'padding: expected one of "SAME", "VALID", "CIRCULAR", got "FULL"'],
    [() => conv({ filter: [3], wStd: -1 }), 'wStd', 'wStd: expected a number ≥ 0, got -1'],
    [() => avgPool({ window: [0, 2] }), 'window', 'window: expected a non-empty array of integers ≥ 1, got [0, 2]'],
    [() => sumPool({ window: [2, 2], stride: [2, 0] }), 'stride', 'stride: expected 2 integers ≥ 1 (one per axis of window [2, 2]), got [2, 0]'],
  ] as const)('%#: %s', (make, path, message) => {
    const e = errorOf(make);
    expect(e).toBeInstanceOf(InvalidArchitectureError);
    expect((e as InvalidArchitectureError).path).toBe(path);
    expect(e.message).toBe(message);
  });
});

const c33 = (extra: Partial<Record<string, unknown>> = {}): LayerSpec => ({ type: 'conv', channels: 4, filter: [3, 3], wStd: 1.2, ...extra }) as LayerSpec;

describe('spatial layers that do not fit their input: one-line ShapeMismatchErrors naming the layer, its path in the JSON and the sizes', () => {
  it.each([
    ['a filter larger than a VALID input', [c33({ filter: [7, 3], padding: 'VALID' })], img6, 'layers[0] (conv channels=4, filter=[7, 3], padding=VALID, wStd=1.2, bStd=0): conv filter [7, 3] spans 7 positions along spatial axis 0, more than the 6 of the VALID (unpadded) input (spatial shape [6, 6])'],
    ['a dilated filter larger than a VALID input', [c33({ dilation: [1, 3], padding: 'VALID' })], img6, 'layers[0] (conv channels=4, filter=[3, 3], dilation=[1, 3], padding=VALID, wStd=1.2, bStd=0): conv filter [3, 3] spans 7 positions with dilation 3 along spatial axis 1, more than the 6 of the VALID (unpadded) input (spatial shape [6, 6])'],
    ['a VALID filter after a stride shrank the input', [c33({ stride: [3, 3] }), { type: 'relu' }, c33({ padding: 'VALID' })], img6, 'layers[2] (conv channels=4, filter=[3, 3], padding=VALID, wStd=1.2, bStd=0): conv filter [3, 3] spans 3 positions along spatial axis 0, more than the 2 of the VALID (unpadded) input (spatial shape [2, 2])'],
    ['a 2-D filter on 1-D inputs', [c33()], seq6, 'layers[0] (conv channels=4, filter=[3, 3], padding=SAME, wStd=1.2, bStd=0): conv filter [3, 3] is 2-D but the input has 1 spatial axis (spatial shape [6])'],
    ['a 1-D filter on images', [{ type: 'conv', filter: [3] }], img6, 'layers[0] (conv channels=512, filter=[3], padding=SAME, wStd=1, bStd=0): conv filter [3] is 1-D but the input has 2 spatial axes (spatial shape [6, 6])'],
    ['conv on flat input', [{ type: 'dense' }, { type: 'relu' }, c33()], flat, 'layers[2] (conv channels=4, filter=[3, 3], padding=SAME, wStd=1.2, bStd=0): conv filter [3, 3] is 2-D but the input has no spatial axes (flat (n, d) data; images are (n, …spatial, C))'],
    ['a pooling window that does not fit a VALID input', [c33(), { type: 'avgPool', window: [2, 7] }], img6, 'layers[1] (avgPool window=[2, 7], stride=[2, 7], padding=VALID): avgPool window [2, 7] spans 7 positions along spatial axis 1, more than the 6 of the VALID (unpadded) input (spatial shape [6, 6])'],
    ['pooling with another rank', [c33(), { type: 'sumPool', window: [2] }], img6, 'layers[1] (sumPool window=[2], stride=[2], padding=VALID): sumPool window [2] is 1-D but the input has 2 spatial axes (spatial shape [6, 6])'],
    ['pooling on flat input', [{ type: 'dense' }, { type: 'avgPool', window: [2] }], flat, 'layers[1] (avgPool window=[2], stride=[2], padding=VALID): avgPool window [2] is 1-D but the input has no spatial axes (flat (n, d) data; images are (n, …spatial, C))'],
    ['global pooling on flat input', [{ type: 'dense' }, { type: 'relu' }, { type: 'globalAvgPool' }], flat, 'layers[2] (globalAvgPool): globalAvgPool needs spatial axes, but the input has none (flat (n, d) data; images are (n, …spatial, C))'],
  ] as const)('%s', (_name, layers, x, message) => {
    const e = errorOf(() => kernel({ layers: [...layers] as LayerSpec[] }, x, null, { backend: jsBackend }));
    expect(e).toBeInstanceOf(ShapeMismatchError);
    expect(e.message).toBe(message);
    expect(e.message).not.toMatch(/\n/);
    // The finite network (Monte-Carlo kernels) refuses the same input with the same message.
    const f = errorOf(() => monteCarlo({ layers: [...layers, { type: 'flatten' }, { type: 'dense', width: 1 }] as LayerSpec[] }, x, null, { width: 2, samples: 1 }));
    expect(f).toBeInstanceOf(ShapeMismatchError);
    expect(f.message).toBe(message);
  });

  it('the same errors from layers built in code name the layer and sizes, without a JSON path', () => {
    expect(errorOf(() => conv({ filter: [3, 3] }).kernel(kernel({ layers: [{ type: 'identity' }] }, seq6), { backend: jsBackend })).message).toBe(
      'conv filter [3, 3] is 2-D but the input has 1 spatial axis (spatial shape [6])',
    );
    expect(errorOf(() => conv({ filter: [4], padding: 'VALID' }).init(new Rng(1), [3, 2], {})).message).toBe('conv filter [4] spans 4 positions along spatial axis 0, more than the 3 of the VALID (unpadded) input (spatial shape [3])');
    expect(errorOf(() => globalAvgPool().init(new Rng(1), [5], {})).message).toMatch(/^globalAvgPool needs spatial axes, but the input has none/);
  });

  it('a kernel stored on the spatial diagonal given to pooling is an UnsupportedError pointing at the layout', () => {
    const k = kernel({ layers: [c33()] }, img6, null, { backend: jsBackend });
    expect(k.diagonalSpatial).toBe(true);
    for (const layer of [avgPool({ window: [2, 2] }), globalAvgPool()]) {
      const e = errorOf(() => layer.kernel(k, { backend: jsBackend }));
      expect(e).toBeInstanceOf(UnsupportedError);
      expect(e.message).toMatch(/needs the covariances of all position pairs, .* the layout analysis should have chosen the full layout/);
    }
  });

  it('a kernel whose arrays do not fit its layout is a ShapeMismatchError, not a wrong number', () => {
    const k = kernel({ layers: [c33()] }, img6, null, { backend: jsBackend });
    const bad: Kernel = { ...k, diagonalSpatial: false };
    expect(() => conv({ filter: [3, 3] }).kernel(bad, { backend: jsBackend })).toThrow(/conv: the position-pair kernel of spatial shape \[6, 6\] should hold 4·1296 numbers in nngp, it holds 144/);
  });
});
