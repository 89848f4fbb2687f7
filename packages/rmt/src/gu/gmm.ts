/**
 * Gaussian-mixture data in the scaling of Gu et al. (2022), eq. (1): x_i ∈ C_a ⇔
 * x_i ~ N(μ_a/√p, C_a/p), class sizes n_a (samples ordered by class), drawn as
 * x_i = μ_a/√p + C_a^{1/2}z_i/√p with z_i ~ N(0, I_p) (C_a^{1/2} the Cholesky factor for a full
 * covariance). With it come the statistics of Theorem 1 (Assumption 1):
 *
 * - C° = Σ_a (n_a/n)·C_a,  τ_0 = √(tr C°/p)
 * - t_a = tr(C_a − C°)/√p,  T_ab = tr(C_aC_b)/p
 * - ψ_i = ‖x_i − μ_a/√p‖² − tr(C_a)/p (from the realised noise)
 * - J ∈ {0, 1}^{n×K} the class indicators (stored as `labels`).
 *
 * τ_0 uses tr C°/p, not the empirical mean of ‖x_i‖² (which also holds ‖μ_a‖²/p: the reference note
 * §1.6 found that shift skews t by about 24% in the authors' code).
 * @module
 */
import { type Backend, Rng, cpuBackend } from '@wide/core';
import { InvalidRequestError } from '../errors.js';
import { finite, integerAtLeast, nonNegative, positive } from '../validate.js';

/** A class covariance C_a: a number c (c·I), a diagonal (p numbers) or a full matrix (p×p, row-major). */
export type Covariance = number | ArrayLike<number>;

/** Options of {@link gaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Dimension p. */
  p: number;
  /** n_a per class (samples are ordered by class). */
  classSizes: readonly number[];
  /** μ_a (p numbers each; default 0). The data mean is μ_a/√p, so ‖μ_a‖ = O(1) as in Assumption 1. */
  means?: readonly (ArrayLike<number> | null)[];
  /** C_a (default 1: the identity). */
  covariances?: readonly Covariance[];
  /** Seed. */
  seed: number;
  /** Backend for the products with full covariance factors (default CPU). */
  backend?: Backend;
}

/** The statistics of Theorem 1 (module comment). */
export interface GmmStatistics {
  /** τ_0 = √(tr C°/p). */
  readonly tau0: number;
  /** t_a = tr(C_a − C°)/√p. */
  readonly t: Float64Array;
  /** T_ab = tr(C_aC_b)/p (K×K, row-major). */
  readonly T: Float64Array;
  /** ψ_i = ‖x_i − μ_a/√p‖² − tr(C_a)/p. */
  readonly psi: Float64Array;
}

/** Gaussian-mixture data and its statistics. */
export interface GaussianMixture {
  /** n×p, row-major (samples as rows). */
  readonly x: Float64Array;
  readonly n: number;
  readonly p: number;
  /** K. */
  readonly classes: number;
  /** The class of each sample. */
  readonly labels: Int32Array;
  readonly classSizes: readonly number[];
  readonly stats: GmmStatistics;
}

/** A covariance normalised to one of three kinds. */
type Cov = { kind: 'scalar'; c: number } | { kind: 'diagonal'; d: Float64Array } | { kind: 'full'; m: Float64Array };

function parseCovariance(v: Covariance, p: number, name: string): Cov {
  if (typeof v === 'number') return { kind: 'scalar', c: nonNegative(name, v) };
  const len = v?.length;
  if (len === p) {
    const d = Float64Array.from(v, (x, i) => nonNegative(`${name}[${i}]`, x));
    return { kind: 'diagonal', d };
  }
  if (len === p * p) {
    const m = Float64Array.from(v, (x, i) => finite(`${name}[${i}]`, x));
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) if (Math.abs(m[i * p + j]! - m[j * p + i]!) > 1e-12 * (Math.abs(m[i * p + j]!) + Math.abs(m[j * p + i]!) + 1e-300)) throw new InvalidRequestError(name, `expected a symmetric matrix, but entries (${i}, ${j}) and (${j}, ${i}) differ`);
    return { kind: 'full', m };
  }
  throw new InvalidRequestError(name, `expected a number, p = ${p} diagonal entries or a p×p = ${p * p} matrix, got ${len === undefined ? typeof v : `${len} numbers`}`);
}

const trace = (c: Cov, p: number): number => {
  if (c.kind === 'scalar') return c.c * p;
  if (c.kind === 'diagonal') return c.d.reduce((s, v) => s + v, 0);
  let s = 0;
  for (let i = 0; i < p; i++) s += c.m[i * p + i]!;
  return s;
};

