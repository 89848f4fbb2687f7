/**
 * The activation constants of Fan & Wang (2020), eq. (7), for ξ ~ N(0, 1):
 *
 *   b_σ = E[σ′(ξ)],  a_σ = E[σ′(ξ)²],  q_ℓ = (b_σ²)^{L−ℓ},  r_ℓ = a_σ^{L−ℓ},  r₊ = Σ_{ℓ=0}^{L−1} (r_ℓ − q_ℓ),
 *
 * by quadrature ({@link gaussianExpectation}; b_σ through Stein's identity E[σ′(ξ)] = E[ξσ(ξ)]),
 * and the normalisation their Assumption 3.2(b) asks for: E σ(ξ) = 0 and E σ(ξ)² = 1. With one
 * activation per layer (σ_ℓ, all normalised) the same derivation gives q_ℓ = Π_{k=ℓ+1}^{L} b_k² and
 * r_ℓ = Π_{k=ℓ+1}^{L} a_k [derived: the diagonal and off-diagonal limits of S_kᵀS_k in Lemma 3.5
 * multiply layer by layer], which reduce to eq. (7) when all σ_ℓ agree. A model takes |b_σ| < 1e-12 as
 * 0 (an odd or even σ gives E σ′ = 0 exactly, the quadrature ≈ 1e-17).
 * @module
 */
import { NormalisationError, UndefinedMomentError } from '../errors.js';
import { type ScalarActivation, breaksOf, derivativeOf } from '../activation/activation.js';
import { converges, gaussianExpectation, standardNormalExpectation } from '../activation/gaussian.js';

/** The Gaussian constants of one activation (ξ ~ N(0, 1)). */
export interface ActivationConstants {
  /** E σ(ξ). */
  readonly mean: number;
  /** E σ(ξ)². */
  readonly secondMoment: number;
  /** b_σ = E[σ′(ξ)] (Stein: E[ξσ(ξ)], a distributional derivative, so it exists for sign and step too). */
  readonly b: number;
  /** a_σ = E[σ′(ξ)²]; NaN when σ jumps (σ′ holds a delta, so the moment does not exist). */
  readonly a: number;
}

/** The constants of eq. (7) for one activation (at unit input variance). */
export function activationConstants(act: ScalarActivation): ActivationConstants {
  const br = breaksOf(act);
  const mean = gaussianExpectation(act.fn, 1, br);
  const secondMoment = gaussianExpectation((x) => act.fn(x) ** 2, 1, br);
  const b = gaussianExpectation((x) => x * act.fn(x), 1, br);
  const d = derivativeOf(act);
  const a = act.jumps && act.jumps.length > 0 ? NaN : gaussianExpectation((x) => d(x) ** 2, 1, br);
  return { mean, secondMoment, b, a };
}

/** a_σ, or an {@link UndefinedMomentError} naming the activation when it does not exist. */
export function requireA(act: ScalarActivation, c: ActivationConstants): number {
  if (!Number.isFinite(c.a)) {
    throw new UndefinedMomentError(act.name, `a_σ = E[σ′(ξ)²] does not exist: σ jumps at ${(act.jumps ?? []).join(', ')} (σ′ holds a delta); the NTK limit needs it, the CK limit does not`);
  }
  return c.a;
}

/**
 * σ̃ = (σ − E σ(ξ))/sd σ(ξ), the normalisation of Fan & Wang's Assumption 3.2(b). Throws a
 * {@link NormalisationError} when none exists: σ is constant almost everywhere (variance 0) or its
 * Gaussian moments are not finite.
 */
export function normalizeActivation(act: ScalarActivation): ScalarActivation & { readonly shift: number; readonly scale: number } {
  const br = breaksOf(act);
  const mean = gaussianExpectation(act.fn, 1, br);
  const tail = { value: 0 };
  const second = standardNormalExpectation((x) => act.fn(x) ** 2, br, tail);
  const variance = second - mean * mean;
  if (!converges(second, tail.value)) {
    throw new NormalisationError(act.name, `no normalisation exists: E σ(ξ)² is not finite (σ² grows too fast for the Gaussian weight)`);
  }
  if (!(variance > 1e-12 * Math.max(1, second))) {
    throw new NormalisationError(act.name, `no normalisation exists: σ(ξ) has variance ${variance.toPrecision(3)} (σ is constant almost everywhere), so E σ² = 1 with E σ = 0 cannot be reached by a shift and a scale`);
  }
  const sd = Math.sqrt(variance);
  const d = derivativeOf(act);
  return {
    name: `(${act.name} − ${mean.toPrecision(6)})/${sd.toPrecision(6)}`,
    fn: (x) => (act.fn(x) - mean) / sd,
    dfn: (x) => d(x) / sd,
    ...(act.kinks ? { kinks: act.kinks } : {}),
    ...(act.jumps ? { jumps: act.jumps } : {}),
    shift: mean,
    scale: 1 / sd,
  };
}

/**
 * Throws a {@link NormalisationError} unless E σ(ξ) = 0 and E σ(ξ)² = 1 within `tol` (Fan & Wang's
 * Assumption 3.2(b)), suggesting {@link normalizeActivation}.
 */
export function checkNormalised(act: ScalarActivation, c: ActivationConstants, tol = 1e-6): void {
  if (Math.abs(c.mean) > tol || Math.abs(c.secondMoment - 1) > tol) {
    const show = (v: number) => (Math.abs(v) < 1e-12 ? '0' : String(Number(v.toPrecision(6))));
    throw new NormalisationError(act.name, `not normalised: E σ(ξ) = ${show(c.mean)}, E σ(ξ)² = ${show(c.secondMoment)} (Fan–Wang need 0 and 1); pass normalize: true or use normalizeActivation`);
  }
}

/** The Lemma 3.5 constants q_ℓ, r_ℓ (ℓ = 0 … L−1) and r₊ from per-layer b_ℓ, a_ℓ (ℓ = 1 … L). */
export interface Lemma35Constants {
  /** q_ℓ = Π_{k=ℓ+1}^{L} b_k². */
  readonly q: number[];
  /** r_ℓ = Π_{k=ℓ+1}^{L} a_k. */
  readonly r: number[];
  /** r₊ = Σ_ℓ (r_ℓ − q_ℓ). */
  readonly rPlus: number;
}

/** See {@link Lemma35Constants}; `a` may be omitted (NaN r, r₊) when only q is needed. */
export function lemma35Constants(b: readonly number[], a?: readonly number[]): Lemma35Constants {
  const L = b.length;
  const q = new Array<number>(L);
  const r = new Array<number>(L);
  let pq = 1;
  let pr = 1;
  for (let l = L - 1; l >= 0; l--) {
    pq *= b[l]! ** 2;
    pr *= a ? a[l]! : NaN;
    q[l] = pq;
    r[l] = pr;
  }
  const rPlus = r.reduce((s, v, i) => s + v - q[i]!, 0);
  return { q, r, rPlus };
}
