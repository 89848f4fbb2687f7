/**
 * The infinite-width kernels that Gu et al.'s equivalents approximate, computed exactly entry by
 * entry from a closed-form pair rule (a second method for tests and figures): with centred
 * activations σ_ℓ − m_ℓ (m_ℓ a constant, Remark 1) and (u, v) ~ N(0, [[q_i, c], [c, q_j]]) from the
 * previous layer's CK K_{ℓ−1} (eq. 5),
 *
 *   [K_CK,ℓ]_ij = E[σ(u)σ(v)] − m_ℓ·(μ(q_i) + μ(q_j)) + m_ℓ²,   μ(q) = E σ(√q·ξ),
 *   K_NTK,ℓ = K_CK,ℓ + K_NTK,ℓ−1 ⊙ K′_CK,ℓ,  [K′_CK,ℓ]_ij = E[σ′(u)σ′(v)]   (eq. 6),
 *
 * from K_CK,0 = K_NTK,0 = XᵀX. E[σσ] and E[σ′σ′] come from the rule (e.g. `relu().rule` of
 * `@wide/layers`: the arc-cosine kernels), μ(q) by quadrature.
 * @module
 */
import { type Backend, type PairRule, cpuBackend } from '@wide/core';
import { type ScalarActivation, breaksOf } from '../activation/activation.js';
import { gaussianExpectation } from '../activation/gaussian.js';
import { InvalidRequestError } from '../errors.js';

/** One layer: the activation's pair rule, the activation itself (for μ(q)) and its centring constant. */
export interface ExactLayer {
  readonly rule: Pick<PairRule, 'nngp' | 'dnngp'>;
  readonly activation: ScalarActivation;
  /** m_ℓ, subtracted from σ (default 0). */
  readonly centering?: number;
}

/** The exact CK (and NTK) of the last layer, n×n row-major. */
export function exactKernels(x: Float64Array, n: number, p: number, layers: readonly ExactLayer[], options: { ntk?: boolean; backend?: Backend } = {}): { ck: Float64Array; ntk: Float64Array | null } {
  if (x.length !== n * p) throw new InvalidRequestError('x', `expected n×p = ${n * p} numbers, got ${x.length}`);
  const backend = options.backend ?? cpuBackend;
  const g = backend.gram(x, null, n, n, 1, p, 1);
  let k = Float64Array.from(g);
  backend.release?.(g);
  let theta = options.ntk ? Float64Array.from(k) : null;
  for (const layer of layers) {
    const m = layer.centering ?? 0;
    const br = breaksOf(layer.activation);
    const q = Float64Array.from({ length: n }, (_, i) => k[i * n + i]!);
    const mu = Float64Array.from(q, (qi) => (m === 0 ? 0 : gaussianExpectation(layer.activation.fn, Math.sqrt(qi), br)));
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const c = k[i * n + j]!;
        const v = layer.rule.nngp(q[i]!, q[j]!, c) - m * (mu[i]! + mu[j]!) + m * m;
        next[i * n + j] = next[j * n + i] = v;
        if (theta) {
          const t = v + theta[i * n + j]! * layer.rule.dnngp(q[i]!, q[j]!, c);
          theta[i * n + j] = theta[j * n + i] = t;
        }
      }
    }
    k = next;
  }
  return { ck: k, ntk: theta };
}
