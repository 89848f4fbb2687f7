/**
 * The infinite ensemble: mean and covariance over initialisations of the outputs of infinitely
 * wide networks trained by gradient flow on the MSE loss ½·mean((f − y)²) to time t (Lee et al.
 * 2019, eqs. 14–16; thesis eqs. 2.151–2.156; neural-tangents' `gradient_descent_mse_ensemble`).
 *
 * At initialisation f₀ ~ GP(0, K) (K the NNGP); one network evolves as (./spectral.ts, r = η/(nk))
 *   f_test(t) = f₀,test − A_t·(f₀,train − Y),   A_t = Θ_td·Θ⁻¹·(I − e^{−rtΘ}),
 *   f_train(t) = Y + e^{−rtΘ}·(f₀,train − Y),
 * with Θ the NTK (`get: 'ntk'`, every layer trained) or Θ = K (`get: 'nngp'`, only the readout layer
 * trained; thesis eqs. 2.151–2.153). Being linear in the Gaussian f₀, the outputs are Gaussian with
 *   mean_test  = A_t·Y,                              mean_train = (I − e^{−rtΘ})·Y,
 *   cov_test   = K_tt − A_t·K_dt − K_td·A_tᵀ + A_t·K_dd·A_tᵀ      (Lee et al. eq. 16 with
 *                (I − e^{−rtΘ}) in place of I; thesis eq. 2.156 at t = ∞),
 *   cov_train  = e^{−rtΘ}·K_dd·e^{−rtΘ},
 * the same for each of the k outputs (which are independent). With Θ = V·diag(λ)·Vᵀ,
 * A_t = B·diag(g)·Vᵀ, B = Θ_td·V, g_i = (1 − e^{−λ_i·r·t})/λ_i, so every t costs products only.
 * For `nngp` the covariance collapses to K_tt − B·diag((1 − e²)/λ)·Bᵀ (thesis eq. 2.153), computed
 * as such (g·(1 + e), no cancellation); at t = ∞ it is the GP posterior K_tt − K_td·K⁻¹·K_dt.
 * The diagonal regulariser is added to Θ_dd and to K_dd alike (each relative to its own mean
 * diagonal by default): for `nngp` that is the GP posterior with observation noise.
 * @module
 */
import { InvalidOptionError, type WarningHandler } from './errors.js';
import { type KernelSet, need, readKernelSet } from './blocks.js';
import { scaleColumns, scaleRows, subtract, symmetrize, transpose } from './dense-ops.js';
import { type LinalgOptions, matmul, matmulTransposed, resolveLinalg } from './linalg.js';
import { type Like, type Mat, isMatrix, output, readMat } from './matrix.js';
import { type RidgeOptions, checkLearningRate, checkTimes, ridgeOf, withRidge } from './options.js';
import { type TrainSpectrum, flowFactors, requirePositiveDefinite, trainSpectrum } from './spectral.js';

/** Options of {@link gradientDescentMseEnsemble}. */
export interface EnsembleOptions extends LinalgOptions, RidgeOptions {
  /** Learning rate η > 0 (default 1). */
  learningRate?: number;
  /** Receives a warning when a train kernel has negative eigenvalues (clipped to 0). */
  onWarning?: WarningHandler;
}

/** What to compute at each time. */
export interface EnsemblePredictOptions {
  /** `ntk` (default): every layer trained; `nngp`: only the readout layer. */
  get?: 'ntk' | 'nngp';
  /** The test covariance (needs the NNGP blocks train, testTrain and testTest). */
  covariance?: boolean;
  /** The train covariance (needs the NNGP train block). */
  trainCovariance?: boolean;
}

/** The ensemble's outputs at one time. */
export interface EnsemblePrediction<M> {
  readonly t: number;
  /** Mean train outputs, n×k. */
  readonly meanTrain: M;
  /** Mean test outputs, m×k (null without a test–train block). */
  readonly meanTest: M | null;
  /** Test covariance, m×m, the same for every output (null unless asked). */
  readonly covTest: M | null;
  /** Train covariance, n×n (null unless asked). */
  readonly covTrain: M | null;
}

/** The infinite ensemble as a function of time; see {@link gradientDescentMseEnsemble}. */
export interface EnsemblePredictor<M> {
  readonly n: number;
  readonly outputs: number;
  readonly learningRate: number;
  predict(t: number, options?: EnsemblePredictOptions): EnsemblePrediction<M>;
  predict(times: readonly number[], options?: EnsemblePredictOptions): EnsemblePrediction<M>[];
}

/**
 * The infinite ensemble of infinitely wide networks trained on MSE, from NNGP and/or NTK blocks
 * and labels y (n×k; `Matrix` in, `Matrix` out). The mean with `get: 'ntk'` needs only NTK blocks;
 * covariances and `get: 'nngp'` need the NNGP blocks.
 */
