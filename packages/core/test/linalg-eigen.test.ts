import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { afterEach, describe, expect, it } from 'vitest';
import { NonConvergenceError, NonFiniteInputError, Rng } from '../src/index.js';
import { eigh, eighJs, eigvalsh, eigvalshJs, tridiagonalEigenvalues } from '../src/cpu/index.js';
import { DC_LEAF, jsDenseOps, secularRoot, tridiagonalEigh } from '../src/cpu/linalg-dc.js';
import { eighWasm, eigvalshWasm, TRD_NB } from '../src/cpu/linalg-eig.js';
import { tridiagonalEigenvaluesPwk } from '../src/cpu/linalg-tridiagonal.js';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';
import { type SpectrumKind, eigResidual, maxAbs, orthogonality, spectrum, withSpectrum } from './linalg-helpers.js';

const rt = wasmRuntime()!;
const KINDS: SpectrumKind[] = ['uniform', 'graded', 'clustered', 'repeated', 'rankDeficient', 'mixedSign'];

const sorted = (x: Float64Array) => Float64Array.from(x).sort();
const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
};

afterEach(() => {
  delete process.env['WIDE_KERNELS'];
});

describe('tridiagonal eigenvalues (Pal–Walker–Kahan QL/QR)', () => {
  it('agrees with implicit QL on random, graded and glued tridiagonals', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 3, 10, 100, 400]) {
      for (const kind of ['random', 'graded', 'wilkinson', 'glued']) {
        const d = new Float64Array(n);
        const e = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          if (kind === 'random') {
            d[i] = rng.normal();
            e[i] = rng.normal();
          } else if (kind === 'graded') {
            d[i] = 10 ** (-i / 10);
            e[i] = 10 ** (-i / 10 - 0.5);
          } else if (kind === 'wilkinson') {
            d[i] = Math.abs((n - 1) / 2 - i);
            e[i] = 1;
          } else {
            d[i] = 1 + (i % 25) * 0.01;
            e[i] = (i + 1) % 25 === 0 ? 1e-12 : 1;
          }
        }
        e[n - 1] = 0;
        const ours = tridiagonalEigenvaluesPwk(Float64Array.from(d), Float64Array.from(e));
        const ref = tridiagonalEigenvalues(Float64Array.from(d), Float64Array.from(e));
        const scale = Math.max(maxAbs(d), maxAbs(e));
        expect(maxDiff(ours, ref)).toBeLessThanOrEqual(1e-13 * scale * Math.max(1, Math.sqrt(n)));
      }
    }
  });

  it('the WebAssembly build (lin_sterf) gives the same eigenvalues as the TS reference', () => {
    const rng = new Rng(8);
    for (const n of [2, 3, 50, 333]) {
      const d = rng.normals(n).map((v, i) => v * 10 ** (-i % 7));
      const e = rng.normals(n).map((v, i) => (i % 41 === 40 ? 0 : v));
      e[n - 1] = 0;
      const off = rt.alloc(16 * n);
      const view = rt.f64(off, 2 * n);
      view.set(d);
      view.set(e, n);
      expect(rt.exports['lin_sterf']!(off, off + 8 * n, n)).toBe(0);
      const ours = Float64Array.from(rt.f64(off, n)).sort();
      rt.free(off);
      const ref = tridiagonalEigenvaluesPwk(Float64Array.from(d), Float64Array.from(e));
      expect(maxDiff(ours, ref)).toBeLessThanOrEqual(1e-15 * Math.max(maxAbs(d), maxAbs(e)) * n);
    }
  });

  it('handles zero and huge blocks and reports NaN as a typed error', () => {
    expect(Array.from(tridiagonalEigenvaluesPwk(Float64Array.from([0, 0, 0]), new Float64Array(3)))).toEqual([0, 0, 0]);
    const big = tridiagonalEigenvaluesPwk(Float64Array.from([1e300, -1e300]), Float64Array.from([1e300, 0]));
    expect(big[0]! / -1.4142135623730951e300).toBeCloseTo(1, 12);
    const tiny = tridiagonalEigenvaluesPwk(Float64Array.from([1e-300, 2e-300]), Float64Array.from([0, 0]));
    expect(Array.from(tiny)).toEqual([1e-300, 2e-300]);
    expect(() => tridiagonalEigenvaluesPwk(Float64Array.from([1, NaN]), Float64Array.from([1, 0]))).toThrow(NonConvergenceError);
  });
});

