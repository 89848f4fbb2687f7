/**
 * The Gaussian moments of one layer in Gu et al. (2022), Theorems 1–2, at input scale τ = τ_{ℓ−1}
 * (ξ ~ N(0, 1)), for an activation σ centred by its Gaussian mean m = E σ(τξ) (Remark 1: centring
 * subtracts a constant from the layer's output), σ_c = σ − m. By Stein's identities (so jumps are
 * handled distributionally, reference note §1.3):
 *
 * - τ_ℓ² = E[σ_c(τξ)²]                                                     (eq. 7)
 * - E′ = E[σ′(τξ)] = E[ξ·σ(τξ)]/τ,  E″ = E[σ″(τξ)] = E[(ξ² − 1)·σ(τξ)]/τ²
 * - D = E[σ_c′² + σ_c·σ_c″] = ½·E[(σ_c²)″] = ½·E[(ξ² − 1)·σ_c(τξ)²]/τ²       (the α₄ factor)
 * - D₄ = E[σ_cσ_c⁗ + 4σ_c′σ_c‴ + 3σ_c″²] = ½·E[(σ_c²)⁗] = ½·E[He₄(ξ)·σ_c(τξ)²]/τ⁴ (the α₅ term, App. A.1)
 * - E[σ′(τξ)²] (the NTK's κ), which needs σ′ as a function: it does not exist when σ jumps.
 *
 * For centred ReLU at τ: E′ = ½, E″ = 1/(√(2π)τ), 2D = 1 − 1/π, τ_ℓ² = τ²(½ − 1/(2π)) (§1.3; tested).
 * @module
 */
import { type ScalarActivation, breaksOf, derivativeOf } from '../activation/activation.js';
import { standardNormalExpectation } from '../activation/gaussian.js';
import { positive } from '../validate.js';

/** The moments of one layer (see the module comment). */
export interface LayerMoments {
  /** τ = τ_{ℓ−1}, the input scale. */
  readonly tauIn: number;
  /** m = E σ(τξ), the centring constant. */
  readonly mean: number;
  /** τ_ℓ = √E[σ_c(τξ)²]. */
  readonly tau: number;
  /** E′ = E[σ′(τξ)]. */
  readonly d1: number;
  /** E″ = E[σ″(τξ)]. */
  readonly d2: number;
  /** D = ½·E[(σ_c²)″(τξ)]. */
  readonly D: number;
  /** D₄ = ½·E[(σ_c²)⁗(τξ)]. */
  readonly D4: number;
  /** E[σ′(τξ)²]; NaN when σ jumps. */
  readonly derivativeSquare: number;
}

/** The moments of `act` at input scale τ (see the module comment). */
export function layerMoments(act: ScalarActivation, tau: number): LayerMoments {
  positive('tau', tau);
  const f = act.fn;
  const br = breaksOf(act).map((b) => b / tau);
  const E = (g: (xi: number) => number) => standardNormalExpectation(g, br);
  const mean = E((xi) => f(tau * xi));
  const c = (xi: number) => f(tau * xi) - mean;
  const tau2 = E((xi) => c(xi) ** 2);
  const d1 = E((xi) => xi * f(tau * xi)) / tau;
  const d2 = E((xi) => (xi * xi - 1) * f(tau * xi)) / (tau * tau);
  const D = (0.5 * E((xi) => (xi * xi - 1) * c(xi) ** 2)) / (tau * tau);
  const D4 = (0.5 * E((xi) => (xi ** 4 - 6 * xi * xi + 3) * c(xi) ** 2)) / tau ** 4;
  const df = derivativeOf(act);
  const derivativeSquare = act.jumps && act.jumps.length > 0 ? NaN : E((xi) => df(tau * xi) ** 2);
  return { tauIn: tau, mean, tau: Math.sqrt(Math.max(0, tau2)), d1, d2, D, D4, derivativeSquare };
}

/** σ − m as an activation (same σ′, kinks and jumps). */
export function centred(act: ScalarActivation, m: number): ScalarActivation {
  return { ...act, name: m === 0 ? act.name : `${act.name} − ${m.toPrecision(6)}`, fn: (x) => act.fn(x) - m };
}
