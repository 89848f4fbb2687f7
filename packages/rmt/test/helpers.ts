// Shared test helpers: trapezoid integrals, Gaussian data, Wishart spectra.
import { Rng, cpuBackend } from '@wide/core';

/** ∫ f on a grid by the trapezoid rule. */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += 0.5 * (y[i]! + y[i - 1]!) * (x[i]! - x[i - 1]!);
  return s;
}

/** Eigenvalues of XᵀX for X ∈ ℝ^{d×n} with i.i.d. N(0, 1/d) entries (samples as rows of an n×d array). */
export function wishartSpectrum(n: number, d: number, seed: number): Float64Array {
  const x = new Rng(seed).normals(n * d, 1 / Math.sqrt(d));
  const g = cpuBackend.gram(x, null, n, n, 1, d, 1);
  const e = cpuBackend.eigvalsh(Float64Array.from(g), n);
  cpuBackend.release?.(g);
  return e;
}
