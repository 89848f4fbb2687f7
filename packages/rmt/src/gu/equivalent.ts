/**
 * The asymptotic equivalents of Gu et al. (2022), Theorems 1–2, for Gaussian-mixture data:
 *
 *   K̃_CK,ℓ = α_{ℓ,1}·XᵀX + V·A_ℓ·Vᵀ + c·I,   V = [J/√p, ψ],
 *   A_ℓ = [[α_{ℓ,2}ttᵀ + α_{ℓ,3}T, α_{ℓ,2}t], [α_{ℓ,2}tᵀ, α_{ℓ,2}]]            (eqs. 8–9)
 *
 * and K̃_NTK,ℓ the same with β in place of α (eqs. 13–14). The identity coefficient c:
 * - `printed`: τ_ℓ² − τ_0²α_{ℓ,1} − τ_0⁴α_{ℓ,3} (CK), κ_ℓ² − τ_0²β_{ℓ,1} − τ_0⁴β_{ℓ,3} (NTK);
 * - `corrected`: τ_ℓ² − τ_0²α_{ℓ,1} (CK), κ_ℓ² − τ_0²β_{ℓ,1} (NTK). The diagonal of (z_iᵀz_j/p)² is
 *   ≈ τ_0⁴, but that diagonal is not part of V·A·Vᵀ (J·T·Jᵀ/p adds only O(1/p) there), so subtracting
 *   α₃τ_0⁴ counts it twice (reference note §1.6, where the exact kernels confirm it).
 * The variant is the coefficients' own (`GuCoefficients.variant`). V·A·Vᵀ is formed entry by entry
 * from the class labels (J is one-hot): (VAVᵀ)_ij = A_{a_i a_j}/p + (A_{a_i,K}ψ_j + ψ_iA_{K,a_j})/√p + A_{KK}ψ_iψ_j.
 * @module
 */
import { type Backend, cpuBackend } from '@wide/core';
import { InvalidRequestError } from '../errors.js';
import type { GuCoefficients } from './coefficients.js';
import type { GaussianMixture } from './gmm.js';

/** Options of {@link ckEquivalent} and {@link ntkEquivalent}. */
export interface EquivalentOptions {
  /** The layer ℓ (1 … L, default L). */
  layer?: number;
  /** Backend for XᵀX (default CPU). */
  backend?: Backend;
}

function layerIndex(c: GuCoefficients, layer: number | undefined): number {
  const L = c.tau.length;
  const l = layer ?? L;
  if (!Number.isInteger(l) || l < 1 || l > L) throw new InvalidRequestError('layer', `expected an integer in [1, ${L}], got ${l}`);
  return l - 1;
}

function assemble(data: GaussianMixture, linear: number, a2: number, a3: number, identity: number, backend: Backend): Float64Array {
  const { n, p, classes: K, labels } = data;
  const { t, T, psi } = data.stats;
  const out = backend.gram(data.x, null, n, n, 1, p, linear);
  const result = Float64Array.from(out);
  backend.release?.(out);
  // A blocks: A_ab = α2·t_a·t_b + α3·T_ab, A_aK = α2·t_a, A_KK = α2.
  const A = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) A[a * K + b] = a2 * t[a]! * t[b]! + a3 * T[a * K + b]!;
  const sp = 1 / Math.sqrt(p);
  for (let i = 0; i < n; i++) {
    const ai = labels[i]!;
    const ci = a2 * t[ai]! * sp;
    for (let j = 0; j < n; j++) {
      const aj = labels[j]!;
      result[i * n + j]! += A[ai * K + aj]! / p + ci * psi[j]! + psi[i]! * a2 * t[aj]! * sp + a2 * psi[i]! * psi[j]!;
    }
    result[i * n + i]! += identity;
  }
  return result;
}

/** K̃_CK,ℓ (n×n, row-major) of Theorem 1 for `data` (module comment). */
export function ckEquivalent(data: GaussianMixture, c: GuCoefficients, options: EquivalentOptions = {}): Float64Array {
  const l = layerIndex(c, options.layer);
  const t0 = c.tau0;
  const identity = c.tau[l]! ** 2 - t0 * t0 * c.alpha1[l]! - (c.variant === 'printed' ? t0 ** 4 * c.alpha3[l]! : 0);
  return assemble(data, c.alpha1[l]!, c.alpha2[l]!, c.alpha3[l]!, identity, options.backend ?? cpuBackend);
}

/** K̃_NTK,ℓ (n×n, row-major) of Theorem 2 for `data` (module comment); needs the coefficients with the NTK. */
export function ntkEquivalent(data: GaussianMixture, c: GuCoefficients, options: EquivalentOptions = {}): Float64Array {
  const l = layerIndex(c, options.layer);
  if (!Number.isFinite(c.kappa[l]!)) throw new InvalidRequestError('coefficients', 'these coefficients have no NTK part (computed with ntk: false)');
  const t0 = c.tau0;
  const identity = c.kappa[l]! ** 2 - t0 * t0 * c.beta1[l]! - (c.variant === 'printed' ? t0 ** 4 * c.beta3[l]! : 0);
  return assemble(data, c.beta1[l]!, c.beta2[l]!, c.beta3[l]!, identity, options.backend ?? cpuBackend);
}