describe('eigvalsh (WebAssembly blocked tridiagonalisation)', () => {
  it.each([1, 2, 3, 5, TRD_NB - 1, TRD_NB, TRD_NB + 1, 2 * TRD_NB + 3, 397, 512])('n = %i: matches ml-matrix and the JS reference', (n) => {
    const r = new Rng(n);
    const a = r.normals(n * n);
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = a[i * n + j]! + a[j * n + i]!;
    const ours = eigvalshWasm(rt, S, n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(S.subarray(i * n, (i + 1) * n)));
    const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y);
    const norm = maxAbs(ref);
    expect(maxDiff(ours, ref)).toBeLessThan(1e-12 * norm);
    expect(maxDiff(ours, eigvalshJs(S, n))).toBeLessThan(1e-12 * norm);
  });

  it('fast-check: known spectra (graded 1…1e-12, clustered, repeated, rank-deficient, mixed sign), n ≤ 500, to 1e-10·‖A‖', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.constantFrom(...KINDS), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, kind, seed) => {
        const rng = new Rng(seed);
        const lambda = spectrum(kind, n, rng);
        const a = withSpectrum(lambda, rng);
        const norm = maxAbs(lambda) || 1;
        const ours = eigvalsh(a, n);
        expect(maxDiff(ours, sorted(lambda))).toBeLessThan(1e-10 * norm);
        // Much tighter in practice: backward stable to a few ulps of ‖A‖.
        expect(maxDiff(ours, sorted(lambda))).toBeLessThan(1e-13 * norm * Math.max(1, Math.sqrt(n)));
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('the lower triangle is read; NaN or infinity there is a typed error naming the entry', () => {
    const n = 40;
    const a = withSpectrum(spectrum('uniform', n, new Rng(1)), new Rng(2));
    const b = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) b[i * n + j] = NaN;
    expect(maxDiff(eigvalsh(b, n), eigvalsh(a, n))).toBe(0);
    b[30 * n + 4] = Infinity;
    expect(() => eigvalsh(b, n)).toThrow(NonFiniteInputError);
    expect(() => eigvalsh(b, n)).toThrow(/\[30, 4\]/);
    process.env['WIDE_KERNELS'] = 'js';
    expect(() => eigvalsh(b, n)).toThrow(NonFiniteInputError);
  });
});

