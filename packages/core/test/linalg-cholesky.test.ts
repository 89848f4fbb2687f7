import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { NonFiniteInputError, NotPositiveDefiniteError, Rng, ShapeMismatchError } from '../src/index.js';
import { cholesky, choleskyJs, choleskySolve, choleskySolveJs } from '../src/cpu/index.js';
import { CHOL_NB, choleskySolveWasm, choleskyWasm } from '../src/cpu/linalg-wasm.js';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';
import { maxAbs, randomSpd, spectrum, withSpectrum } from './linalg-helpers.js';

const rt = wasmRuntime()!;

/** max |L·Lᵀ − A| / max |A| over the lower triangle, and whether L is lower triangular. */
function reconstruction(a: Float64Array, L: Float64Array, n: number): { err: number; lower: boolean } {
  let err = 0;
  let lower = true;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j > i && L[i * n + j] !== 0) lower = false;
      if (j > i) continue;
      let s = 0;
      for (let k = 0; k <= j; k++) s += L[i * n + k]! * L[j * n + k]!;
      err = Math.max(err, Math.abs(s - a[i * n + j]!));
    }
  }
  return { err: err / maxAbs(a), lower };
}

/** max |A·X − B| / (‖A‖·max|X| + max|B|). */
function solveResidual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, m: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * x[k * m + c]!;
      worst = Math.max(worst, Math.abs(s - b[i * m + c]!));
    }
  }
  return worst / (maxAbs(a) * n * maxAbs(x) + maxAbs(b));
}

afterEach(() => {
  delete process.env['WIDE_KERNELS'];
});

