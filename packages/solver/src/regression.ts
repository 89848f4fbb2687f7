/**
 * Kernel ridge regression: the posterior mean of GP inference with kernel K, which for the NTK
 * is also the t → ∞ prediction of the infinitely wide network trained by gradient descent on
 * the MSE loss from zero output (Jacot et al. 2018; Lee et al. 2019, eq. 16 with f₀ = 0):
 *   f(x*) = K(x*, X)·(K(X, X) + λI)⁻¹·Y, solved by a float64 Cholesky factorisation
 * (ml-matrix up to n = 300, the backend above; ./linalg.ts).
 * @module
 */
import { NotPositiveDefiniteError, ShapeMismatchError } from '@wide/core';
import { type Matrix } from 'ml-matrix';
import { type LinalgOptions, choleskyFactor, matmul, resolveLinalg } from './linalg.js';
import { type Mat, isMatrix, output, readMat } from './matrix.js';
import { ridgeOf, withRidge } from './options.js';

/** Options of {@link fitKernelRegression}. */
export interface RegressionOptions extends LinalgOptions {
  /** Ridge λ ≥ 0 (default 0). */
  diagReg?: number;
  /** If true (default), λ is relative: the added diagonal is λ·mean(diag K). */
  relative?: boolean;
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
  /** Predictions K(x*, X)·α for an nTest×n test–train kernel given as an ml-matrix Matrix. */
  predict(kTestTrain: Matrix): Matrix;
}

/** Fits kernel ridge regression on an n×n train kernel and targets y (n × outputs, row-major). */
export function fitKernelRegression(kTrain: Float64Array, n: number, y: Float64Array, outputs: number, options?: RegressionOptions): KernelRegression;
/** Fits kernel ridge regression on an ml-matrix train kernel (n×n) and targets (n × outputs). */
export function fitKernelRegression(kTrain: Mat, y: Mat, options?: RegressionOptions): KernelRegression;
export function fitKernelRegression(
  kTrain: Mat,
  second: number | Mat,
  third?: Float64Array | RegressionOptions,
  fourth?: number,
  fifth?: RegressionOptions,
): KernelRegression {
  let K: Float64Array;
  let n: number;
  let y: Float64Array;
  let outputs: number;
  let options: RegressionOptions;
  if (typeof second === 'number') {
    n = second;
    outputs = fourth!;
    if (!(kTrain instanceof Float64Array) || kTrain.length !== n * n) throw new ShapeMismatchError(`train kernel has ${kTrain instanceof Float64Array ? kTrain.length : '?'} entries, expected ${n}×${n}`);
    if (!(third instanceof Float64Array) || third.length !== n * outputs) throw new ShapeMismatchError(`targets have ${third instanceof Float64Array ? third.length : '?'} entries, expected ${n}×${outputs}`);
    K = kTrain;
    y = third;
    options = fifth ?? {};
  } else {
    const k = readMat(kTrain, 'the train kernel', 'square', 'square');
    const t = readMat(second, 'y', k.rows, null);
    ({ data: K, rows: n } = k);
    ({ data: y, cols: outputs } = t);
    options = (third as RegressionOptions | undefined) ?? {};
  }
  const ridge = ridgeOf(K, n, options);
  const la = resolveLinalg(n, options);
  let factor;
  try {
    factor = choleskyFactor(withRidge(K, n, ridge), n, 'the train kernel', la);
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(`${e.message}; the train kernel plus ridge ${ridge.toExponential(3)} is not positive definite — increase diagReg`);
    }
    throw e;
  }
  const alpha = factor.solve(y, outputs);
  return {
    n,
    outputs,
    ridge,
    alpha,
    predict: ((kTestTrain: Mat, nTest?: number) => {
      if (kTestTrain instanceof Float64Array && nTest !== undefined && kTestTrain.length !== nTest * n) {
        throw new ShapeMismatchError(`test–train kernel has ${kTestTrain.length} entries, expected ${nTest}×${n}`);
      }
      const t = readMat(kTestTrain, 'the test–train kernel', nTest ?? null, n);
      return output(matmul(t.data, alpha, t.rows, n, outputs, la), t.rows, outputs, isMatrix(kTestTrain));
    }) as KernelRegression['predict'],
  };
}

/** Fraction of rows whose arg-max equals the label's index in `classes`. */
export function classificationAccuracy(predictions: Float64Array | Matrix, outputs: number, labels: ArrayLike<number>, classes: readonly number[]): number {
  const p = predictions instanceof Float64Array ? predictions : readMat(predictions, 'the predictions', null, outputs).data;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < outputs; j++) if (p[i * outputs + j]! > p[i * outputs + best]!) best = j;
    if (classes[best] === labels[i]) correct++;
  }
  return correct / labels.length;
}
