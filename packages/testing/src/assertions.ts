/**
 * Assertions for comparing kernels: the analytic ≈ Monte-Carlo check with a tolerance that
 * scales like 1/√(width·samples), and plain relative-error helpers.
 * @module
 */

/** ‖a − b‖_F / ‖b‖_F. */
export function relativeFrobenius(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relativeFrobenius: lengths ${a.length} and ${b.length} differ`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, Number.MIN_VALUE));
}

/** max_i |a_i − b_i| / max(|b_i|, floor). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return worst;
}

/** Options of {@link expectMonteCarloClose}. */
export interface MonteCarloTolerance {
  /** Width of the finite networks. */
  width: number;
  /** Number of networks averaged. */
  samples: number;
  /** Constant c of the tolerance c/√(width·samples) (default 4). */
  c?: number;
  /** Label for the error message. */
  label?: string;
}

/** Thrown when a Monte-Carlo estimate is further from the analytic kernel than the tolerance. */
export class KernelMismatchError extends Error {}

/**
 * Asserts ‖mc − analytic‖_F/‖analytic‖_F ≤ c/√(width·samples) and returns the error.
 * The statistical error of the mean of empirical kernels shrinks like 1/√(width·samples)
 * (finite-width bias is O(1/width), smaller at the widths where this is used).
 */
export function expectMonteCarloClose(mc: ArrayLike<number>, analytic: ArrayLike<number>, tol: MonteCarloTolerance): number {
  const err = relativeFrobenius(mc, analytic);
  const bound = (tol.c ?? 4) / Math.sqrt(tol.width * tol.samples);
  if (!(err <= bound)) {
    throw new KernelMismatchError(`${tol.label ?? 'kernel'}: relative Frobenius error ${err.toExponential(3)} exceeds ${bound.toExponential(3)} = c/√(width·samples) with width ${tol.width}, samples ${tol.samples}`);
  }
  return err;
}
