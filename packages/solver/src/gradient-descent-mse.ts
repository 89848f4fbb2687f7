/**
 * The outputs of one infinitely wide network (equivalently, its linearisation) trained on the MSE
 * loss ½·mean((f − y)²) by gradient flow or by discrete gradient descent with momentum, at any list
 * of times, through one eigendecomposition of the train NTK (formulas in ./spectral.ts: Lee et al.
 * 2019, eqs. 8–11; thesis eqs. 2.7, 2.9, 2.89, 2.99, 2.108). As neural-tangents'
 * `gradient_descent_mse`: time enters as η·t/(n·k), negative eigenvalues are clipped to 0 for finite
 * t, and the initial outputs f₀ are the user's (one network) or 0 (the mean over initialisations).
 * @module
 */
import { NotPositiveDefiniteError, ShapeMismatchError } from '@wide/core';
import { InvalidOptionError, NonFiniteOutputError, UnstableLearningRateError, type WarningHandler, unstableMessage } from './errors.js';
import { mse } from './loss.js';
import { type LinalgOptions, matmulTransposed, resolveLinalg, symmetricEigenvalues } from './linalg.js';
import { type Like, type Mat, isMatrix, output, readMat } from './matrix.js';
import { type RidgeOptions, checkLearningRate, checkMomentum, checkTimes, ridgeOf, withRidge } from './options.js';
import { outputsAtTimes } from './mode-outputs.js';
import { flowFactors, momentumFactors, requirePositiveDefinite, trainSpectrum } from './spectral.js';

/** Options of {@link gradientDescentMse}. */
export interface MseOptions extends LinalgOptions, RidgeOptions {
  /** Learning rate η > 0 (default 1). */
  learningRate?: number;
  /** Discrete gradient descent: times count steps of size η (default false: gradient flow). */
  discrete?: boolean;
  /** Heavy-ball momentum μ ∈ [0, 1) of discrete gradient descent (default 0). */
  momentum?: number;
  /** Discrete gradient descent above {@link maxLearningRate}: a warning (to `onWarning`) instead of an error. */
  allowUnstable?: boolean;
  /** Receives warnings: negative eigenvalues clipped, an unstable learning rate allowed. */
  onWarning?: WarningHandler;
}

/** What {@link MsePredictor.predict} needs besides the time. */
export interface PredictOptions {
  /** NTK between test and train inputs, m×n; without it only train outputs are returned. */
  kTestTrain?: Mat;
  /** Initial train outputs f₀ (n×k) of the network; default 0 (the mean over initialisations). */
  fxTrain0?: Mat;
  /** Initial test outputs f₀ (m×k); default 0. */
  fxTest0?: Mat;
}

/** Outputs at one time. */
export interface TrainedOutputs<M> {
  /** The time (steps for discrete gradient descent). */
  readonly t: number;
  /** Train outputs f(t), n×k. */
  readonly train: M;
  /** Test outputs, m×k, or null without `kTestTrain`. */
  readonly test: M | null;
  /** The training loss ½·mean((f(t) − y)²). */
  readonly trainLoss: number;
}

/** The trained network's outputs as a function of time; see {@link gradientDescentMse}. */
export interface MsePredictor<M> {
  /** Training points n. */
  readonly n: number;
  /** Outputs per point k. */
  readonly outputs: number;
  readonly learningRate: number;
  readonly discrete: boolean;
  readonly momentum: number;
  /** The absolute ridge added to the train kernel. */
  readonly ridge: number;
  /** Eigenvalues of the regularised train kernel, ascending (before clipping). */
  readonly eigenvalues: Float64Array;
  /** The largest stable learning rate of discrete gradient descent, 2(1+μ)·n·k/λ_max. */
  readonly maxLearningRate: number;
  /** Outputs at time t (0 and Infinity included). */
  predict(t: number, options?: PredictOptions): TrainedOutputs<M>;
  /** Outputs at each time of a list, sharing the work that does not depend on t. */
  predict(times: readonly number[], options?: PredictOptions): TrainedOutputs<M>[];
}

/**
 * Closed-form MSE training dynamics from an n×n train NTK and labels y (n×k, Matrix or row-major).
 * Results come as `Matrix` when y is a Matrix, else as row-major Float64Array.
 *
 * ```ts
 * const p = gradientDescentMse(ntkTrain, y, { learningRate: 1 });
 * const [early, done] = p.predict([10, Infinity], { kTestTrain: ntkTestTrain });
 * ```
 */
