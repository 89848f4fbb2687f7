import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Backend, type WindowSpec, Rng, ShapeMismatchError, jsBackend, wasmBackend } from '../src/index.js';
import { relErr, windowAxis } from './spatial-helpers.js';

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Input coordinate of output coordinate o at tap t along one axis, or −1 (padding). */
function coord(spec: WindowSpec, a: number, o: number, t: number): number {
  const ax = spec.axes[a]!;
  const c = o * ax.stride + t * ax.dilation - ax.padBefore;
  if (spec.circular) return ((c % ax.in) + ax.in) % ax.in;
  return c >= 0 && c < ax.in ? c : -1;
}

/** Multi-indices of a shape in row-major order. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape) out = out.flatMap((prefix) => Array.from({ length: n }, (_, i) => [...prefix, i]));
  return out;
}

/** Flat input position read by output multi-index o at tap multi-index t, or −1. */
function read(spec: WindowSpec, o: number[], t: number[]): number {
  let flat = 0;
  for (let a = 0; a < spec.axes.length; a++) {
    const c = coord(spec, a, o[a]!, t[a]!);
    if (c < 0) return -1;
    flat = flat * spec.axes[a]!.in + c;
  }
  return flat;
}

/** out[r, o] = scale·Σ_t x[r, c(o, t)] + shift, term by term. */
function bruteSum(spec: WindowSpec, x: Float64Array, rows: number, scale: number, shift: number): Float64Array {
  const outs = indices(spec.axes.map((a) => a.out));
  const taps = indices(spec.axes.map((a) => a.size));
  const Pin = prod(spec.axes.map((a) => a.in));
  const out = new Float64Array(rows * outs.length);
  for (let r = 0; r < rows; r++) {
    outs.forEach((o, oi) => {
      let s = 0;
      for (const t of taps) {
        const c = read(spec, o, t);
        if (c >= 0) s += x[r * Pin + c]!;
      }
      out[r * outs.length + oi] = scale * s + shift;
    });
  }
  return out;
}

/** out[r, o, o′] = scale·Σ_{t,t′} x[r, c(o, t), c(o′, t′)] + shift (t′ = t when shared), term by term. */
function bruteSumPairs(spec: WindowSpec, x: Float64Array, rows: number, shared: boolean, scale: number, shift: number): Float64Array {
  const outs = indices(spec.axes.map((a) => a.out));
  const taps = indices(spec.axes.map((a) => a.size));
  const Pin = prod(spec.axes.map((a) => a.in));
  const Po = outs.length;
  const out = new Float64Array(rows * Po * Po);
  for (let r = 0; r < rows; r++) {
    for (let oi = 0; oi < Po; oi++) {
      for (let oj = 0; oj < Po; oj++) {
        let s = 0;
        taps.forEach((t, ti) => {
          const c = read(spec, outs[oi]!, t);
          if (c < 0) return;
          taps.forEach((t2, tj) => {
            if (shared && tj !== ti) return;
            const c2 = read(spec, outs[oj]!, t2);
            if (c2 >= 0) s += x[(r * Pin + c) * Pin + c2]!;
          });
        });
        out[(r * Po + oi) * Po + oj] = scale * s + shift;
      }
    }
  }
  return out;
}

type Padding = 'SAME' | 'VALID' | 'CIRCULAR';

/** Window specs of rank 1–3 with strides, dilation and the three paddings (VALID only where the window fits). */
const arbSpec = fc.integer({ min: 1, max: 3 }).chain((rank) =>
  fc
    .record({
      padding: fc.constantFrom<Padding>('SAME', 'VALID', 'CIRCULAR'),
      axes: fc.array(
        fc.record({ n: fc.integer({ min: 1, max: rank === 3 ? 3 : 5 }), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 3 }), dilation: fc.integer({ min: 1, max: 2 }) }),
        { minLength: rank, maxLength: rank },
      ),
    })
    .filter(({ padding, axes }) => padding !== 'VALID' || axes.every((a) => (a.size - 1) * a.dilation + 1 <= a.n))
    .map(({ padding, axes }): WindowSpec => ({ axes: axes.map((a) => windowAxis(a.n, a.size, a.stride, a.dilation, padding)), circular: padding === 'CIRCULAR' })),
);

const backends: [string, Backend][] = [
  ['js', jsBackend],
  ['wasm', wasmBackend],
];

