/**
 * The coefficients of Gu et al. (2022), Theorems 1–2, layer by layer from τ_0 (= √(tr C°/p)), in
 * two variants.
 *
 * CK (Theorem 1, eqs. 7, 10, 11; α₅ from Appendix A.1), with the moments of {@link layerMoments}
 * at τ_{ℓ−1} and (α₁, α₂, α₃, α₄, α₅)_0 = (1, 0, 0, 1, 0):
 *   α_{ℓ,1} = E′²·α_{ℓ−1,1}
 *   α_{ℓ,2} = E′²·α_{ℓ−1,2} + ¼·E″²·α_{ℓ−1,4}²
 *   α_{ℓ,3} = E′²·α_{ℓ−1,3} + ½·E″²·α_{ℓ−1,1}²
 *   α_{ℓ,4} = D·α_{ℓ−1,4},  α_{ℓ,5} = D·α_{ℓ−1,5} + ¼·α_{ℓ−1,4}²·D₄
 * (the same in both variants).
 *
 * NTK (Theorem 2), β_0 = (1, 0, 0, 1), κ_0 = τ_0:
 * - `printed` (eqs. 12, 15 as printed): β_{ℓ,1} = α_{ℓ,1}, β_{ℓ,2} = α_{ℓ,2},
 *   β_{ℓ,3} = α_{ℓ,3} + β_{ℓ−1,1}·β_{ℓ,4}, β_{ℓ,4} = E″²·β_{ℓ−1,4},
 *   κ_ℓ² = τ_ℓ² + κ_{ℓ−1}²·E[σ′_{ℓ−1}(τ_{ℓ−2}ξ)²] with σ′_0 ≡ 1 (the printed index shift has no σ_0;
 *   we read it as the identity, so κ_1² = τ_1² + τ_0²).
 * - `corrected` (reference note §1.7, checked there against exact infinite-width kernels; our own
 *   re-derivation agrees: σ′ is not centred, so K′_CK,ℓ ≈ E′²·11ᵀ + E″²·K_CK,ℓ−1 + … off the
 *   diagonal, and its Hadamard product with K_NTK,ℓ−1 keeps an E′²·K_NTK,ℓ−1 term):
 *   β_{ℓ,1} = α_{ℓ,1} + E′²·β_{ℓ−1,1},  β_{ℓ,2} = α_{ℓ,2} + E′²·β_{ℓ−1,2},
 *   β_{ℓ,3} = α_{ℓ,3} + E′²·β_{ℓ−1,3} + E″²·α_{ℓ−1,1}·β_{ℓ−1,1},
 *   β_{ℓ,4} = E″²·α_{ℓ−1,1} (the linear coefficient of K′_CK,ℓ, what eq. 15's β₄ stands for),
 *   κ_ℓ² = τ_ℓ² + κ_{ℓ−1}²·E[σ′_ℓ(τ_{ℓ−1}ξ)²] (the diagonal of eq. 6).
 *
 * The identity term of K̃ also differs (see `equivalent.ts`): printed τ_ℓ² − τ_0²α₁ − τ_0⁴α₃,
 * corrected τ_ℓ² − τ_0²α₁ (likewise κ, β for the NTK).
 *
 * This module holds the recursion on the moments alone ({@link guRecursion}), so that moments in
 * closed form (e.g. of quantised activations) can be plugged in; `guCoefficients` computes them by
 * quadrature from activations.
 * @module
 */
import { InvalidRequestError, UndefinedMomentError } from '../errors.js';
import { positive } from '../validate.js';
import type { LayerMoments } from './moments.js';

/** Which formulas: Gu et al.'s as printed, or corrected (see the module comment). */
export type GuVariant = 'printed' | 'corrected';

/** One layer of {@link guRecursion}: its name (for errors) and its moments at an input scale τ. */
export interface MomentLayer {
  readonly name: string;
  /** The moments at input scale τ = τ_{ℓ−1} (σ centred: `tau` is the output scale of the centred σ). */
  moments(tau: number): LayerMoments;
}

