/**
 * GP / kernel regression posterior at t = ∞ by Cholesky solves (neural-tangents' `gp_inference`):
 *
 * - `nngp`: the exact Bayesian posterior of the NNGP prior (thesis eqs. 2.149–2.150; Lee et al.
 *   2018), mean K_td·K⁻¹·Y and covariance K_tt − K_td·K⁻¹·K_dt, with K = K_dd + ρI (ρ = the
 *   diagonal regulariser, the observation noise variance);
 * - `ntk`: the infinite ensemble of networks trained to convergence on MSE (thesis eqs.
 *   2.155–2.156; Lee et al. 2019, eq. 16 at t = ∞), mean Θ_td·Θ⁻¹·Y and covariance
 *   K_tt − Θ_td·Θ⁻¹·K_dt − K_td·Θ⁻¹·Θ_dt + Θ_td·Θ⁻¹·K_dd·Θ⁻¹·Θ_dt, which needs the NNGP blocks too.
 *   It is not the posterior of any prior.
 *
 * The mean is kernel ridge regression ({@link fitKernelRegression}). This is a second method for the
 * t = ∞ limit of {@link gradientDescentMseEnsemble} (eigendecomposition), and cheaper (n³/3).
 * @module
 */
import { need, type KernelSet, readKernelSet } from './blocks.js';
import { subtract, symmetrize, transpose } from './dense-ops.js';
import { InvalidOptionError } from './errors.js';
import { type LinalgOptions, choleskyFactor, matmul, matmulTransposed, resolveLinalg } from './linalg.js';
import { type Like, type Mat, isMatrix, output, readMat } from './matrix.js';
import { type RidgeOptions, ridgeOf, withRidge } from './options.js';

/** Options of {@link gpInference}. */
export interface GpOptions extends LinalgOptions, RidgeOptions {
  /** `nngp` (default when NNGP blocks are given) or `ntk`. */
  get?: 'nngp' | 'ntk';
  /** Also the test covariance (needs testTest blocks; for `ntk` the NNGP blocks too). */
  covariance?: boolean;
}

/** A posterior on the test inputs. */
export interface GpPosterior<M> {
  /** Mean, m×k. */
  readonly mean: M;
  /** Covariance, m×m, the same for each output (null unless asked). */
  readonly covariance: M | null;
  /** The absolute ridge added to the inverted train block. */
  readonly ridge: number;
}

/** Posterior mean (and covariance) of NNGP inference or of the converged NTK ensemble; `Matrix` labels in, `Matrix` out. */
export function gpInference<Y extends Mat>(kernels: KernelSet, yTrain: Y, options: GpOptions = {}): GpPosterior<Like<Y>> {
  const set = readKernelSet(kernels);
  const { n } = set;
  const Y = readMat(yTrain, 'yTrain', n, null);
  const k = Y.cols;
  const get = options.get ?? (set.nngp ? 'nngp' : 'ntk');
  if (get !== 'nngp' && get !== 'ntk') throw new InvalidOptionError('get', `expected 'nngp' or 'ntk', got ${String(get)}`);
  const kind = need(set[get], get, 'testTrain', 'the posterior mean');
  const m = kind.testTrain!.rows;
  const ridge = ridgeOf(kind.train.data, n, options);
  const la = resolveLinalg(n, options);
  const factor = choleskyFactor(withRidge(kind.train.data, n, ridge), n, `the ${get.toUpperCase()} train block plus ridge ${ridge.toExponential(3)}`, la);
  const alpha = factor.solve(Y.data, k);
  const mean = matmul(kind.testTrain!.data, alpha, m, n, k, la);
  let cov: Float64Array | null = null;
  if (options.covariance) {
    const prior = need(set.nngp, 'nngp', 'testTest', 'the covariance');
    const Kdt = transpose(prior.testTrain!.data, m, n);
    const W = factor.solve(transpose(kind.testTrain!.data, m, n), m); // (K or Θ)⁻¹·(K or Θ)_dt, n×m
    const WtKdt = matmulTransposed(W, Kdt, n, m, m, la);
    if (get === 'nngp') {
      cov = subtract(prior.testTest!.data, WtKdt);
    } else {
      const Kdd = withRidge(prior.train.data, n, ridgeOf(prior.train.data, n, options));
      const S = matmulTransposed(W, matmul(Kdd, W, n, n, m, la), n, m, m, la);
      cov = new Float64Array(m * m);
      const Ktt = prior.testTest!.data;
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) cov[i * m + j] = Ktt[i * m + j]! - WtKdt[i * m + j]! - WtKdt[j * m + i]! + S[i * m + j]!;
    }
    symmetrize(cov, m);
  }
  const asMatrix = isMatrix(yTrain);
  return { mean: output<Y>(mean, m, k, asMatrix), covariance: cov ? output<Y>(cov, m, m, asMatrix) : null, ridge };
}
