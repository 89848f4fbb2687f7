/**
 * Training dynamics of the infinitely wide (linearised) network for any loss, by integrating the
 * function-space ODE of gradient flow (Lee et al. 2019, eq. 7; neural-tangents'
 * `gradient_descent`): with ℓ = ∂L/∂f at the train outputs,
 *   df_train/dt = −η·Θ_dd·ℓ(f_train),   df_test/dt = −η·Θ_td·ℓ(f_train),
 * integrated by Dormand–Prince 5(4) with error control (./ode.ts) over the joint state
 * (f_train, f_test), through the requested times in increasing order. For MSE the ODE has the closed
 * form of {@link gradientDescentMse}, which the tests check it against; t = ∞ is not reachable here
 * (for cross-entropy the outputs grow without bound).
 * @module
 */
import { ShapeMismatchError } from '@wide/core';
import { type TrainedOutputs, type PredictOptions } from './gradient-descent-mse.js';
import { type Loss } from './loss.js';
import { type Like, type Mat, isMatrix, output, readMat } from './matrix.js';
import { type OdeOptions, type OdeStats, dormandPrince } from './ode.js';
import { type RidgeOptions, checkLearningRate, checkTimes, ridgeOf, withRidge } from './options.js';

/** Options of {@link gradientDescent}. */
export interface GradientDescentOptions extends OdeOptions, RidgeOptions {
  /** Learning rate η > 0 (default 1). */
  learningRate?: number;
}

/** The network's outputs as a function of time under a general loss. */
export interface GradientDescentPredictor<M> {
  readonly n: number;
  readonly outputs: number;
  readonly learningRate: number;
  readonly loss: Loss;
  /** Step counts of the last {@link GradientDescentPredictor.predict} call. */
  readonly lastStats: OdeStats | null;
  predict(t: number, options?: PredictOptions): TrainedOutputs<M>;
  predict(times: readonly number[], options?: PredictOptions): TrainedOutputs<M>[];
}

/**
 * Gradient flow on `loss` (e.g. {@link softmaxCrossEntropy}) from the n×n train NTK and labels y
 * (n×k; `Matrix` in, `Matrix` out). `trainLoss` in each result is `loss` at the train outputs.
 */
export function gradientDescent<Y extends Mat>(loss: Loss, kTrain: Mat, yTrain: Y, options: GradientDescentOptions = {}): GradientDescentPredictor<Like<Y>> {
  const K = readMat(kTrain, 'the train kernel', 'square', 'square');
  const n = K.rows;
  if (n === 0) throw new ShapeMismatchError('the train kernel is empty (no training points)');
  const Y = readMat(yTrain, 'yTrain', n, null);
  const k = Y.cols;
  const eta = checkLearningRate(options.learningRate ?? 1);
  const theta = withRidge(K.data, n, ridgeOf(K.data, n, options));
  const asMatrix = isMatrix(yTrain);
  const predictor: GradientDescentPredictor<Like<Y>> = {
    n,
    outputs: k,
    learningRate: eta,
    loss,
    lastStats: null,
    predict: ((t: number | readonly number[], po?: PredictOptions) => (typeof t === 'number' ? predictMany([t], po)[0]! : predictMany(t, po))) as GradientDescentPredictor<Like<Y>>['predict'],
  };

  function predictMany(times: readonly number[], po: PredictOptions = {}): TrainedOutputs<Like<Y>>[] {
    checkTimes(times, false, true);
    const f0 = po.fxTrain0 !== undefined ? readMat(po.fxTrain0, 'fxTrain0', n, k).data : null;
    const test = po.kTestTrain !== undefined ? readMat(po.kTestTrain, 'the test–train kernel', null, n) : null;
    const m = test ? test.rows : 0;
    const ft0 = po.fxTest0 !== undefined ? readMat(po.fxTest0, 'fxTest0', m, k).data : null;
    if (ft0 && !test) throw new ShapeMismatchError('fxTest0 was given without kTestTrain (the test–train kernel)');
    const z0 = new Float64Array((n + m) * k);
    if (f0) z0.set(f0);
    if (ft0) z0.set(ft0, n * k);
    const grad = new Float64Array(n * k);
    // dz = −η·[Θ_dd; Θ_td]·∂L/∂f_train.
    const rhs = (_t: number, z: Float64Array, dz: Float64Array) => {
      loss.gradient(z.subarray(0, n * k), Y.data, n, k, grad);
      apply(theta, n, grad, k, -eta, dz, 0);
      if (test) apply(test.data, m, grad, k, -eta, dz, n * k);
    };
    const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
    const { states, stats } = dormandPrince(rhs, 0, z0, order.map((i) => times[i]!), options);
    (predictor as { lastStats: OdeStats | null }).lastStats = stats;
    const results = new Array<TrainedOutputs<Like<Y>>>(times.length);
    order.forEach((i, q) => {
      const z = states[q]!;
      const train = z.slice(0, n * k);
      results[i] = {
        t: times[i]!,
        train: output<Y>(train, n, k, asMatrix),
        test: test ? output<Y>(z.slice(n * k), m, k, asMatrix) : null,
        trainLoss: loss.value(train, Y.data, n, k),
      };
    });
    return results;
  }
  return predictor;
}

/** out[o + i·k + c] = s·Σ_j a[i, j]·g[j, c] for a rows×n (row-major), g n×k. */
function apply(a: Float64Array, rows: number, g: Float64Array, k: number, s: number, out: Float64Array, o: number): void {
  const n = g.length / k;
  for (let i = 0; i < rows; i++) {
    const oi = o + i * k;
    for (let c = 0; c < k; c++) out[oi + c] = 0;
    for (let j = 0; j < n; j++) {
      const v = s * a[i * n + j]!;
      if (v === 0) continue;
      for (let c = 0; c < k; c++) out[oi + c] += v * g[j * k + c]!;
    }
  }
}
