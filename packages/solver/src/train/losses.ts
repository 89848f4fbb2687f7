/**
 * The losses finite networks train on are the kernel dynamics' own (../loss.ts), so that a
 * learning rate means the same for the finite network and for its kernel prediction:
 * - `mse`:  L = ½·mean((f − y)²) over all n·k entries,  ∂L/∂f = (f − y)/(n·k), so a gradient step
 *   on the parameters moves the outputs by Δf ≈ −η·Θ̂·(f − y)/(n·k), the step of
 *   df/dt = −η·Θ·(f − y)/(n·k) (thesis eq. 2.4 with the loss normalised);
 * - `xent`: softmax cross-entropy −mean(y ⊙ log softmax(f)) over all n·k entries (neural-tangents'
 *   normalisation; `gradientDescent(softmaxCrossEntropy, …)` integrates the same loss);
 * - or any {@link Loss} object.
 * @module
 */
import { InvalidOptionError } from '../errors.js';
import { type Loss, mse, softmaxCrossEntropy } from '../loss.js';

/** The loss a finite network is trained on: a name or a {@link Loss}. */
export type TrainLoss = 'mse' | 'xent' | Loss;

/** The loss value and its gradient with respect to the outputs. */
export interface LossAndGradient {
  readonly loss: number;
  /** ∂L/∂f, n×k row-major. */
  readonly grad: Float64Array;
}

/** The {@link Loss} of a name, checking it; cross-entropy also needs k ≥ 2 outputs and labels ≥ 0. */
export function checkLoss(loss: unknown, k: number, y: Float64Array): Loss {
  const l = loss === 'mse' ? mse : loss === 'xent' ? softmaxCrossEntropy : loss;
  if (!(l && typeof l === 'object' && typeof (l as Loss).value === 'function' && typeof (l as Loss).gradient === 'function')) {
    throw new InvalidOptionError('loss', `expected 'mse', 'xent' or a Loss object, got ${String(loss)}`);
  }
  if (l === softmaxCrossEntropy) {
    if (k < 2) throw new InvalidOptionError('loss', `softmax cross-entropy needs at least 2 outputs per sample, the network has ${k}`);
    for (let i = 0; i < y.length; i++) {
      if (!(y[i]! >= 0)) throw new InvalidOptionError('loss', `softmax cross-entropy needs labels that are class probabilities (≥ 0, e.g. one-hot), yTrain holds ${y[i]} at flat index ${i}`);
    }
  }
  return l as Loss;
}

/** The loss of outputs `f` against labels `y` (both n×k) and ∂L/∂f. */
export function lossAndGradient(loss: Loss, f: Float64Array, y: Float64Array, n: number, k: number): LossAndGradient {
  const grad = new Float64Array(n * k);
  const value = loss.value(f, y, n, k);
  if (Number.isFinite(value)) loss.gradient(f, y, n, k, grad);
  return { loss: value, grad };
}
