/**
 * Checks and helpers shared by the entry points: times, learning rates, momentum, and the
 * diagonal regulariser (neural-tangents' `diag_reg`): K + ρ·I with ρ = diagReg·mean(diag K) when
 * `relative` (the default, as {@link fitKernelRegression}) or ρ = diagReg.
 * @module
 */
import { InvalidOptionError } from './errors.js';

/** The diagonal regulariser of a train kernel. */
export interface RidgeOptions {
  /** Ridge ≥ 0 added to the diagonal of every train block that is factorised or evolved (default 0). */
  diagReg?: number;
  /** If true (default), the added diagonal is diagReg·mean(diag K) for each kernel K; else diagReg itself. */
  relative?: boolean;
}

/** The absolute ridge ρ for the n×n block `k` under `o`. */
export function ridgeOf(k: Float64Array, n: number, o: RidgeOptions): number {
  const lambda = o.diagReg ?? 0;
  if (!(lambda >= 0 && lambda < Infinity)) throw new InvalidOptionError('diagReg', `expected a finite number ≥ 0, got ${lambda}`);
  if (!(o.relative ?? true)) return lambda;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += k[i * n + i]! / n;
  return lambda * meanDiag;
}

/** A copy of the symmetric n×n block `k` (lower triangle read) with ρ added to its diagonal. */
export function withRidge(k: Float64Array, n: number, ridge: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = k[i * n + j]!;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
    a[i * n + i] += ridge;
  }
  return a;
}

/** η > 0 and finite. */
export function checkLearningRate(eta: number): number {
  if (!(eta > 0 && eta < Infinity)) throw new InvalidOptionError('learningRate', `expected a finite number > 0, got ${eta}`);
  return eta;
}

/** μ ∈ [0, 1). */
export function checkMomentum(mu: number): number {
  if (!(mu >= 0 && mu < 1)) throw new InvalidOptionError('momentum', `expected a number in [0, 1), got ${mu}`);
  return mu;
}

/**
 * Times t ≥ 0 (Infinity allowed unless `finiteOnly`); with `integer`, whole numbers of steps.
 * Errors name the entry: `times[2]: expected a time ≥ 0 (or Infinity), got -1`.
 */
export function checkTimes(times: readonly number[], integer: boolean, finiteOnly = false): void {
  times.forEach((t, i) => {
    const name = `times[${i}]`;
    if (typeof t !== 'number' || Number.isNaN(t) || t < 0) {
      throw new InvalidOptionError(name, `expected a time ≥ 0${finiteOnly ? '' : ' (or Infinity)'}, got ${String(t)}`);
    }
    if (finiteOnly && t === Infinity) throw new InvalidOptionError(name, 'Infinity cannot be reached by integrating the ODE; use gradientDescentMse for the MSE limit');
    if (integer && t !== Infinity && !Number.isInteger(t)) throw new InvalidOptionError(name, `discrete gradient descent counts steps: expected a whole number ≥ 0 (or Infinity), got ${t}`);
  });
}