describe.each(backends)('window sums (%s backend) against term-by-term sums', (_name, backend) => {
  it('windowSum: 1-D to 3-D, strides, dilation, SAME / VALID / CIRCULAR (fast-check)', () => {
    fc.assert(
      fc.property(arbSpec, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (spec, rows, seed) => {
        const x = new Rng(seed).normals(rows * prod(spec.axes.map((a) => a.in)));
        const got = backend.windowSum(spec, x, rows, 0.7, 0.25);
        const want = bruteSum(spec, x, rows, 0.7, 0.25);
        expect(got.length).toBe(want.length);
        expect(relErr(got, want)).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: 150 },
    );
  });

  it('windowSumPairs: tied taps (convolution) and all tap pairs (pooling), same specs (fast-check)', () => {
    fc.assert(
      fc.property(arbSpec, fc.boolean(), fc.integer({ min: 0, max: 1000 }), (spec, shared, seed) => {
        const Pin = prod(spec.axes.map((a) => a.in));
        const x = new Rng(seed).normals(2 * Pin * Pin);
        const got = backend.windowSumPairs(spec, x, 2, shared, 1.3, -0.5);
        const want = bruteSumPairs(spec, x, 2, shared, 1.3, -0.5);
        expect(got.length).toBe(want.length);
        expect(relErr(got, want)).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: 120 },
    );
  });

  it('a hand-checked case: 1-D, 3 taps, SAME, stride 2 (out = [x0+x1, x1+x2+x3, x3+x4])', () => {
    const spec: WindowSpec = { axes: [windowAxis(5, 3, 2, 1, 'SAME')], circular: false };
    expect(spec.axes[0]).toMatchObject({ out: 3, padBefore: 1 });
    const got = backend.windowSum(spec, Float64Array.from([1, 2, 4, 8, 16]), 1, 1, 0);
    expect(Array.from(got)).toEqual([3, 14, 24]);
    const circ = backend.windowSum({ ...spec, circular: true }, Float64Array.from([1, 2, 4, 8, 16]), 1, 1, 0);
    expect(Array.from(circ)).toEqual([19, 14, 25]); // x4+x0+x1, x1+x2+x3, x3+x4+x0
  });

  it('a block count that does not match the input size is a ShapeMismatchError', () => {
    const spec: WindowSpec = { axes: [windowAxis(4, 2, 1, 1, 'VALID')], circular: false };
    expect(() => backend.windowSum(spec, new Float64Array(7), 2, 1, 0)).toThrow(ShapeMismatchError);
    expect(() => backend.windowSumPairs(spec, new Float64Array(31), 2, true, 1, 0)).toThrow(ShapeMismatchError);
  });
});

describe('the diagonal of a convolved position-pair tensor is the convolved diagonal', () => {
  // A convolution moves both positions by the same tap: out(o, o) = Σ_t X(c(o, t), c(o, t)) reads only
  // diagonal entries of X, in the reference's order (axis by axis, taps ascending) — so for any X whose
  // diagonal is d, diag(windowSumPairs(X, shared = true)) = windowSum(d) bit for bit, whatever X holds
  // off the diagonal. (This is why CNN-V kernels may be computed on the diagonal layout.) It fails for
  // pooling (shared = false), whose diagonal reads off-diagonal entries.
  it('holds bit for bit for convolutions (jsBackend, fast-check), and not for pooling', () => {
    let poolingDiffers = 0;
    fc.assert(
      fc.property(arbSpec, fc.integer({ min: 0, max: 1000 }), (spec, seed) => {
        const rng = new Rng(seed);
        const Pin = prod(spec.axes.map((a) => a.in));
        const Pout = prod(spec.axes.map((a) => a.out));
        const rows = 2;
        const d = rng.normals(rows * Pin);
        const X = rng.normals(rows * Pin * Pin);
        for (let r = 0; r < rows; r++) for (let p = 0; p < Pin; p++) X[(r * Pin + p) * Pin + p] = d[r * Pin + p]!;
        const conv = jsBackend.windowSumPairs(spec, X, rows, true, 0.5, 0.1);
        const diag = jsBackend.windowSum(spec, d, rows, 0.5, 0.1);
        const pool = jsBackend.windowSumPairs(spec, X, rows, false, 0.5, 0.1);
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < Pout; o++) {
            const at = (r * Pout + o) * Pout + o;
            expect(conv[at]).toBe(diag[r * Pout + o]);
            if (pool[at] !== diag[r * Pout + o]) poolingDiffers++;
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(poolingDiffers).toBeGreaterThan(100);
  });
});
