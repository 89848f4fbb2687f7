/**
 * Fan & Wang (2020) for a network X_ℓ = σ_ℓ(W_ℓX_{ℓ−1})/√d_ℓ with N(0, 1) weights, n samples and
 * γ_ℓ = n/d_ℓ: the limit spectra of the conjugate kernel X_ℓᵀX_ℓ at every layer (Theorem 3.4,
 * μ_ℓ = ρ^MP_{γ_ℓ} ⊠ ((1 − b_ℓ²) + b_ℓ²·μ_{ℓ−1}), eq. 8), of the NTK (Theorem 3.7 with the Lemma 3.5
 * constants) and of the NTK with per-layer learning rates τ_1 … τ_{L+1} and k outputs
 * (Theorem 3.8: m_NTK(z) = t_L((−z + Σ_ℓ τ_{ℓ+1}(r_ℓ − q_ℓ), τ_1q_0, …, τ_Lq_{L−1}, τ_{L+1}), e_1), the
 * same law for every k ≥ 1).
 * @module
 */
import { InvalidRequestError } from '../errors.js';
import { type ScalarActivation, perLayer } from '../activation/activation.js';
import type { SpectralLaw } from '../spectral/law.js';
import { positiveList } from '../validate.js';
import { type ActivationConstants, type Lemma35Constants, activationConstants, checkNormalised, lemma35Constants, normalizeActivation, requireA } from './constants.js';
import { type FanWangLaw, fanWangLaw } from './law.js';
import type { RecursionModel } from './recursion.js';

/** A Fan–Wang model: the input law, the aspect ratios and the activation constants per layer. */
export interface FanWangModel {
  /** Depth L. */
  readonly depth: number;
  /** μ_0, the limit spectrum of X_0ᵀX_0. */
  readonly input: SpectralLaw;
  /** γ_ℓ = n/d_ℓ, ℓ = 1 … L. */
  readonly gammas: readonly number[];
  /** b_ℓ = E[σ_ℓ′(ξ)], ℓ = 1 … L. */
  readonly b: readonly number[];
  /** a_ℓ = E[σ_ℓ′(ξ)²] (NaN where it does not exist: then only the CK limits are available). */
  readonly a: readonly number[];
  /** The activations as used (normalised when asked), when the model was built from activations. */
  readonly activations?: readonly ScalarActivation[];
  /** Their constants (E σ, E σ², b, a). */
  readonly constants?: readonly ActivationConstants[];
  /** q_ℓ, r_ℓ, r₊ of Lemma 3.5 (eq. 7); throws when some a_ℓ does not exist. */
  lemma35(): Lemma35Constants;
  /** The CK limit μ_ℓ of X_ℓᵀX_ℓ (Theorem 3.4), ℓ = 0 … L (default L; 0 is μ_0 itself). */
  ck(layer?: number): FanWangLaw;
  /** μ_1 … μ_L. */
  cks(): FanWangLaw[];
  /**
   * The NTK limit (Theorem 3.7 via Lemma 3.5); with `learningRates` τ_1 … τ_{L+1} (one per weight
   * matrix, the read-out last), Theorem 3.8's, whose law is the same for any number of outputs.
   */
  ntk(options?: { learningRates?: readonly number[] }): FanWangLaw;
  /** The limit of spec(identity·Id + Σ_ℓ layers[ℓ]·X_ℓᵀX_ℓ), ℓ = 0 … L (Theorem 3.7). */
  combination(coefficients: { identity?: number; layers: readonly number[] }): FanWangLaw;
}

/** Options of {@link fanWangFromConstants}. */
export interface FanWangConstantsOptions {
  /** μ_0: e.g. `marchenkoPastur(γ0)` for i.i.d. Gaussian inputs, or `empiricalLaw(eigenvalues of XᵀX)`. */
  input: SpectralLaw;
  /** γ_ℓ = n/d_ℓ for ℓ = 1 … L (n samples over the width of layer ℓ). */
  gammas: readonly number[];
  /** b_ℓ = E[σ_ℓ′(ξ)] per layer, or one for all. */
  b: number | readonly number[];
  /** a_ℓ = E[σ_ℓ′(ξ)²] per layer, or one for all (needed by the NTK only). */
  a?: number | readonly number[];
}

function expand(name: string, v: number | readonly number[] | undefined, L: number): number[] {
  if (v === undefined) return new Array<number>(L).fill(NaN);
  const list = typeof v === 'number' ? new Array<number>(L).fill(v) : [...v];
  if (list.length !== L) throw new InvalidRequestError(name, `expected one number or ${L} (one per layer), got ${list.length}`);
  list.forEach((x, i) => {
    if (!Number.isFinite(x) && !(name === 'a' && Number.isNaN(x))) throw new InvalidRequestError(`${name}[${i}]`, `expected a finite number, got ${x}`);
  });
  return list;
}

function checkInput(input: SpectralLaw): void {
  if (!input || typeof input.stieltjes !== 'function') throw new InvalidRequestError('input', 'expected a spectral law (e.g. marchenkoPastur(gamma0) or empiricalLaw(eigenvalues))');
}