/** Per-layer coefficients: arrays of length L for layers 1 … L. */
export interface GuRecursion {
  readonly variant: GuVariant;
  /** τ_0. */
  readonly tau0: number;
  /** τ_ℓ. */
  readonly tau: number[];
  /** α_{ℓ,1}: the weight of XᵀX in K̃_CK (eq. 10). */
  readonly alpha1: number[];
  /** α_{ℓ,2}: the weight of the t, ψ terms (eq. 10). */
  readonly alpha2: number[];
  /** α_{ℓ,3}: the weight of T (eq. 11). */
  readonly alpha3: number[];
  /** α_{ℓ,4}: the diagonal's response to χ_i (Theorem 1). */
  readonly alpha4: number[];
  /** α_{ℓ,5}: the diagonal's (t_i + ψ_i)² term (Appendix A.1). */
  readonly alpha5: number[];
  /** κ_ℓ (NaN when the NTK was not asked for). */
  readonly kappa: number[];
  /** β_{ℓ,1}: the weight of XᵀX in K̃_NTK (NaN without the NTK). */
  readonly beta1: number[];
  /** β_{ℓ,2}: the weight of the t, ψ terms in K̃_NTK. */
  readonly beta2: number[];
  /** β_{ℓ,3}: the weight of T in K̃_NTK. */
  readonly beta3: number[];
  /** β_{ℓ,4}: the linear coefficient of K′_CK,ℓ (see the module comment for each variant). */
  readonly beta4: number[];
  /** The moments of each layer, at the τ_{ℓ−1} of the chain. */
  readonly moments: LayerMoments[];
}

/** The recursions of Theorems 1–2 (module comment) over layers given by their moments. */
export function guRecursion(layers: readonly MomentLayer[], tau0: number, options: { variant?: GuVariant; ntk?: boolean } = {}): GuRecursion {
  positive('tau0', tau0);
  const variant = options.variant ?? 'corrected';
  if (variant !== 'printed' && variant !== 'corrected') throw new InvalidRequestError('variant', `expected "printed" or "corrected", got ${JSON.stringify(variant)}`);
  if (!Array.isArray(layers) || layers.length === 0) throw new InvalidRequestError('activations', 'expected at least one layer');
  const wantNtk = options.ntk ?? true;
  const out: GuRecursion = {
    variant,
    tau0,
    tau: [], alpha1: [], alpha2: [], alpha3: [], alpha4: [], alpha5: [],
    kappa: [], beta1: [], beta2: [], beta3: [], beta4: [],
    moments: [],
  };
  let tau = tau0;
  let a = [1, 0, 0, 1, 0];
  let b = [1, 0, 0, 1];
  let kappa2 = tau0 * tau0;
  let prevDerivativeSquare = 1; // σ′_0 ≡ 1 for the printed κ
  layers.forEach((layer, i) => {
    if (!(tau > 0)) throw new InvalidRequestError(`activations[${i}]`, `the input scale τ_${i} is ${tau}: the layer below outputs a constant, so the recursion stops`);
    const mo = layer.moments(tau);
    const e1 = mo.d1 * mo.d1;
    const e2 = mo.d2 * mo.d2;
    const next = [
      e1 * a[0]!,
      e1 * a[1]! + 0.25 * e2 * a[3]! ** 2,
      e1 * a[2]! + 0.5 * e2 * a[0]! ** 2,
      mo.D * a[3]!,
      mo.D * a[4]! + 0.25 * a[3]! ** 2 * mo.D4,
    ];
    const tauNext = mo.tau;
    if (wantNtk) {
      if (!Number.isFinite(mo.derivativeSquare)) {
        throw new UndefinedMomentError(layer.name, 'κ needs E[σ′(τξ)²], which does not exist: σ jumps (σ′ holds a delta); pass ntk: false for the CK coefficients alone');
      }
      if (variant === 'printed') {
        const b4 = e2 * b[3]!;
        b = [next[0]!, next[1]!, next[2]! + b[0]! * b4, b4];
        kappa2 = tauNext * tauNext + kappa2 * prevDerivativeSquare;
      } else {
        b = [next[0]! + e1 * b[0]!, next[1]! + e1 * b[1]!, next[2]! + e1 * b[2]! + e2 * a[0]! * b[0]!, e2 * a[0]!];
        kappa2 = tauNext * tauNext + kappa2 * mo.derivativeSquare;
      }
      prevDerivativeSquare = mo.derivativeSquare;
    }
    a = next;
    tau = tauNext;
    out.tau.push(tau);
    out.alpha1.push(a[0]!);
    out.alpha2.push(a[1]!);
    out.alpha3.push(a[2]!);
    out.alpha4.push(a[3]!);
    out.alpha5.push(a[4]!);
    out.kappa.push(wantNtk ? Math.sqrt(kappa2) : NaN);
    out.beta1.push(wantNtk ? b[0]! : NaN);
    out.beta2.push(wantNtk ? b[1]! : NaN);
    out.beta3.push(wantNtk ? b[2]! : NaN);
    out.beta4.push(wantNtk ? b[3]! : NaN);
    out.moments.push(mo);
  });
  return out;
}
