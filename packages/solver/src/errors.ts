/**
 * Errors and warnings of the solver. Bad input raises a {@link WideError} (one line naming the
 * argument, the expectation and the value); the core classes cover shapes
 * (`ShapeMismatchError`), NaN/Infinity (`NonFiniteInputError`) and kernels that are not positive
 * definite (`NotPositiveDefiniteError`). The classes here add the solver's own cases, on the core
 * codes `USAGE` and `NON_FINITE`.
 * @module
 */
import { WideError } from '@wide/core';

/** An option out of range: a negative time, a learning rate ≤ 0, a momentum outside [0, 1), … */
export class InvalidOptionError extends WideError {
  /** The option, e.g. `times[2]` or `learningRate`. */
  readonly option: string;
  constructor(option: string, problem: string) {
    super('USAGE', `${option}: ${problem}`);
    this.option = option;
  }
}

/**
 * Discrete gradient descent with a learning rate above the stable limit 2(1+μ)·n·k/λ_max (the
 * residual along the top eigendirection grows without bound). Pass `allowUnstable: true` to get a
 * warning instead.
 */
export class UnstableLearningRateError extends WideError {
  /** The learning rate asked for. */
  readonly learningRate: number;
  /** The largest stable one, {@link maxLearningRate}. */
  readonly maxLearningRate: number;
  constructor(learningRate: number, maxLearningRate: number) {
    super('USAGE', unstableMessage(learningRate, maxLearningRate) + '; lower learningRate or pass allowUnstable: true');
    this.learningRate = learningRate;
    this.maxLearningRate = maxLearningRate;
  }
}

/** The one-line description of an unstable learning rate (error and warning). */
export function unstableMessage(learningRate: number, max: number): string {
  return `learningRate ${learningRate} is above the stable limit ${max.toPrecision(6)} of discrete gradient descent (2(1+momentum)·n·k/λ_max)`;
}

/** A prediction overflowed (e.g. an unstable learning rate run for many steps); never returned as NaN. */
export class NonFiniteOutputError extends WideError {
  constructor(message: string) {
    super('NON_FINITE', message);
  }
}

/** Something the solver did on its own that the caller may want to know about. */
export interface SolverWarning {
  /**
   * `NEGATIVE_EIGENVALUES`: the (regularised) train kernel had eigenvalues < 0, clipped to 0 for
   * the time evolution (as neural-tangents does); `value` is the smallest one.
   * `UNSTABLE_LEARNING_RATE`: discrete gradient descent above the stable limit (`allowUnstable`);
   * `value` is the learning rate.
   */
  readonly code: 'NEGATIVE_EIGENVALUES' | 'UNSTABLE_LEARNING_RATE';
  /** One line for a person. */
  readonly message: string;
  /** The number the message names. */
  readonly value: number;
}

/** Receives {@link SolverWarning}s (default: none is reported). */
export type WarningHandler = (warning: SolverWarning) => void;