/** A Fan–Wang model from the constants b_ℓ (and a_ℓ) directly. */
export function fanWangFromConstants(options: FanWangConstantsOptions, extra: { activations?: ScalarActivation[]; constants?: ActivationConstants[] } = {}): FanWangModel {
  checkInput(options.input);
  const gammas = positiveList('gammas', options.gammas);
  const L = gammas.length;
  // |b| < 1e-12 is 0: for odd/even symmetric σ the quadrature leaves ≈ 1e-17 where E σ′ = 0 exactly.
  const b = expand('b', options.b, L).map((v) => (Math.abs(v) < 1e-12 ? 0 : v));
  const a = expand('a', options.a, L);
  const rec: RecursionModel = { input: options.input, gammas, b2: b.map((v) => v * v) };
  const truncated = (l: number): RecursionModel => ({ input: rec.input, gammas: gammas.slice(0, l), b2: rec.b2.slice(0, l) });
  const lemma35 = () => {
    a.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        const act = extra.activations?.[i];
        if (act && extra.constants) requireA(act, extra.constants[i]!);
        throw new InvalidRequestError(`a[${i}]`, 'a_σ = E[σ′(ξ)²] is needed for the NTK but was not given');
      }
    });
    return lemma35Constants(b, a);
  };
  const combination = (c: { identity?: number; layers: readonly number[] }, name?: string): FanWangLaw => {
    if (!c || !Array.isArray(c.layers) || c.layers.length === 0 || c.layers.length > L + 1) {
      throw new InvalidRequestError('layers', `expected 1 to ${L + 1} layer coefficients (layers 0 … ${L}), got ${Array.isArray(c?.layers) ? c.layers.length : String(c?.layers)}`);
    }
    const depth = c.layers.length - 1;
    return fanWangLaw(truncated(depth), [c.identity ?? 0, ...c.layers], name ?? `Fan–Wang combination (${c.identity ?? 0}; ${c.layers.join(', ')})`);
  };
  const ck = (layer = L): FanWangLaw => {
    if (!Number.isInteger(layer) || layer < 0 || layer > L) throw new InvalidRequestError('layer', `expected an integer in [0, ${L}], got ${layer}`);
    const layers = new Array<number>(layer + 1).fill(0);
    layers[layer] = 1;
    return combination({ identity: 0, layers }, `Fan–Wang CK, layer ${layer}`);
  };
  return {
    depth: L,
    input: options.input,
    gammas,
    b,
    a,
    ...(extra.activations ? { activations: extra.activations } : {}),
    ...(extra.constants ? { constants: extra.constants } : {}),
    lemma35,
    ck,
    cks: () => gammas.map((_, i) => ck(i + 1)),
    ntk(opts = {}) {
      const { q, r } = lemma35();
      const tau = opts.learningRates ? positiveList('learningRates', opts.learningRates) : new Array<number>(L + 1).fill(1);
      if (tau.length !== L + 1) throw new InvalidRequestError('learningRates', `expected ${L + 1} numbers (τ_1 … τ_${L + 1}: one per weight matrix, the read-out last), got ${tau.length}`);
      let identity = 0;
      for (let l = 0; l < L; l++) identity += tau[l]! * (r[l]! - q[l]!);
      const layers = [...q.map((v, l) => tau[l]! * v), tau[L]!];
      const name = opts.learningRates ? `Fan–Wang NTK, learning rates [${tau.join(', ')}]` : 'Fan–Wang NTK';
      return combination({ identity, layers }, name);
    },
    combination: (c) => combination(c),
  };
}

/** Options of {@link fanWang}. */
export interface FanWangOptions {
  /** μ_0: e.g. `marchenkoPastur(γ0)` for i.i.d. Gaussian inputs, or `empiricalLaw(eigenvalues of XᵀX)`. */
  input: SpectralLaw;
  /** γ_ℓ = n/d_ℓ for ℓ = 1 … L. */
  gammas: readonly number[];
  /** σ for every layer, or one per layer. */
  activations: ScalarActivation | readonly ScalarActivation[];
  /** Normalise each activation to E σ(ξ) = 0, E σ(ξ)² = 1 first (default false: they must already be, Assumption 3.2(b)). */
  normalize?: boolean;
}

/** A Fan–Wang model from activations: their constants b_ℓ, a_ℓ by quadrature (see {@link activationConstants}). */
export function fanWang(options: FanWangOptions): FanWangModel {
  checkInput(options.input);
  const gammas = positiveList('gammas', options.gammas);
  const normalised = new Map<ScalarActivation, ScalarActivation>();
  const acts = perLayer(options.activations, gammas.length).map((a) => {
    if (!options.normalize) return a;
    let n = normalised.get(a);
    if (!n) {
      n = normalizeActivation(a);
      normalised.set(a, n);
    }
    return n;
  });
  const cache = new Map<ScalarActivation, ActivationConstants>();
  const constants = acts.map((act) => {
    let c = cache.get(act);
    if (!c) {
      c = activationConstants(act);
      cache.set(act, c);
    }
    checkNormalised(act, c);
    return c;
  });
  return fanWangFromConstants({ input: options.input, gammas, b: constants.map((c) => c.b), a: constants.map((c) => c.a) }, { activations: acts, constants });
}
