import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { NotPositiveDefiniteError, Rng, cholesky, choleskySolve, cpuBackend, eigvalsh } from '../src/index.js';

function randomSpd(n: number, seed: number, eps = 0.1): Float64Array {
  const r = new Rng(seed);
  const a = r.normals(n * n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k]! * a[j * n + k]!;
    out[i * n + j] = s / n + (i === j ? eps : 0);
  }
  return out;
}

describe('Cholesky', () => {
  it('reconstructs A = L·Lᵀ and solves A·X = B', () => {
    const n = 37;
    const A = randomSpd(n, 1);
    const L = cholesky(A, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += L[i * n + k]! * L[j * n + k]!;
      expect(Math.abs(s - A[i * n + j]!)).toBeLessThan(1e-12);
      if (j > i) expect(L[i * n + j]).toBe(0);
    }
    const B = new Rng(2).normals(n * 3);
    const X = choleskySolve(L, n, B, 3);
    const AX = cpuBackend.matmulAB(A, X, n, n, 3);
    for (let i = 0; i < AX.length; i++) expect(Math.abs(AX[i]! - B[i]!)).toBeLessThan(1e-10);
  });

  it('names the failing pivot when the matrix is not positive definite', () => {
    const A = Float64Array.from([1, 2, 2, 1]);
    expect(() => cholesky(A, 2)).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky(A, 2)).toThrow(/pivot 1 of 2/);
    expect(() => cholesky(Float64Array.from([NaN]), 1)).toThrow(NotPositiveDefiniteError);
  });
});

describe('eigvalsh', () => {
  it.each([1, 2, 3, 10, 60])('matches ml-matrix on a random symmetric %i×%i matrix', (n) => {
    const r = new Rng(n);
    const a = r.normals(n * n);
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = a[i * n + j]! + a[j * n + i]!;
    const ours = eigvalsh(S, n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(S.subarray(i * n, (i + 1) * n)));
    const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y);
    for (let i = 0; i < n; i++) expect(Math.abs(ours[i]! - ref[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(ref[i]!)));
  });

  it('survives sub-normal off-diagonal entries (Householder vectors are scaled)', () => {
    const n = 6;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + i] = 1e-9 * (i + 1);
    A[2] = A[2 * n] = -1.5717277847026288e-162;
    const ev = eigvalsh(A, n);
    ev.forEach((v, i) => expect(v).toBeCloseTo(1e-9 * (i + 1), 20));
  });

  it('finds the known spectrum of a diagonal matrix in a rotated basis and preserves the trace', () => {
    const n = 25;
    const A = randomSpd(n, 9, 0);
    const ev = eigvalsh(A, n);
    let tr = 0;
    for (let i = 0; i < n; i++) tr += A[i * n + i]!;
    expect(ev.reduce((s, x) => s + x, 0)).toBeCloseTo(tr, 10);
    for (let i = 1; i < n; i++) expect(ev[i]!).toBeGreaterThanOrEqual(ev[i - 1]!);
    const D = new Float64Array(16);
    [4, -1, 0, 2.5].forEach((v, i) => (D[i * 4 + i] = v));
    expect(Array.from(eigvalsh(D, 4))).toEqual([-1, 0, 2.5, 4]);
  });
});

describe('dense kernels', () => {
  it('gram, A·Bᵀ, A·B and Aᵀ·B agree with naive loops', () => {
    const r = new Rng(4);
    const [m, n, k, P] = [7, 5, 9, 3];
    const a = r.normals(m * P * k);
    const b = r.normals(n * P * k);
    const g = cpuBackend.gram(a, b, m, n, P, k, 0.5);
    const gs = cpuBackend.gram(a, null, m, m, P, k, 0.5);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < P; p++) {
      let s = 0;
      let t = 0;
      for (let c = 0; c < k; c++) {
        s += a[(i * P + p) * k + c]! * b[(j * P + p) * k + c]!;
        t += a[(i * P + p) * k + c]! * a[((j % m) * P + p) * k + c]!;
      }
      expect(g[(i * n + j) * P + p]).toBeCloseTo(0.5 * s, 12);
      if (j < m) expect(gs[(i * m + j) * P + p]).toBeCloseTo(0.5 * t, 12);
    }
    const A = r.normals(m * k);
    const B = r.normals(k * n);
    const AB = cpuBackend.matmulAB(A, B, m, k, n);
    const AtB = cpuBackend.matmulAtB(A, cpuBackend.matmulAB(A, B, m, k, n), m, k, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A[i * k + t]! * B[t * n + j]!;
      expect(AB[i * n + j]).toBeCloseTo(s, 12);
    }
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < m; t++) s += A[t * k + i]! * AB[t * n + j]!;
      expect(AtB[i * n + j]).toBeCloseTo(s, 10);
    }
  });
});