describe('Cholesky (WebAssembly, blocked)', () => {
  it('runs on this Node (the runtime loads)', () => {
    expect(rt).not.toBeNull();
  });

  it.each([1, 2, 3, 7, 16, 63, CHOL_NB - 1, CHOL_NB, CHOL_NB + 1, 2 * CHOL_NB + 5, 450])('n = %i: L·Lᵀ = A to 1e-14, lower triangular, equal to the JS reference', (n) => {
    const a = randomSpd(n, n);
    const L = choleskyWasm(rt, a, n);
    const { err, lower } = reconstruction(a, L, n);
    expect(lower).toBe(true);
    expect(err).toBeLessThan(1e-14);
    const ref = choleskyJs(a, n);
    expect(maxAbs(L.map((v, i) => v - ref[i]!))).toBeLessThan(1e-12 * maxAbs(ref));
  });

  it('fast-check: random SPD matrices with graded spectra (1 … 1e-10), both kernel sets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 260 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, seed) => {
        const rng = new Rng(seed);
        const lambda = spectrum('graded', n, rng).map((v) => v * 0.99 + 1e-10);
        const a = withSpectrum(lambda, rng, 4);
        const L = choleskyWasm(rt, a, n);
        const { err, lower } = reconstruction(a, L, n);
        expect(lower).toBe(true);
        expect(err).toBeLessThan(1e-13);
        const b = rng.normals(n * 3);
        const x = choleskySolveWasm(rt, L, n, b, 3);
        const xj = choleskySolveJs(choleskyJs(a, n), n, b, 3);
        // Same solution as the JS reference, relative to the conditioning of the problem.
        expect(maxAbs(x.map((v, i) => v - xj[i]!))).toBeLessThan(1e-3 * maxAbs(xj));
        // Forward-stable residual: ‖A·x − b‖ small relative to ‖A‖·‖x‖.
        expect(solveResidual(a, n, x, b, 3)).toBeLessThan(1e-14);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it.each([1, 2, 5, 9, 33, 300])('solves many right-hand sides (m = %i) blocked, residual ≤ 1e-14', (m) => {
    const n = 2 * CHOL_NB + 11;
    const a = randomSpd(n, 5, 0.01);
    const L = choleskyWasm(rt, a, n);
    const b = new Rng(6).normals(n * m);
    const x = choleskySolveWasm(rt, L, n, b, m);
    expect(solveResidual(a, n, x, b, m)).toBeLessThan(1e-14);
    const xj = choleskySolveJs(L, n, b, m);
    expect(maxAbs(x.map((v, i) => v - xj[i]!))).toBeLessThan(1e-9 * maxAbs(xj));
  });

  it('accepts a factor that does not live in WebAssembly memory', () => {
    const n = 50;
    const a = randomSpd(n, 3);
    const L = Float64Array.from(choleskyJs(a, n));
    const b = new Rng(1).normals(n * 2);
    expect(solveResidual(a, n, choleskySolveWasm(rt, L, n, b, 2), b, 2)).toBeLessThan(1e-14);
  });
});

describe('Cholesky errors name the failing pivot (both kernel sets)', () => {
  const cases: [string, (n: number) => Float64Array, number | null][] = [];
  // Negative eigenvalue: a positive-definite matrix whose trailing block is made indefinite.
  cases.push([
    'a negative eigenvalue at pivot 300',
    (n) => {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) a[i * n + i] = 2;
      for (let i = 1; i < n; i++) a[i * n + i - 1] = a[(i - 1) * n + i] = -0.5;
      a[300 * n + 300] = -1;
      return a;
    },
    300,
  ]);
  cases.push([
    'NaN at (250, 17)',
    (n) => {
      const a = randomSpd(n, 2);
      a[250 * n + 17] = NaN;
      return a;
    },
    250,
  ]);
  cases.push(['the zero matrix', (n) => new Float64Array(n * n), 0]);
  cases.push([
    'an infinite diagonal entry at 205',
    (n) => {
      const a = randomSpd(n, 4);
      a[205 * n + 205] = Infinity;
      return a;
    },
    205,
  ]);
  cases.push([
    'a rank-deficient PSD matrix (x·xᵀ)',
    (n) => {
      const x = new Rng(9).normals(n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i]! * x[j]!;
      return a;
    },
    null,
  ]);
  it.each(cases)('%s', (_, make, pivot) => {
    const n = 400;
    const a = make(n);
    for (const f of [(x: Float64Array) => choleskyWasm(rt, x, n), (x: Float64Array) => choleskyJs(x, n)]) {
      let err: unknown;
      try {
        f(a);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NotPositiveDefiniteError);
      expect((err as Error).message).toMatch(new RegExp(`pivot ${pivot ?? '\\d+'} of ${n} is `));
    }
  });

  it('the exported cholesky uses WebAssembly, and JS with WIDE_KERNELS=js; same error', () => {
    const n = 64;
    const a = randomSpd(n, 8);
    const L = cholesky(a, n);
    expect(rt.offsetOf(L)).toBeGreaterThanOrEqual(0);
    process.env['WIDE_KERNELS'] = 'js';
    const Lj = cholesky(a, n);
    expect(rt.offsetOf(Lj)).toBe(-1);
    expect(maxAbs(L.map((v, i) => v - Lj[i]!))).toBeLessThan(1e-13);
    a[10 * n + 10] = -5;
    expect(() => cholesky(a, n)).toThrow(/pivot 10 of 64/);
    delete process.env['WIDE_KERNELS'];
    expect(() => cholesky(a, n)).toThrow(/pivot 10 of 64/);
  });

  it('solves refuse a factor with a zero or NaN diagonal and a non-finite right-hand side (never NaN out)', () => {
    const n = 40;
    const L = Float64Array.from(choleskyJs(randomSpd(n, 1), n));
    const b = new Rng(2).normals(n);
    L[17 * n + 17] = 0;
    for (const kernels of ['wasm', 'js']) {
      if (kernels === 'js') process.env['WIDE_KERNELS'] = 'js';
      expect(() => choleskySolve(L, n, b, 1)).toThrow(/diagonal at 17 of 40/);
    }
    L[17 * n + 17] = 1;
    b[5] = NaN;
    expect(() => choleskySolve(L, n, b, 1)).toThrow(NonFiniteInputError);
  });

  it('rejects arrays of the wrong size', () => {
    expect(() => cholesky(new Float64Array(5), 2)).toThrow(ShapeMismatchError);
    expect(() => choleskySolve(new Float64Array(4), 2, new Float64Array(3), 2)).toThrow(ShapeMismatchError);
  });
});
