/**
 * Errors of `@wide/rmt`. Every bad request raises a {@link WideError} with one line naming the
 * parameter, the expectation and the value (`gamma: expected a number > 0, got -1`); the core
 * classes cover shapes (`ShapeMismatchError`), NaN/Infinity in data (`NonFiniteInputError`) and
 * solvers that stop short (`NonConvergenceError`, thrown only where a caller asked for one value,
 * never for a density on a grid: there, non-convergence is reported per point). The classes here
 * add the package's own cases on the core codes `USAGE` and `UNSUPPORTED`.
 * @module
 */
import { WideError } from '@wide/core';

/** A parameter out of range: γ ≤ 0, a grid with a ≥ b, a class size < 1, … */
export class InvalidRequestError extends WideError {
  /** The parameter, e.g. `gammas[2]` or `grid`. */
  readonly parameter: string;
  constructor(parameter: string, problem: string) {
    super('USAGE', `${parameter}: ${problem}`);
    this.parameter = parameter;
  }
}

/**
 * An activation that cannot be normalised to E σ(ξ) = 0, E σ(ξ)² = 1 (ξ ~ N(0, 1)): it is
 * constant almost everywhere (variance 0) or its Gaussian moments are not finite.
 */
export class NormalisationError extends WideError {
  /** The activation's name. */
  readonly activation: string;
  constructor(activation: string, problem: string) {
    super('USAGE', `${activation}: ${problem}`);
    this.activation = activation;
  }
}

/**
 * A Gaussian moment that does not exist for this activation, e.g. E[σ′(ξ)²] for sign or step
 * (σ′ holds a delta at the jump), which the Fan–Wang constant a_σ and the NTK coefficient κ need.
 */
export class UndefinedMomentError extends WideError {
  /** The activation's name. */
  readonly activation: string;
  constructor(activation: string, problem: string) {
    super('UNSUPPORTED', `${activation}: ${problem}`);
    this.activation = activation;
  }
}
