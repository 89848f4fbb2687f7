/**
 * Empirical spectral distributions: the eigenvalues of a matrix as a law (atoms 1/n each), their
 * distribution function, histograms and Gaussian kernel density estimates.
 * @module
 */
import { type Complex } from '../complex.js';
import { InvalidRequestError } from '../errors.js';
import { finiteList, integerAtLeast, positive } from '../validate.js';
import { checkGrid } from './grid.js';
import type { SpectralLaw } from './law.js';
import { stieltjesOfAtoms } from './stieltjes.js';

/** The eigenvalues, sorted ascending (a copy; NaN or ±∞ is an error). */
export function sortedSpectrum(eigenvalues: ArrayLike<number>, name = 'eigenvalues'): Float64Array {
  const v = finiteList(name, eigenvalues, 1);
  return v.sort();
}

/**
 * The empirical spectral distribution (1/n) Σ δ_{λ_i} as a {@link SpectralLaw}: m(z) = (1/n) Σ 1/(λ_i − z),
 * e.g. of the input Gram XᵀX (Fan & Wang 2020, Assumption 3.2(d): μ₀ may be any such spectrum).
 * Its poles sit on the real axis: invert it only at Im z well above the eigenvalue spacing.
 */
export function empiricalLaw(eigenvalues: ArrayLike<number>, name = 'empirical'): SpectralLaw & { readonly eigenvalues: Float64Array } {
  const eig = sortedSpectrum(eigenvalues);
  const n = eig.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += eig[i]!;
  mean /= n;
  return {
    name: `${name}(n=${n})`,
    eigenvalues: eig,
    stieltjes: (z: Complex) => stieltjesOfAtoms(eig, z),
    atoms: [],
    mean,
    bounds: [eig[0]!, eig[n - 1]!],
    // five typical spacings, measured on the central 90% (outliers would inflate the full range)
    minEta: n > 1 ? Math.max((5 * (eig[Math.floor(0.95 * (n - 1))]! - eig[Math.floor(0.05 * (n - 1))]!)) / (0.9 * (n - 1)), 1e-12) : 0,
  };
}

/** F_n(x) = #{λ_i ≤ x}/n for sorted eigenvalues (binary search). */
export function ecdf(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/** A histogram: `bins` equal bins over `range`. */
export interface Histogram {
  /** bins + 1 edges. */
  readonly edges: Float64Array;
  /** Values per bin (the last bin includes its right edge). */
  readonly counts: Int32Array;
  /** counts/(n·width): a density whose integral is the fraction of values inside the range. */
  readonly density: Float64Array;
  /** Values outside the range. */
  readonly outside: number;
}

/** A histogram of `values` with `bins` bins over `range` (default [min, max]). */
export function histogram(values: ArrayLike<number>, options: { bins?: number; range?: readonly [number, number] } = {}): Histogram {
  const v = finiteList('values', values, 1);
  const bins = integerAtLeast('bins', options.bins ?? 50, 1);
  let lo = options.range?.[0] ?? Math.min(...v);
  let hi = options.range?.[1] ?? Math.max(...v);
  if (options.range && !(lo < hi)) throw new InvalidRequestError('range', `expected a < b, got a = ${lo}, b = ${hi}`);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = lo + i * width;
  edges[bins] = hi;
  const counts = new Int32Array(bins);
  let outside = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < lo || x > hi) {
      outside++;
      continue;
    }
    counts[Math.min(bins - 1, Math.floor((x - lo) / width))]!++;
  }
  const density = Float64Array.from(counts, (c) => c / (v.length * width));
  return { edges, counts, density, outside };
}

/**
 * A Gaussian kernel density estimate (1/(n·h)) Σ φ((x − λ_i)/h) at each grid point; the bandwidth
 * h defaults to Silverman's rule 0.9·min(sd, IQR/1.34)·n^(−1/5).
 */
export function kernelDensity(values: ArrayLike<number>, grid: ArrayLike<number>, options: { bandwidth?: number } = {}): { density: Float64Array; bandwidth: number } {
  const v = sortedSpectrum(values, 'values');
  checkGrid(grid);
  const n = v.length;
  let h = options.bandwidth;
  if (h === undefined) {
    let mean = 0;
    for (const x of v) mean += x;
    mean /= n;
    let ss = 0;
    for (const x of v) ss += (x - mean) ** 2;
    const sd = Math.sqrt(ss / Math.max(1, n - 1));
    const iqr = v[Math.floor(0.75 * (n - 1))]! - v[Math.floor(0.25 * (n - 1))]!;
    const spread = Math.min(sd, iqr / 1.34) || sd || 1;
    h = 0.9 * spread * Math.pow(n, -0.2);
  }
  positive('bandwidth', h);
  const c = 1 / (n * h * Math.sqrt(2 * Math.PI));
  const out = new Float64Array(grid.length);
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g]!;
    // Only values within 9 bandwidths matter (e^{-40.5} < 3e-18).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid]! < x - 9 * h) lo = mid + 1;
      else hi = mid;
    }
    let s = 0;
    for (let i = lo; i < n && v[i]! <= x + 9 * h; i++) {
      const u = (x - v[i]!) / h;
      s += Math.exp(-0.5 * u * u);
    }
    out[g] = c * s;
  }
  return { density: out, bandwidth: h };
}
