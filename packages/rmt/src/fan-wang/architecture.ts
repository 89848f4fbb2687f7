/**
 * A Fan–Wang model from the architecture JSON (what `wide spectrum` needs): the dense stack of
 * {@link networkFromArchitecture} with γ_ℓ = n/width_ℓ, the activations (each dense layer's wStd
 * folded in) and the read-out's scale. A read-out with wStd = s multiplies every gradient by s, so
 * the JSON network's NTK is s²·K^NTK: Theorem 3.8 with every learning rate τ_ℓ = s², which
 * `learningRates` holds for `model.ntk({ learningRates })`.
 * @module
 */
import { type DenseNetwork, networkFromArchitecture } from '../activation/architecture.js';
import type { SpectralLaw } from '../spectral/law.js';
import { integerAtLeast } from '../validate.js';
import { type FanWangModel, fanWang } from './model.js';

/** Options of {@link fanWangFromArchitecture}. */
export interface FanWangArchitectureOptions {
  /** n, the number of samples (γ_ℓ = n/width_ℓ). */
  n: number;
  /** μ_0: `marchenkoPastur(γ0)` or `empiricalLaw(eigenvalues of XᵀX)`. */
  input: SpectralLaw;
  /** Normalise each activation (E σ(ξ) = 0, E σ(ξ)² = 1) first; default false. */
  normalize?: boolean;
}

/** The model, the network it was read from, and the learning rates that give the JSON network's NTK. */
export function fanWangFromArchitecture(json: unknown, options: FanWangArchitectureOptions): { model: FanWangModel; network: DenseNetwork; learningRates: number[] } {
  const n = integerAtLeast('n', options.n, 1);
  const network = networkFromArchitecture(json);
  const model = fanWang({ input: options.input, gammas: network.widths.map((w) => n / w), activations: network.activations, normalize: options.normalize ?? false });
  const s2 = network.readout ? network.readout.wStd ** 2 : 1;
  return { model, network, learningRates: new Array<number>(network.widths.length + 1).fill(s2) };
}