export function gradientDescentMseEnsemble<Y extends Mat>(kernels: KernelSet, yTrain: Y, options: EnsembleOptions = {}): EnsemblePredictor<Like<Y>> {
  const set = readKernelSet(kernels);
  const { n } = set;
  const Y = readMat(yTrain, 'yTrain', n, null);
  const k = Y.cols;
  const asMatrix = isMatrix(yTrain);
  const eta = checkLearningRate(options.learningRate ?? 1);
  const rate = eta / (n * k);
  const la = resolveLinalg(n, options);
  const spectra = new Map<string, TrainSpectrum>();
  const ridged = new Map<string, Float64Array>();
  const regularised = (kind: 'nngp' | 'ntk'): Float64Array => {
    let a = ridged.get(kind);
    if (!a) {
      const blocks = need(set[kind], kind, 'train');
      a = withRidge(blocks.train.data, n, ridgeOf(blocks.train.data, n, options));
      ridged.set(kind, a);
    }
    return a;
  };
  const spectrumOf = (kind: 'nngp' | 'ntk'): TrainSpectrum => {
    let s = spectra.get(kind);
    if (!s) {
      s = trainSpectrum(regularised(kind), n, `the ${kind.toUpperCase()} train block`, la, options.onWarning);
      spectra.set(kind, s);
    }
    return s;
  };

  function predictMany(times: readonly number[], po: EnsemblePredictOptions = {}): EnsemblePrediction<Like<Y>>[] {
    checkTimes(times, false);
    const get = po.get ?? 'ntk';
    if (get !== 'ntk' && get !== 'nngp') throw new InvalidOptionError('get', `expected 'ntk' or 'nngp', got ${String(get)}`);
    const dyn = need(set[get], get, 'train');
    const s = spectrumOf(get);
    if (times.includes(Infinity)) requirePositiveDefinite(s, `the ${get.toUpperCase()} train block`);
    const V = s.vectors;
    const yHat = matmulTransposed(V, Y.data, n, n, k, la);
    const m = dyn.testTrain ? dyn.testTrain.rows : 0;
    const B = dyn.testTrain ? matmul(dyn.testTrain.data, V, m, n, n, la) : null;
    // Covariance pieces: C = Vᵀ·K_dt (n×m) and D = Vᵀ·K_dd·V (n×n), K the (regularised) NNGP.
    let C: Float64Array | null = null;
    let D: Float64Array | null = null;
    let Ktt: Float64Array | null = null;
    if (po.covariance) {
      const prior = need(set.nngp, 'nngp', 'testTest', 'the test covariance');
      if (!B) throw new InvalidOptionError('covariance', `the test covariance needs the ${get.toUpperCase()} test–train block`);
      Ktt = prior.testTest!.data;
      if (get === 'ntk') C = matmulTransposed(V, transpose(prior.testTrain!.data, m, n), n, n, m, la);
    }
    if ((po.covariance && get === 'ntk') || (po.trainCovariance && get === 'ntk')) {
      const Kdd = regularised('nngp');
      D = matmulTransposed(V, matmul(Kdd, V, n, n, n, la), n, n, n, la);
    }
    if (po.trainCovariance) need(set.nngp, 'nngp', 'train', 'the train covariance');
    return times.map((t) => {
      const { decay, growth } = flowFactors(s.clipped, rate, t);
      const meanTrain = matmul(V, scaleRows(decay, yHat, k), n, n, k, la);
      for (let i = 0; i < n * k; i++) meanTrain[i] = Y.data[i]! - meanTrain[i]!;
      const meanTest = B ? matmul(B, scaleRows(growth, yHat, k), m, n, k, la) : null;
      let covTest: Float64Array | null = null;
      if (po.covariance) {
        const P = scaleColumns(B!, growth, m, n); // A_t·V = B·diag(g)
        if (get === 'nngp') {
          const h = new Float64Array(n);
          for (let i = 0; i < n; i++) h[i] = growth[i]! * (1 + decay[i]!);
          covTest = subtract(Ktt!, matmul(scaleColumns(B!, h, m, n), transpose(B!, m, n), m, n, m, la));
        } else {
          const Q = matmul(P, C!, m, n, m, la); // A_t·K_dt
          const S = matmul(matmul(P, D!, m, n, n, la), transpose(P, m, n), m, n, m, la); // A_t·K_dd·A_tᵀ
          covTest = new Float64Array(m * m);
          for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) covTest[i * m + j] = Ktt![i * m + j]! - Q[i * m + j]! - Q[j * m + i]! + S[i * m + j]!;
        }
        symmetrize(covTest, m);
      }
      let covTrain: Float64Array | null = null;
      if (po.trainCovariance) {
        // e^{−rtΘ}·K_dd·e^{−rtΘ} = V·diag(e)·D·diag(e)·Vᵀ (D = diag(λ) when Θ = K).
        const VE = scaleColumns(V, decay, n, n);
        const inner = get === 'nngp' ? scaleColumns(VE, s.values, n, n) : matmul(VE, D!, n, n, n, la);
        covTrain = matmul(inner, transpose(VE, n, n), n, n, n, la);
        symmetrize(covTrain, n);
      }
      return {
        t,
        meanTrain: output<Y>(meanTrain, n, k, asMatrix),
        meanTest: meanTest ? output<Y>(meanTest, m, k, asMatrix) : null,
        covTest: covTest ? output<Y>(covTest, m, m, asMatrix) : null,
        covTrain: covTrain ? output<Y>(covTrain, n, n, asMatrix) : null,
      };
    });
  }

  return {
    n,
    outputs: k,
    learningRate: eta,
    predict: ((t: number | readonly number[], po?: EnsemblePredictOptions) =>
      typeof t === 'number' ? predictMany([t], po)[0]! : predictMany(t, po)) as EnsemblePredictor<Like<Y>>['predict'],
  };
}