describe('eigh (divide and conquer, blocked back-transformation)', () => {
  it('secular equation: roots interlace the poles and the differences d_j − λ are exact to rounding', () => {
    const rng = new Rng(5);
    const K = 50;
    const dl = Float64Array.from({ length: K }, (_, i) => i + rng.uniform() * 0.5);
    const w = rng.normals(K);
    const wn = Math.hypot(...w);
    for (let i = 0; i < K; i++) w[i] = w[i]! / wn;
    const rho = 3;
    const delta = new Float64Array(K);
    let prev = -Infinity;
    for (let i = 0; i < K; i++) {
      const lam = secularRoot(dl, w, rho, i, delta);
      expect(lam).toBeGreaterThan(dl[i]!);
      expect(lam).toBeLessThan(i + 1 < K ? dl[i + 1]! : dl[K - 1]! + rho);
      expect(lam).toBeGreaterThan(prev);
      prev = lam;
      let f = 1 / rho;
      for (let j = 0; j < K; j++) f += (w[j]! * w[j]!) / delta[j]!;
      let scale = 1 / rho;
      for (let j = 0; j < K; j++) scale += Math.abs((w[j]! * w[j]!) / delta[j]!);
      expect(Math.abs(f)).toBeLessThan(1e-13 * scale * K);
      for (let j = 0; j < K; j++) expect(Math.abs(delta[j]! - (dl[j]! - lam))).toBeLessThanOrEqual(4.5e-16 * Math.max(Math.abs(dl[j]!), Math.abs(lam)));
    }
  });

  it('tridiagonal divide and conquer: residual and orthogonality on hard tridiagonals (Wilkinson, glued, graded)', () => {
    for (const n of [DC_LEAF, DC_LEAF + 1, 3 * DC_LEAF + 7, 301]) {
      for (const kind of ['wilkinson', 'glued', 'graded', 'constant']) {
        const d = new Float64Array(n);
        const e = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          d[i] = kind === 'wilkinson' ? Math.abs((n - 1) / 2 - i) : kind === 'graded' ? 10 ** (-i / 20) : kind === 'constant' ? 2 : 1;
          e[i] = kind === 'glued' ? ((i + 1) % 20 === 0 ? 1e-13 : 1) : kind === 'graded' ? 10 ** (-i / 20 - 0.3) : 1;
        }
        e[n - 1] = 0;
        const zt = new Float64Array(n * n);
        const { values, order } = tridiagonalEigh(d, e, zt, jsDenseOps);
        const T = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          T[i * n + i] = d[i]!;
          if (i + 1 < n) T[i * n + i + 1] = T[(i + 1) * n + i] = e[i]!;
        }
        const V = new Float64Array(n * n);
        for (let p = 0; p < n; p++) for (let j = 0; j < n; j++) V[j * n + p] = zt[order[p]! * n + j]!;
        const norm = Math.max(maxAbs(d), maxAbs(e));
        expect(eigResidual(T, n, values, V)).toBeLessThan(1e-13 * norm * Math.sqrt(n));
        expect(orthogonality(n, V)).toBeLessThan(1e-13 * Math.sqrt(n));
        expect(maxDiff(values, tridiagonalEigenvaluesPwk(Float64Array.from(d), Float64Array.from(e)))).toBeLessThan(1e-13 * norm * Math.sqrt(n));
        for (let p = 1; p < n; p++) expect(values[p]!).toBeGreaterThanOrEqual(values[p - 1]!);
      }
    }
  });

  it('fast-check: ‖A·V − V·Λ‖ and ‖VᵀV − I‖ small, values to 1e-10·‖A‖, WebAssembly and JS agree, n ≤ 500', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.constantFrom(...KINDS), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, kind, seed) => {
        const rng = new Rng(seed);
        const lambda = spectrum(kind, n, rng);
        const a = withSpectrum(lambda, rng);
        const norm = maxAbs(lambda) || 1;
        const { values, vectors } = eighWasm(rt, a, n);
        expect(maxDiff(values, sorted(lambda))).toBeLessThan(1e-10 * norm);
        expect(eigResidual(a, n, values, vectors)).toBeLessThan(1e-13 * norm * Math.max(1, Math.sqrt(n)));
        expect(orthogonality(n, vectors)).toBeLessThan(1e-13 * Math.max(1, Math.sqrt(n)));
        if (n <= 200) {
          const js = eighJs(a, n);
          expect(maxDiff(js.values, values)).toBeLessThan(1e-12 * norm);
          expect(eigResidual(a, n, js.values, js.vectors)).toBeLessThan(1e-13 * norm * Math.max(1, Math.sqrt(n)));
          expect(orthogonality(n, js.vectors)).toBeLessThan(1e-13 * Math.max(1, Math.sqrt(n)));
        }
      }),
      { numRuns: 25, seed: 13 },
    );
  });

  it('the exported eigh: eigenvectors as columns, NumPy convention; the JS path with WIDE_KERNELS=js', () => {
    const n = 3;
    // [[2, 1, 0], [1, 2, 0], [0, 0, 5]]: eigenvalues 1, 3, 5.
    const a = Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]);
    for (const kernels of ['wasm', 'js']) {
      if (kernels === 'js') process.env['WIDE_KERNELS'] = 'js';
      const { values, vectors } = eigh(a, n);
      expect(Array.from(values).map((v) => +v.toFixed(12))).toEqual([1, 3, 5]);
      expect(Math.abs(vectors[0 * n + 0]!)).toBeCloseTo(Math.SQRT1_2, 12);
      expect(vectors[0 * n + 0]! * vectors[1 * n + 0]!).toBeCloseTo(-0.5, 12);
      expect(Math.abs(vectors[2 * n + 2]!)).toBeCloseTo(1, 12);
    }
    const big = withSpectrum(spectrum('graded', 100, new Rng(4)), new Rng(5));
    process.env['WIDE_KERNELS'] = 'js';
    const js = eigh(big, 100);
    delete process.env['WIDE_KERNELS'];
    const w = eigh(big, 100);
    expect(rt.offsetOf(w.vectors)).toBeGreaterThanOrEqual(0);
    expect(maxDiff(js.values, w.values)).toBeLessThan(1e-14);
  });

  it('extreme scales (entries ~1e±300) neither overflow nor underflow: λ(c·A) = c·λ(A)', () => {
    const n = 90;
    const a = withSpectrum(spectrum('uniform', n, new Rng(3)), new Rng(4));
    const ref = eigh(a, n);
    for (const c of [1e300, 1e-300, 2 ** 700, 2 ** -1000]) {
      const b = a.map((v) => v * c);
      for (const kernels of ['wasm', 'js']) {
        if (kernels === 'js') process.env['WIDE_KERNELS'] = 'js';
        const { values, vectors } = eigh(b, n);
        expect(maxDiff(values.map((v) => v / c), ref.values)).toBeLessThan(1e-13);
        expect(orthogonality(n, vectors)).toBeLessThan(1e-13);
        expect(maxDiff(eigvalsh(b, n).map((v) => v / c), ref.values)).toBeLessThan(1e-13);
        delete process.env['WIDE_KERNELS'];
      }
    }
  });

  it('NaN in the lower triangle is a typed error on both paths', () => {
    const n = 50;
    const a = withSpectrum(spectrum('uniform', n, new Rng(1)), new Rng(2));
    a[40 * n + 3] = NaN;
    expect(() => eigh(a, n)).toThrow(NonFiniteInputError);
    process.env['WIDE_KERNELS'] = 'js';
    expect(() => eigh(a, n)).toThrow(NonFiniteInputError);
  });
});
