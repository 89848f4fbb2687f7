/**
 * Small helpers around laws and matrices: the density of any law on a grid, eigenvalues and the
 * spectral norm of a symmetric matrix through the backend's eigensolver.
 * @module
 */
import { type Backend, ShapeMismatchError, cpuBackend } from '@wide/core';
import { complex } from '../complex.js';
import { positive } from '../validate.js';
import { checkGrid } from './grid.js';
import type { DensityOptions, SolvedDensity, SpectralLaw } from './law.js';
import { densityFromTransform } from './stieltjes.js';

/**
 * The density of `law` on the grid `x`: its own method when it has one (closed forms, the
 * warm-started solvers), else Stieltjes inversion point by point at η (default max(1e-8, minEta)),
 * atoms subtracted.
 */
export function lawDensity(law: SpectralLaw, x: Float64Array, options: DensityOptions = {}): SolvedDensity {
  if (law.density) return law.density(x, options);
  checkGrid(x);
  const eta = positive('eta', options.eta ?? Math.max(1e-8, law.minEta ?? 0));
  const density = Float64Array.from(x, (t) => densityFromTransform(law.stieltjes(complex(t, eta)), t, eta, law.atoms));
  return { x, density, atoms: law.atoms, eta, converged: true, pointConverged: new Uint8Array(x.length).fill(1), iterations: new Int32Array(x.length), failures: 0 };
}

function checkSquare(a: Float64Array, n: number): void {
  if (a.length !== n * n) throw new ShapeMismatchError(`expected an n×n = ${n}×${n} matrix (${n * n} numbers), got ${a.length}`);
}

/** The eigenvalues (ascending) of a symmetric n×n matrix (row-major) by the backend's eigensolver. */
export function eigenvalues(a: Float64Array, n: number, backend: Backend = cpuBackend): Float64Array {
  checkSquare(a, n);
  return backend.eigvalsh(a, n);
}

/** Eigenvalues of the symmetric tridiagonal (diagonal a, off-diagonal b) below x: Sturm count. */
function countBelow(a: number[], b: number[], x: number): number {
  let count = 0;
  let d = 1;
  for (let i = 0; i < a.length; i++) {
    d = a[i]! - x - (i > 0 ? (b[i - 1]! * b[i - 1]!) / d : 0);
    if (d === 0) d = -1e-300;
    if (d < 0) count++;
  }
  return count;
}

/** The smallest and largest eigenvalues of a symmetric tridiagonal matrix, by bisection. */
function tridiagonalExtremes(a: number[], b: number[]): [number, number] {
  let r = 0;
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(a[i]!) + (i > 0 ? Math.abs(b[i - 1]!) : 0) + (i < b.length ? Math.abs(b[i]!) : 0));
  const find = (k: number) => {
    let lo = -r - 1e-300;
    let hi = r + 1e-300;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * r; it++) {
      const mid = 0.5 * (lo + hi);
      if (countBelow(a, b, mid) > k) hi = mid;
      else lo = mid;
    }
    return 0.5 * (lo + hi);
  };
  return [find(0), find(a.length - 1)];
}

/**
 * ‖A‖₂ = max |λ| of a symmetric n×n matrix (row-major) by the Lanczos method with full
 * reorthogonalisation from a fixed start vector: the extreme Ritz values grow monotonically to the
 * extreme eigenvalues; the iteration stops when both change by less than `tol` (default 1e-13)
 * relative over ten steps (or after n steps, when they are exact). O(n²) per step instead of a
 * full eigensolve: a few dozen steps for a kernel matrix with outlying eigenvalues.
 */
export function spectralNorm(a: Float64Array, n: number, options: { tol?: number } = {}): number {
  const tol = options.tol ?? 1e-13;
  checkSquare(a, n);
  const maxSteps = n;
  const V: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  let nv = Math.sqrt(v.reduce((t, x) => t + x * x, 0));
  v = v.map((x) => x / nv);
  let prev: [number, number] | null = null;
  for (let k = 0; k < maxSteps; k++) {
    V.push(v);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += a[row + j]! * v[j]!;
      w[i] = s;
    }
    let al = 0;
    for (let i = 0; i < n; i++) al += w[i]! * v[i]!;
    alpha.push(al);
    // w −= Σ_j (w·v_j) v_j twice (full reorthogonalisation)
    for (let pass = 0; pass < 2; pass++) {
      for (const u of V) {
        let c = 0;
        for (let i = 0; i < n; i++) c += w[i]! * u[i]!;
        for (let i = 0; i < n; i++) w[i]! -= c * u[i]!;
      }
    }
    nv = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    if ((k + 1) % 10 === 0 || nv <= 1e-14 * alpha.reduce((m, x) => Math.max(m, Math.abs(x)), 1e-300) || k + 1 === maxSteps) {
      const ext = tridiagonalExtremes(alpha, beta);
      const scale = Math.max(Math.abs(ext[0]), Math.abs(ext[1]), 1e-300);
      if (nv <= 1e-14 * scale || k + 1 === maxSteps) return scale;
      if (prev && Math.abs(ext[0] - prev[0]) <= tol * scale && Math.abs(ext[1] - prev[1]) <= tol * scale) return scale;
      prev = ext;
    }
    beta.push(nv);
    v = w.map((x) => x / nv);
  }
  const ext = tridiagonalExtremes(alpha, beta.slice(0, alpha.length - 1));
  return Math.max(Math.abs(ext[0]), Math.abs(ext[1]));
}
