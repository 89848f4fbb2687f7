import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WindowAxis, type WindowSpec, Rng, ShapeMismatchError, jsBackend, wasmBackend } from '../src/index.js';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';

const rt = wasmRuntime();

/** Bit-for-bit equality (Object.is on every number, so ±0 and NaN count). */
function identical(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let bad = -1;
  for (let i = 0; i < a.length && bad < 0; i++) if (!Object.is(a[i], b[i])) bad = i;
  expect(bad < 0 ? null : { index: bad, native: a[bad], js: b[bad] }).toBeNull();
}

const axisArb: fc.Arbitrary<WindowAxis> = fc.record({
  in: fc.integer({ min: 1, max: 7 }),
  out: fc.integer({ min: 1, max: 8 }),
  size: fc.integer({ min: 1, max: 4 }),
  stride: fc.integer({ min: 1, max: 3 }),
  dilation: fc.integer({ min: 1, max: 3 }),
  padBefore: fc.integer({ min: 0, max: 3 }),
});
const specArb: fc.Arbitrary<WindowSpec> = fc.record({ axes: fc.array(axisArb, { minLength: 1, maxLength: 3 }), circular: fc.boolean() });

/** SAME padding, stride 1 (the CNN layers' common case): out = in, padBefore = ⌊(size − 1)·d / 2⌋. */
const same = (shape: number[], size: number, circular = false): WindowSpec => ({
  axes: shape.map((n) => ({ in: n, out: n, size, stride: 1, dilation: 1, padBefore: Math.floor((size - 1) / 2) })),
  circular,
});

const positions = (spec: WindowSpec) => spec.axes.reduce((p, a) => p * a.in, 1);

describe.skipIf(!rt)('WebAssembly window sums equal the plain-JS reference bit for bit', () => {
  it('same-position (convolution of a diagonal kernel): any rank 1–3, stride, dilation, zero and circular padding', () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 1, max: 5 }), fc.nat(), fc.double({ min: -3, max: 3, noNaN: true }), (spec, rows, seed, shift) => {
        const x = new Rng(seed).normals(rows * positions(spec));
        identical(wasmBackend.windowSum(spec, x, rows, 0.37, shift), jsBackend.windowSum(spec, x, rows, 0.37, shift));
      }),
      { numRuns: 300 },
    );
  });

  it('position pairs, tied taps (convolution) and all tap pairs (pooling)', () => {
    const small = fc.record({
      axes: fc.array(
        fc.record({
          in: fc.integer({ min: 1, max: 5 }),
          out: fc.integer({ min: 1, max: 5 }),
          size: fc.integer({ min: 1, max: 3 }),
          stride: fc.integer({ min: 1, max: 2 }),
          dilation: fc.integer({ min: 1, max: 2 }),
          padBefore: fc.integer({ min: 0, max: 2 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      circular: fc.boolean(),
    });
    fc.assert(
      fc.property(small, fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.nat(), (spec, rows, shared, seed) => {
        const P = positions(spec);
        const x = new Rng(seed).normals(rows * P * P);
        identical(wasmBackend.windowSumPairs(spec, x, rows, shared, 1.3, -0.2), jsBackend.windowSumPairs(spec, x, rows, shared, 1.3, -0.2));
      }),
      { numRuns: 300 },
    );
  });

  it('28×28 images: a 3×3 SAME conv of 300 diagonal blocks, of 3 pair blocks, and global average pooling', () => {
    const rng = new Rng(7);
    const spec = same([28, 28], 3);
    const x = rng.normals(300 * 784);
    identical(wasmBackend.windowSum(spec, x, 300, 2 / 9, 0.1), jsBackend.windowSum(spec, x, 300, 2 / 9, 0.1));
    const xx = rng.normals(3 * 784 * 784);
    identical(wasmBackend.windowSumPairs(spec, xx, 3, true, 2 / 9, 0.1), jsBackend.windowSumPairs(spec, xx, 3, true, 2 / 9, 0.1));
    const circ = same([28, 28], 5, true);
    identical(wasmBackend.windowSumPairs(circ, xx, 3, true, 1 / 25, 0), jsBackend.windowSumPairs(circ, xx, 3, true, 1 / 25, 0));
    const global: WindowSpec = { axes: [28, 28].map((n) => ({ in: n, out: 1, size: n, stride: 1, dilation: 1, padBefore: 0 })), circular: false };
    const g = wasmBackend.windowSumPairs(global, xx, 3, false, 1 / 784 ** 2, 0);
    identical(g, jsBackend.windowSumPairs(global, xx, 3, false, 1 / 784 ** 2, 0));
    // The mean of all P² entries of each block, to rounding.
    for (let r = 0; r < 3; r++) {
      let s = 0;
      for (let i = 0; i < 784 * 784; i++) s += xx[r * 784 * 784 + i]!;
      expect(g[r]).toBeCloseTo(s / 784 ** 2, 12);
    }
  });

  it('3-D and 1-D inputs with strides and dilation on the pool (many rows)', () => {
    const rng = new Rng(8);
    const spec3: WindowSpec = {
      axes: [
        { in: 6, out: 3, size: 2, stride: 2, dilation: 1, padBefore: 0 },
        { in: 7, out: 7, size: 3, stride: 1, dilation: 2, padBefore: 2 },
        { in: 9, out: 4, size: 3, stride: 2, dilation: 1, padBefore: 1 },
      ],
      circular: false,
    };
    const x = rng.normals(1000 * 378);
    identical(wasmBackend.windowSum(spec3, x, 1000, 0.5, 0), jsBackend.windowSum(spec3, x, 1000, 0.5, 0));
    const spec1: WindowSpec = { axes: [{ in: 50, out: 50, size: 7, stride: 1, dilation: 3, padBefore: 9 }], circular: true };
    const y = rng.normals(2000 * 50);
    identical(wasmBackend.windowSum(spec1, y, 2000, 1, 1), jsBackend.windowSum(spec1, y, 2000, 1, 1));
  });

  it('reads arrays in WebAssembly memory in place, subarrays included, and rejects a wrong length like the reference', () => {
    const spec = same([5, 4], 3);
    const a = wasmBackend.zeros(7 * 20 + 3);
    a.set(new Rng(9).normals(a.length));
    const view = a.subarray(3);
    identical(wasmBackend.windowSum(spec, view, 7, 1, 0), jsBackend.windowSum(spec, view.slice(), 7, 1, 0));
    expect(() => wasmBackend.windowSum(spec, view, 6, 1, 0)).toThrow(ShapeMismatchError);
    expect(() => wasmBackend.windowSumPairs(spec, view, 1, true, 1, 0)).toThrow(/windowSumPairs: 140 numbers do not form 1 blocks of 400/);
  });
});