export function gradientDescentMse<Y extends Mat>(kTrain: Mat, yTrain: Y, options: MseOptions = {}): MsePredictor<Like<Y>> {
  const K = readMat(kTrain, 'the train kernel', 'square', 'square');
  const n = K.rows;
  if (n === 0) throw new ShapeMismatchError('the train kernel is empty (no training points)');
  const Y = readMat(yTrain, 'yTrain', n, null);
  const k = Y.cols;
  const asMatrix = isMatrix(yTrain);
  const eta = checkLearningRate(options.learningRate ?? 1);
  const discrete = options.discrete ?? false;
  const momentum = checkMomentum(options.momentum ?? 0);
  if (momentum > 0 && !discrete) throw new InvalidOptionError('momentum', 'momentum is an option of discrete gradient descent (discrete: true)');
  const ridge = ridgeOf(K.data, n, options);
  const la = resolveLinalg(n, options);
  const spectrum = trainSpectrum(withRidge(K.data, n, ridge), n, 'the train kernel', la, options.onWarning);
  const lambdaMax = spectrum.values[n - 1]!;
  const etaMax = lambdaMax > 0 ? (2 * (1 + momentum) * n * k) / lambdaMax : Infinity;
  if (discrete && eta > etaMax) {
    if (!options.allowUnstable) throw new UnstableLearningRateError(eta, etaMax);
    options.onWarning?.({ code: 'UNSTABLE_LEARNING_RATE', message: unstableMessage(eta, etaMax), value: eta });
  }
  const rate = eta / (n * k);
  const factors = (t: number) => (discrete ? momentumFactors(spectrum.clipped, rate, momentum, t) : flowFactors(spectrum.clipped, rate, t));

  function predictMany(times: readonly number[], po: PredictOptions = {}): TrainedOutputs<Like<Y>>[] {
    checkTimes(times, discrete);
    if (times.includes(Infinity)) {
      requirePositiveDefinite(spectrum, 'the train kernel');
      if (discrete && eta >= etaMax) throw new UnstableLearningRateError(eta, etaMax);
    }
    const f0 = po.fxTrain0 !== undefined ? readMat(po.fxTrain0, 'fxTrain0', n, k).data : null;
    const test = po.kTestTrain !== undefined ? readMat(po.kTestTrain, 'the test–train kernel', null, n) : null;
    const m = test ? test.rows : 0;
    const ft0 = po.fxTest0 !== undefined ? readMat(po.fxTest0, 'fxTest0', m, k).data : null;
    if (ft0 && !test) throw new ShapeMismatchError('fxTest0 was given without kTestTrain (the test–train kernel)');
    // r̂ = Vᵀ·(f₀ − Y) once; the outputs of all times in batched products (./mode-outputs.ts).
    const r0 = new Float64Array(n * k);
    for (let i = 0; i < n * k; i++) r0[i] = (f0 ? f0[i]! : 0) - Y.data[i]!;
    const rHat = matmulTransposed(spectrum.vectors, r0, n, n, k, la);
    const later = times.filter((t) => t !== 0);
    const outs = outputsAtTimes(spectrum.vectors, rHat, Y.data, n, k, test ? { data: test.data, m, f0: ft0 } : null, later.map(factors), la);
    let q = 0;
    return times.map((t) => {
      let train: Float64Array;
      let out: Float64Array | null = null;
      if (t === 0) {
        // Exactly the initial outputs (V·Vᵀ = I only up to rounding).
        train = f0 ? Float64Array.from(f0) : new Float64Array(n * k);
        if (test) out = ft0 ? Float64Array.from(ft0) : new Float64Array(m * k);
      } else {
        train = outs.train[q]!;
        out = outs.test ? outs.test[q]! : null;
        q++;
      }
      checkOutput(train, t, 'train');
      if (out) checkOutput(out, t, 'test');
      return { t, train: output<Y>(train, n, k, asMatrix), test: out ? output<Y>(out, m, k, asMatrix) : null, trainLoss: mse.value(train, Y.data, n, k) };
    });
  }

  return {
    n,
    outputs: k,
    learningRate: eta,
    discrete,
    momentum,
    ridge,
    eigenvalues: Float64Array.from(spectrum.values),
    maxLearningRate: etaMax,
    predict: ((t: number | readonly number[], po?: PredictOptions) =>
      typeof t === 'number' ? predictMany([t], po)[0]! : predictMany(t, po)) as MsePredictor<Like<Y>>['predict'],
  };
}

/**
 * The largest stable learning rate of (momentum) gradient descent on the normalised MSE loss:
 * η_max = 2(1 + μ)·yCount/λ_max(Θ) with yCount = n·k the number of train output entries
 * (neural-tangents' `max_learning_rate`; thesis §2.6, η < 2/λ₁ for the unnormalised loss).
 */
export function maxLearningRate(ntkTrain: Mat, yCount: number, momentum = 0, options: LinalgOptions = {}): number {
  const K = readMat(ntkTrain, 'the train kernel', 'square', 'square');
  if (!(Number.isInteger(yCount) && yCount > 0)) throw new InvalidOptionError('yCount', `expected the number of train outputs n·k (an integer > 0), got ${yCount}`);
  checkMomentum(momentum);
  const values = symmetricEigenvalues(K.data, K.rows, options);
  const top = values[values.length - 1];
  if (!(top !== undefined && top > 0)) throw new NotPositiveDefiniteError(`the train kernel has no positive eigenvalue (largest ${top}), so no learning rate is defined`);
  return (2 * (1 + momentum) * yCount) / top;
}

function checkOutput(x: Float64Array, t: number, which: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new NonFiniteOutputError(`the ${which} outputs at t = ${t} overflow (${x[i]} at flat index ${i}); is the learning rate above the stable limit?`);
    }
  }
}

