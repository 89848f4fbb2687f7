import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { NonConvergenceError, NonFiniteInputError, NotPositiveDefiniteError, Rng, ShapeMismatchError } from '../src/index.js';
import { cholesky, choleskySolve, conjugateGradient } from '../src/cpu/index.js';
import { maxAbs, randomSpd, spectrum, withSpectrum } from './linalg-helpers.js';

function residual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, m: number): number {
  let worst = 0;
  for (let c = 0; c < m; c++) {
    let rn = 0;
    let bn = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * x[k * m + c]!;
      rn += (s - b[i * m + c]!) ** 2;
      bn += b[i * m + c]! ** 2;
    }
    worst = Math.max(worst, Math.sqrt(rn / bn));
  }
  return worst;
}

afterEach(() => {
  delete process.env['WIDE_KERNELS'];
});

describe('conjugate gradients', () => {
  it('solves a dense SPD system to the tolerance and agrees with Cholesky (WebAssembly and JS products)', () => {
    const n = 300;
    const a = randomSpd(n, 1, 0.5);
    const b = new Rng(2).normals(n * 2);
    const x0 = choleskySolve(cholesky(a, n), n, b, 2);
    for (const kernels of ['wasm', 'js']) {
      if (kernels === 'js') process.env['WIDE_KERNELS'] = 'js';
      const r = conjugateGradient(a, b, n, { tol: 1e-12, columns: 2 });
      expect(r.residual).toBeLessThanOrEqual(1e-12);
      expect(residual(a, n, r.x, b, 2)).toBeLessThanOrEqual(1e-12);
      expect(maxAbs(r.x.map((v, i) => v - x0[i]!))).toBeLessThan(1e-9 * maxAbs(x0));
      expect(r.iterations).toBeGreaterThan(0);
    }
  });

  it('takes the matrix as a product callback, with a diagonal for Jacobi or a custom preconditioner', () => {
    const n = 120;
    // A badly scaled SPD matrix: Jacobi helps a lot.
    const base = randomSpd(n, 3, 1);
    const s = Float64Array.from({ length: n }, (_, i) => 10 ** (3 * (i / n)));
    const a = base.map((v, k) => v * s[Math.floor(k / n)]! * s[k % n]!);
    const matvec = (x: Float64Array, y: Float64Array) => {
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += a[i * n + j]! * x[j]!;
        y[i] = t;
      }
    };
    const diag = Float64Array.from({ length: n }, (_, i) => a[i * n + i]!);
    const b = new Rng(4).normals(n);
    const jac = conjugateGradient(matvec, b, n, { diagonal: diag, tol: 1e-10 });
    const none = conjugateGradient(matvec, b, n, { preconditioner: 'none', tol: 1e-10, maxIterations: 5000 });
    expect(residual(a, n, jac.x, b, 1)).toBeLessThanOrEqual(1e-10);
    expect(residual(a, n, none.x, b, 1)).toBeLessThanOrEqual(1e-10);
    expect(jac.iterations).toBeLessThan(none.iterations);
    const custom = conjugateGradient(matvec, b, n, { preconditioner: (r, z) => z.set(r.map((v, i) => v / diag[i]!)), tol: 1e-10 });
    expect(custom.iterations).toBe(jac.iterations);
    expect(() => conjugateGradient(matvec, b, n)).toThrow(/needs options.diagonal/);
  });

  it('fast-check: graded spectra, any x0, residual ≤ tol', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (n, seed, warm) => {
        const rng = new Rng(seed);
        const lambda = spectrum('graded', n, rng).map((v) => 1e-4 + v);
        const a = withSpectrum(lambda, rng, 4);
        const b = rng.normals(n);
        const r = conjugateGradient(a, b, n, { tol: 1e-9, x0: warm ? rng.normals(n) : undefined, maxIterations: 20 * n + 100 });
        expect(residual(a, n, r.x, b, 1)).toBeLessThanOrEqual(1e-9);
        expect(r.residual).toBeLessThanOrEqual(1e-9);
      }),
      { numRuns: 40, seed: 17 },
    );
  });

  it('reports non-convergence with the iterations and the residual reached', () => {
    const n = 200;
    const lambda = spectrum('graded', n, new Rng(1));
    const a = withSpectrum(lambda, new Rng(2), 6);
    const b = new Rng(3).normals(n);
    let err: unknown;
    try {
      conjugateGradient(a, b, n, { tol: 1e-12, maxIterations: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonConvergenceError);
    const e = err as NonConvergenceError;
    expect(e.code).toBe('NON_CONVERGENCE');
    expect(e.iterations).toBe(10);
    expect(e.residual).toBeGreaterThan(1e-12);
    expect(Number.isFinite(e.residual)).toBe(true);
    expect(e.message).toMatch(/relative residual [0-9.]+e[-+]\d+ after 10 iterations/);
  });

  it('an indefinite matrix or a non-positive diagonal is NotPositiveDefiniteError; shapes are checked', () => {
    const n = 50;
    const lambda = spectrum('mixedSign', n, new Rng(1)).map((v) => v + 0.0);
    const a = withSpectrum(lambda, new Rng(2));
    const b = new Rng(3).normals(n);
    expect(() => conjugateGradient(a, b, n, { preconditioner: 'none' })).toThrow(NotPositiveDefiniteError);
    const d = randomSpd(n, 4);
    d[7 * n + 7] = -1;
    expect(() => conjugateGradient(d, b, n)).toThrow(/diagonal entry 7 of 50/);
    expect(() => conjugateGradient(d, b.subarray(1), n)).toThrow(ShapeMismatchError);
    expect(conjugateGradient(randomSpd(n, 5), new Float64Array(n), n).x.every((v) => v === 0)).toBe(true);
    const nanB = Float64Array.from(b);
    nanB[3] = NaN;
    expect(() => conjugateGradient(randomSpd(n, 5), nanB, n)).toThrow(NonFiniteInputError);
    expect(() => conjugateGradient((_x, y) => y.fill(NaN), b, n, { preconditioner: 'none', x0: b })).toThrow(NonConvergenceError);
    expect(() => conjugateGradient((_x, y) => y.fill(NaN), b, n, { preconditioner: 'none' })).toThrow(NonConvergenceError);
  });
});
