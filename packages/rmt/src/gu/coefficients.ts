/**
 * The coefficients of Gu et al. (2022), Theorems 1–2, for activations σ_1 … σ_L from τ_0: their
 * moments by quadrature ({@link layerMoments}) along the τ chain, then the recursions of
 * {@link guRecursion} (the formulas, in both variants, are documented there). Activations are
 * centred at every layer by default (σ_ℓ − E σ_ℓ(τ_{ℓ−1}ξ), Remark 1), as the theorems assume; with
 * `center: false` a non-centred activation is an error.
 * @module
 */
import { InvalidRequestError } from '../errors.js';
import { type ScalarActivation } from '../activation/activation.js';
import { centred, layerMoments } from './moments.js';
import { type GuRecursion, type GuVariant, guRecursion } from './recursion.js';

/** Options of {@link guCoefficients}. */
export interface GuCoefficientOptions {
  /** Default `corrected`. */
  variant?: GuVariant;
  /** Centre every activation by its Gaussian mean at τ_{ℓ−1} (default true). */
  center?: boolean;
  /** Also κ and β (default true); needs E[σ′²], which activations with jumps lack. */
  ntk?: boolean;
}

/** The recursion's coefficients plus the centring of each layer. */
export interface GuCoefficients extends GuRecursion {
  /** The centring constants m_ℓ = E σ_ℓ(τ_{ℓ−1}ξ) (0 when not centred). */
  readonly centering: number[];
  /** The centred activations σ_ℓ − m_ℓ (what a finite network must use to match). */
  readonly activations: ScalarActivation[];
}

/** The coefficients of Theorems 1–2 for the activations σ_1 … σ_L from τ_0 (see the module comment). */
export function guCoefficients(acts: readonly ScalarActivation[], tau0: number, options: GuCoefficientOptions = {}): GuCoefficients {
  if (!Array.isArray(acts) || acts.length === 0) throw new InvalidRequestError('activations', 'expected at least one activation');
  const center = options.center ?? true;
  const layers = acts.map((act, i) => {
    if (!act || typeof act.fn !== 'function') throw new InvalidRequestError(`activations[${i}]`, 'expected an activation with a function fn');
    return {
      name: act.name,
      moments: (tau: number) => {
        const mo = layerMoments(act, tau);
        if (!center && Math.abs(mo.mean) > 1e-9 * Math.max(1, mo.tau)) {
          throw new InvalidRequestError(`activations[${i}]`, `${act.name} is not centred at τ_${i} = ${tau.toPrecision(6)}: E σ(τξ) = ${mo.mean.toPrecision(6)} (Theorems 1–2 assume 0); pass center: true`);
        }
        return mo;
      },
    };
  });
  const r = guRecursion(layers, tau0, options);
  const centering = r.moments.map((mo) => (center ? mo.mean : 0));
  return { ...r, centering, activations: acts.map((act, i) => centred(act, centering[i]!)) };
}
