/**
 * Kernel ridge regression: the posterior mean of GP inference with kernel K, which for the NTK
 * is also the t → ∞ prediction of the infinitely wide network trained by gradient descent on
 * the MSE loss from zero output (Jacot et al. 2018; Lee et al. 2019, eq. 16 with f₀ = 0):
 *   f(x*) = K(x*, X)·(K(X, X) + λI)⁻¹·Y, solved by a float64 Cholesky factorisation.
 * @module
 */
import { type Backend, NotPositiveDefiniteError, ShapeMismatchError, cpuBackend } from '@wide/core';

/** Options of {@link fitKernelRegression}. */
export interface RegressionOptions {
  /** Ridge λ ≥ 0 (default 0). */
  diagReg?: number;
  /** If true (default), λ is relative: the added diagonal is λ·mean(diag K). */
  relative?: boolean;
  /** Backend for the factorisation (default CPU). */
  backend?: Backend;
}

/** A fitted kernel regression. */
export interface KernelRegression {
  /** Number of training points. */
  readonly n: number;
  /** Number of targets per point. */
  readonly outputs: number;
  /** The absolute diagonal regulariser that was added. */
  readonly ridge: number;
  /** Dual coefficients (K + λI)⁻¹Y, n × outputs. */
  readonly alpha: Float64Array;
  /** Predictions K(x*, X)·α for a test–train kernel of nTest × n entries (row-major). */
  predict(kTestTrain: Float64Array, nTest: number): Float64Array;
}

/** Fits kernel ridge regression on an n×n train kernel and targets y (n × outputs, row-major). */
export function fitKernelRegression(kTrain: Float64Array, n: number, y: Float64Array, outputs: number, options: RegressionOptions = {}): KernelRegression {
  if (kTrain.length !== n * n) throw new ShapeMismatchError(`train kernel has ${kTrain.length} entries, expected ${n}×${n}`);
  if (y.length !== n * outputs) throw new ShapeMismatchError(`targets have ${y.length} entries, expected ${n}×${outputs}`);
  const backend = options.backend ?? cpuBackend;
  const lambda = options.diagReg ?? 0;
  if (!(lambda >= 0)) throw new RangeError(`diagReg must be ≥ 0, got ${lambda}`);
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += kTrain[i * n + i]! / n;
  const ridge = (options.relative ?? true) ? lambda * meanDiag : lambda;
  const a = Float64Array.from(kTrain);
  for (let i = 0; i < n; i++) a[i * n + i] += ridge;
  let L: Float64Array;
  try {
    L = backend.cholesky(a, n);
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(`${e.message}; the train kernel plus ridge ${ridge.toExponential(3)} is not positive definite — increase diagReg`);
    }
    throw e;
  }
  const alpha = backend.choleskySolve(L, n, y, outputs);
  return {
    n,
    outputs,
    ridge,
    alpha,
    predict(kTestTrain, nTest) {
      if (kTestTrain.length !== nTest * n) throw new ShapeMismatchError(`test–train kernel has ${kTestTrain.length} entries, expected ${nTest}×${n}`);
      return backend.matmulAB(kTestTrain, alpha, nTest, n, outputs);
    },
  };
}

/** Fraction of rows whose arg-max equals the label's index in `classes`. */
export function classificationAccuracy(predictions: Float64Array, outputs: number, labels: ArrayLike<number>, classes: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < outputs; j++) if (predictions[i * outputs + j]! > predictions[i * outputs + best]!) best = j;
    if (classes[best] === labels[i]) correct++;
  }
  return correct / labels.length;
}