/** tr(C_a C_b) for symmetric C_a, C_b. */
function traceProduct(a: Cov, b: Cov, p: number): number {
  const diag = (c: Cov, i: number) => (c.kind === 'scalar' ? c.c : c.kind === 'diagonal' ? c.d[i]! : c.m[i * p + i]!);
  if (a.kind === 'full' && b.kind === 'full') {
    let s = 0;
    for (let i = 0; i < a.m.length; i++) s += a.m[i]! * b.m[i]!;
    return s;
  }
  let s = 0;
  for (let i = 0; i < p; i++) s += diag(a, i) * diag(b, i);
  return s;
}

/** Draws Gaussian-mixture data (module comment). */
export function gaussianMixture(options: GaussianMixtureOptions): GaussianMixture {
  const p = integerAtLeast('p', options.p, 1);
  if (!Array.isArray(options.classSizes) || options.classSizes.length === 0) throw new InvalidRequestError('classSizes', 'expected at least one class size');
  const sizes = options.classSizes.map((s, i) => integerAtLeast(`classSizes[${i}]`, s, 1));
  const K = sizes.length;
  const n = sizes.reduce((s, v) => s + v, 0);
  integerAtLeast('seed', options.seed, 0);
  const backend = options.backend ?? cpuBackend;
  if (options.means && options.means.length !== K) throw new InvalidRequestError('means', `expected ${K} means (one per class), got ${options.means.length}`);
  if (options.covariances && options.covariances.length !== K) throw new InvalidRequestError('covariances', `expected ${K} covariances (one per class), got ${options.covariances.length}`);
  const means = sizes.map((_, a) => {
    const m = options.means?.[a];
    if (m == null) return null;
    if (m.length !== p) throw new InvalidRequestError(`means[${a}]`, `expected p = ${p} numbers, got ${m.length}`);
    return Float64Array.from(m, (v, i) => finite(`means[${a}][${i}]`, v));
  });
  const covs = sizes.map((_, a) => parseCovariance(options.covariances?.[a] ?? 1, p, `covariances[${a}]`));
  const x = new Float64Array(n * p);
  const labels = new Int32Array(n);
  const psi = new Float64Array(n);
  const rng = new Rng([options.seed]);
  const sp = 1 / Math.sqrt(p);
  let row = 0;
  for (let a = 0; a < K; a++) {
    const na = sizes[a]!;
    const cov = covs[a]!;
    const z = rng.fork(a).normals(na * p);
    let noise: Float64Array;
    if (cov.kind === 'full') {
      const chol = backend.cholesky(cov.m, p);
      noise = backend.gram(z, chol, na, p, 1, p, sp); // Z·Lᵀ/√p
    } else {
      noise = z;
      for (let i = 0; i < na; i++) for (let k = 0; k < p; k++) noise[i * p + k] = z[i * p + k]! * sp * Math.sqrt(cov.kind === 'scalar' ? cov.c : cov.d[k]!);
    }
    const trA = trace(cov, p) / p;
    const mu = means[a];
    for (let i = 0; i < na; i++, row++) {
      labels[row] = a;
      let s = 0;
      for (let k = 0; k < p; k++) {
        const e = noise[i * p + k]!;
        s += e * e;
        x[row * p + k] = e + (mu ? mu[k]! * sp : 0);
      }
      psi[row] = s - trA;
    }
    if (cov.kind === 'full') backend.release?.(noise);
  }
  const traces = covs.map((c) => trace(c, p));
  const trC0 = traces.reduce((s, tr, a) => s + (sizes[a]! / n) * tr, 0);
  if (!(trC0 > 0)) throw new InvalidRequestError('covariances', 'tr C° = 0: the data has no noise, τ_0 = 0');
  const t = Float64Array.from(traces, (tr) => (tr - trC0) / Math.sqrt(p));
  const T = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = a; b < K; b++) T[a * K + b] = T[b * K + a] = traceProduct(covs[a]!, covs[b]!, p) / p;
  return { x, n, p, classes: K, labels, classSizes: sizes, stats: { tau0: Math.sqrt(trC0 / p), t, T, psi } };
}

/** norm·e_k in ℝ^p (e.g. Gu et al.'s μ_a = 8·e_{8(a−1)+1}, with k counted from 0). */
export function basisMean(p: number, k: number, norm: number): Float64Array {
  integerAtLeast('p', p, 1);
  if (!Number.isInteger(k) || k < 0 || k >= p) throw new InvalidRequestError('k', `expected an integer in [0, ${p}), got ${k}`);
  const m = new Float64Array(p);
  m[k] = positive('norm', norm);
  return m;
}
