/**
 * The error of a finite network whose training diverged.
 * @module
 */
import { WideError } from '@wide/core';

/**
 * The training loss of a finite network turned NaN or ±Infinity (usually a learning rate above
 * the stable limit 2(1+μ)·n·k/λ_max of the network's NTK). Names the step and the time t = η·step.
 */
export class NonFiniteLossError extends WideError {
  /** The gradient-descent step at which the loss was not finite (0: at initialisation). */
  readonly step: number;
  /** The loss found there. */
  readonly loss: number;
  constructor(step: number, time: number, loss: number, batch: boolean) {
    super(
      'NON_FINITE',
      `the training loss is ${loss} at step ${step} (t = ${time})${batch ? ' on its minibatch' : ''}; is the learning rate above the stable limit 2(1+momentum)·n·k/λ_max?`,
    );
    this.step = step;
    this.loss = loss;
  }
}
