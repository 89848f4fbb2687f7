/**
 * The train kernel in its eigenbasis, and the per-eigenmode factors of MSE training.
 *
 * With the loss L = ½·mean((f − y)²) = ‖f − Y‖²/(2nk) over all n·k train outputs (neural-tangents'
 * normalisation), gradient flow of the linearised network is df/dt = −η·Θ·(f − Y)/(nk) (Lee et al.
 * 2019, eq. 8; thesis eq. 2.4 with the loss normalised). With Θ = V·diag(λ)·Vᵀ and the normalised
 * rate r = η/(nk), the residual along eigenvector v_i decays by
 *   e_i(t) = exp(−λ_i·r·t)                                   (Lee et al. 2019, eq. 10; thesis eq. 2.108)
 * and the train and test outputs are (thesis eqs. 2.7, 2.9; Lee et al. eq. 9)
 *   f_train(t) = Y + V·diag(e)·Vᵀ·(f₀ − Y),
 *   f_test(t)  = f₀,test − Θ_td·V·diag(g)·Vᵀ·(f₀ − Y),   g_i = (1 − e_i)/λ_i,
 * so Θ_td·Θ⁻¹·(I − e^{−rtΘ}) is never formed: one eigendecomposition serves every t. g_i is
 * −expm1(−λ_i·r·t)/λ_i, and r·t when λ_i = 0. At t = ∞, e = 0 and g = 1/λ (kernel regression;
 * thesis eq. 2.89), which needs every λ_i > 0.
 *
 * Discrete gradient descent with heavy-ball momentum μ (Polyak 1964) on the linearised network,
 * v ← μ·v − η·∇_θL, θ ← θ + v, moves the train residual along v_i as (a = λ_i·r)
 *   u_{s+1} = μ·u_s − a·ρ_s,  ρ_{s+1} = ρ_s + u_{s+1},  u₀ = 0   (thesis eq. 2.99 for μ = 0),
 * stable iff 0 < a < 2(1 + μ), whence η_max = 2(1 + μ)·n·k/λ_max (neural-tangents'
 * `max_learning_rate`). Writing ρ_s = (1 − a·E_s)·ρ₀, the pair (E, Q) with u_s = −a·Q_s·ρ₀ obeys the
 * affine recurrence E_{s+1} = (1 − a)·E_s + μ·Q_s + 1, Q_{s+1} = −a·E_s + μ·Q_s + 1 from E₀ = Q₀ = 0,
 * evaluated in closed form as the s-th power of its 3×3 matrix (repeated squaring, O(log s)), so
 *   e_i(s) = 1 − a·E_s,  g_i(s) = r·E_s   (no cancellation when λ_i → 0).
 * For μ = 0, e_i(s) = (1 − a)^s. The test outputs follow the same formula with these e, g.
 * @module
 */
import { NotPositiveDefiniteError } from '@wide/core';
import { type SolverWarning, type WarningHandler } from './errors.js';
import { type LinalgOptions, symmetricEigen } from './linalg.js';

/** A regularised train kernel Θ + ρI = V·diag(λ)·Vᵀ. */
export interface TrainSpectrum {
  readonly n: number;
  /** Eigenvalues, ascending, as computed (may be slightly negative). */
  readonly values: Float64Array;
  /** max(λ, 0): the eigenvalues the time evolution uses (negative ones clipped, as neural-tangents). */
  readonly clipped: Float64Array;
  /** Eigenvectors, column p for values[p], row-major n×n. */
  readonly vectors: Float64Array;
  /** How many eigenvalues were negative. */
  readonly negatives: number;
}

/** Eigendecomposes the regularised train block `a` (n×n, symmetric); reports negative eigenvalues to `onWarning`. */
export function trainSpectrum(a: Float64Array, n: number, what: string, o: LinalgOptions, onWarning?: WarningHandler): TrainSpectrum {
  const { values, vectors } = symmetricEigen(a, n, o);
  const clipped = new Float64Array(n);
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    clipped[i] = values[i]! > 0 ? values[i]! : 0;
    if (values[i]! < 0) negatives++;
  }
  if (negatives > 0 && onWarning) {
    const w: SolverWarning = {
      code: 'NEGATIVE_EIGENVALUES',
      message: `${what} has ${negatives} negative eigenvalue(s), the smallest ${values[0]!.toExponential(3)}; clipped to 0 for the time evolution`,
      value: values[0]!,
    };
    onWarning(w);
  }
  return { n, values, clipped, vectors, negatives };
}

/** Throws NotPositiveDefiniteError (naming the smallest eigenvalue) when t = ∞ needs Θ⁻¹ and λ_min ≤ 0. */
export function requirePositiveDefinite(s: TrainSpectrum, what: string): void {
  if (s.n > 0 && !(s.values[0]! > 0)) {
    throw new NotPositiveDefiniteError(
      `${what} is not positive definite: its smallest eigenvalue is ${s.values[0]!.toExponential(3)}, and t = Infinity needs its inverse (add a diagonal regulariser, diagReg)`,
    );
  }
}

/** Per-mode factors at one time: the residual decay e_i and g_i = (1 − e_i)/λ_i. */
export interface ModeFactors {
  readonly decay: Float64Array;
  readonly growth: Float64Array;
}

/** Gradient flow at time t (possibly ∞) with normalised rate r = η/(nk). */
export function flowFactors(lambda: Float64Array, rate: number, t: number): ModeFactors {
  const n = lambda.length;
  const decay = new Float64Array(n);
  const growth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = lambda[i]!;
    if (t === Infinity) {
      decay[i] = l > 0 ? 0 : 1;
      growth[i] = l > 0 ? 1 / l : 0;
    } else if (l > 0) {
      const x = l * rate * t;
      decay[i] = Math.exp(-x);
      growth[i] = -Math.expm1(-x) / l;
    } else {
      decay[i] = 1;
      growth[i] = rate * t;
    }
  }
  return { decay, growth };
}

/**
 * Discrete gradient descent with momentum μ after s steps (s = ∞: the limit, which the caller only
 * asks for when every mode is stable), normalised rate r = η/(nk).
 */
export function momentumFactors(lambda: Float64Array, rate: number, momentum: number, steps: number): ModeFactors {
  if (steps === Infinity) return flowFactors(lambda, rate, Infinity);
  const n = lambda.length;
  const decay = new Float64Array(n);
  const growth = new Float64Array(n);
  const m = new Float64Array(9);
  const acc = new Float64Array(9);
  const tmp = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const a = lambda[i]! * rate;
    // [E; Q; 1] ← M·[E; Q; 1], M = [[1 − a, μ, 1], [−a, μ, 1], [0, 0, 1]]; (E_s, Q_s) = column 3 of M^s.
    m.set([1 - a, momentum, 1, -a, momentum, 1, 0, 0, 1]);
    acc.set([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    let s = steps;
    while (s > 0) {
      if (s % 2 === 1) mul3(acc, m, tmp);
      s = Math.floor(s / 2);
      if (s > 0) mul3(m, m, tmp);
    }
    const e = acc[2]!;
    decay[i] = 1 - a * e;
    growth[i] = rate * e;
  }
  return { decay, growth };
}

/** x ← x·y for 3×3 row-major matrices (tmp: scratch). */
function mul3(x: Float64Array, y: Float64Array, tmp: Float64Array): void {
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) tmp[r * 3 + c] = x[r * 3]! * y[c]! + x[r * 3 + 1]! * y[3 + c]! + x[r * 3 + 2]! * y[6 + c]!;
  }
  x.set(tmp);
}
