/**
 * What a kernel and labels say before any training: the spectrum of the n×n train kernel, its
 * condition number, effective rank, the time scale of each eigendirection under MSE gradient flow,
 * how the labels spread over the eigendirections, and the data-dependent generalisation bound of
 * Arora et al. 2019.
 *
 * - Condition number κ = λ_max/λ_min (∞ when λ_min ≤ 0). (Chen et al. 2021 and the thesis, §2.6.1,
 *   use its inverse λ_min/λ_max for architecture search.)
 * - Effective rank, two definitions on the eigenvalues clipped at 0, p_i = λ_i/Σλ:
 *   `participationRatio` = (Σλ)²/Σλ² and `entropy` = exp(−Σ p_i·log p_i) (Roy & Vetterli 2007).
 *   Both are n for a multiple of the identity and 1 for a rank-one kernel.
 * - Time scales: under df/dt = −η·Θ·(f − y)/(nk) the residual along eigenvector v_i decays as
 *   exp(−η·λ_i·t/(nk)) (./spectral.ts), so it falls by e after τ_i = n·k/(η·λ_i) (∞ for λ_i ≤ 0).
 *   This is the spectral bias: directions of small λ are learned last (thesis §2.6.2).
 * - Label energy: the fraction ‖v_iᵀ·Y‖²/‖Y‖² of the labels along each eigendirection.
 * - Complexity yᵀΘ⁻¹y, summed over the k outputs (Σ_c y_cᵀ·Θ⁻¹·y_c = tr(YᵀΘ⁻¹Y), the squared RKHS
 *   norm of the interpolant, = ‖θ_∞ − θ₀‖² of the linearised network from f₀ = 0; thesis eq. 2.133),
 *   and the bound term √(2·yᵀΘ⁻¹y/n) of Arora et al. 2019 (Thm 5.1; thesis eq. 2.143). The thesis
 *   prints the term without the square root (its digest's erratum 6: B = yᵀH⁻¹y is used as the
 *   radius of a Frobenius ball, while ‖θ_∞ − θ₀‖ = √B); we follow Arora et al. The bound is stated
 *   for two-layer ReLU networks, one output, |y| ≤ 1 and their kernel H^∞; here it is evaluated
 *   with the kernel as given (our NTK parameterisation, conventions §1). Both are null unless the
 *   (regularised) kernel is positive definite.
 * @module
 */
import { ShapeMismatchError } from '@wide/core';
import { InvalidOptionError } from './errors.js';
import { type LinalgOptions, matmulTransposed, resolveLinalg, symmetricEigen } from './linalg.js';
import { type Mat, readMat } from './matrix.js';
import { type RidgeOptions, checkLearningRate, ridgeOf, withRidge } from './options.js';

/** Options of {@link kernelDiagnostics}. */
export interface DiagnosticsOptions extends LinalgOptions, RidgeOptions {
  /** Learning rate η > 0 for the time scales (default 1). */
  learningRate?: number;
  /** Outputs k for the time scales when no labels are given (default 1). */
  outputs?: number;
}

/** The diagnostics of a train kernel; every per-direction array is in the order of `eigenvalues`. */
export interface KernelDiagnostics {
  /** Training points. */
  readonly n: number;
  /** Eigenvalues of the (regularised) kernel, descending: λ₁ ≥ λ₂ ≥ … ≥ λ_n. */
  readonly eigenvalues: Float64Array;
  /** How many eigenvalues are negative (a kernel that is not PSD, or rounding). */
  readonly negativeEigenvalues: number;
  /** λ_max/λ_min, Infinity when λ_min ≤ 0. */
  readonly conditionNumber: number;
  /** Effective ranks on max(λ, 0). */
  readonly effectiveRank: { readonly participationRatio: number; readonly entropy: number };
  /** τ_i = n·k/(η·λ_i): the time for the residual along eigendirection i to fall by e (Infinity for λ_i ≤ 0). */
  readonly timescales: Float64Array;
  /** ‖v_iᵀY‖²/‖Y‖² per eigendirection (null without labels, or when Y = 0). */
  readonly labelEnergy: Float64Array | null;
  /** yᵀΘ⁻¹y summed over outputs (null without labels or when the kernel is not positive definite). */
  readonly complexity: number | null;
  /** √(2·yᵀΘ⁻¹y/n), the Arora et al. 2019 bound term (null when `complexity` is). */
  readonly generalizationBound: number | null;
}

/** Diagnostics of an n×n train kernel and, optionally, its labels y (n×k). */
export function kernelDiagnostics(kernel: Mat, yTrain?: Mat, options: DiagnosticsOptions = {}): KernelDiagnostics {
  const K = readMat(kernel, 'the kernel', 'square', 'square');
  const n = K.rows;
  if (n === 0) throw new ShapeMismatchError('the kernel is empty (no training points)');
  const Y = yTrain !== undefined ? readMat(yTrain, 'yTrain', n, null) : null;
  const k = Y ? Y.cols : (options.outputs ?? 1);
  if (!(Number.isInteger(k) && k > 0)) throw new InvalidOptionError('outputs', `expected an integer > 0, got ${k}`);
  const eta = checkLearningRate(options.learningRate ?? 1);
  const la = resolveLinalg(n, options);
  const { values, vectors } = symmetricEigen(withRidge(K.data, n, ridgeOf(K.data, n, options)), n, la);
  // Descending order: position q holds ascending index n − 1 − q.
  const eigenvalues = new Float64Array(n);
  for (let q = 0; q < n; q++) eigenvalues[q] = values[n - 1 - q]!;
  let negatives = 0;
  let sum = 0;
  let sumSq = 0;
  for (const l of eigenvalues) {
    if (l < 0) negatives++;
    const c = Math.max(l, 0);
    sum += c;
    sumSq += c * c;
  }
  let entropy = 0;
  for (const l of eigenvalues) {
    const p = sum > 0 ? Math.max(l, 0) / sum : 0;
    if (p > 0) entropy -= p * Math.log(p);
  }
  const lMax = eigenvalues[0]!;
  const lMin = eigenvalues[n - 1]!;
  const timescales = eigenvalues.map((l) => (l > 0 ? (n * k) / (eta * l) : Infinity));
  let labelEnergy: Float64Array | null = null;
  let complexity: number | null = null;
  if (Y) {
    const proj = matmulTransposed(vectors, Y.data, n, n, k, la); // Vᵀ·Y, row p for ascending λ_p
    const energy = new Float64Array(n);
    let total = 0;
    let c = lMin > 0 ? 0 : null;
    for (let q = 0; q < n; q++) {
      const p = n - 1 - q;
      let e = 0;
      for (let j = 0; j < k; j++) e += proj[p * k + j]! ** 2;
      energy[q] = e;
      total += e;
      if (c !== null) c += e / values[p]!;
    }
    labelEnergy = total > 0 ? energy.map((e) => e / total) : null;
    complexity = c;
  }
  return {
    n,
    eigenvalues,
    negativeEigenvalues: negatives,
    conditionNumber: lMin > 0 ? lMax / lMin : Infinity,
    effectiveRank: { participationRatio: sumSq > 0 ? (sum * sum) / sumSq : 0, entropy: sum > 0 ? Math.exp(entropy) : 0 },
    timescales,
    labelEnergy,
    complexity,
    generalizationBound: complexity === null ? null : Math.sqrt((2 * complexity) / n),
  };
}
