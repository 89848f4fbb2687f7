/**
 * The paper's predictor (eq. 5, line 108): f*(x) = ker(x, X)·H⁻¹·Y with the train kernel H and
 * no ridge, prediction = arg-max over the class columns (lines 378–382). H is positive definite
 * in exact arithmetic (λ₀ > 0, Theorem 3.2) but can be numerically singular (CNTK-GAP kernels
 * between different images have correlations near 1, seed-001 §5.5); only if the float64
 * Cholesky factorisation fails is a jitter added, the smallest of 1e-12, 1e-10, … 1e-4 (times
 * the mean diagonal) that works, and reported.
 * @module
 */
import { NotPositiveDefiniteError } from '@wide/core';
import { classificationAccuracy, fitKernelRegression } from '@wide/solver';

/** The outcome of one ridge-less kernel regression. */
export interface RidgelessResult {
  /** Test accuracy in [0, 1]. */
  readonly accuracy: number;
  /** The jitter added to the diagonal, relative to its mean (0: none was needed). */
  readonly jitter: number;
}

/** Relative jitters tried, in order, when the ridge-less factorisation fails. */
export const JITTERS = [0, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4] as const;

/**
 * Fits f* = K(·, X)·H⁻¹·Y on the train kernel `kTrain` (n×n) and targets `y` (n × classes) and
 * returns the test accuracy of `kTestTrain` (m×n) against `testLabels`. Throws the last
 * NotPositiveDefiniteError if even the largest jitter fails.
 */
export function ridgelessAccuracy(kTrain: Float64Array, kTestTrain: Float64Array, y: Float64Array, classes: readonly number[], testLabels: ArrayLike<number>): RidgelessResult {
  const n = Math.round(Math.sqrt(kTrain.length));
  const k = classes.length;
  let last: unknown = null;
  for (const jitter of JITTERS) {
    try {
      const fit = fitKernelRegression(kTrain, n, y, k, { diagReg: jitter });
      const pred = fit.predict(kTestTrain, testLabels.length);
      return { accuracy: classificationAccuracy(pred, k, testLabels, classes), jitter };
    } catch (e) {
      if (!(e instanceof NotPositiveDefiniteError)) throw e;
      last = e;
    }
  }
  throw last;
}
