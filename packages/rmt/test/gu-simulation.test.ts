// Acceptance: for Gaussian-mixture data, ‖K_CK − K̃_CK‖/‖K_CK‖ decreases as n and p grow, for ReLU
// and a polynomial activation, with Gaussian and symmetric Bernoulli weights. K_CK = E_W[X_LᵀX_L]
// (Gu et al. 2022, eq. 4) is estimated by the mean over independent finite networks (three layers
// of width 256; 16 networks at n = 64, 32 at n = 256), so the figure also holds the Monte-Carlo
// error (≈ 0.1 here): the sizes are small so that this test stays fast, and the exact-kernel test
// in gu.test.ts covers larger ones.
import { describe, expect, it } from 'vitest';
import { activations as A, basisMean, ckEquivalent, gaussianMixture, guCoefficients, simulateNetwork, spectralNorm, type ScalarActivation, type WeightLaw } from '../src/index.js';

const rel = (k: Float64Array, kt: Float64Array, n: number) => spectralNorm(Float64Array.from(k, (v, i) => v - kt[i]!), n, { tol: 1e-6 }) / spectralNorm(k, n, { tol: 1e-6 });

function error(act: ScalarActivation, weights: WeightLaw, n: number, draws: number): number {
  const p = 2 * n;
  const data = gaussianMixture({ p, classSizes: [n / 2, n / 2], means: [basisMean(p, 0, 8), basisMean(p, 8, 8)], covariances: [1, 1 + 8 / Math.sqrt(p)], seed: 3 });
  const c = guCoefficients([act, act, act], data.stats.tau0, { ntk: false });
  const sim = simulateNetwork({ x: data.x, n, d0: p, widths: [256, 256, 256], activations: c.activations, weights, seed: 9, draws });
  return rel(sim.ck, ckEquivalent(data, c), n);
}

describe('K_CK (finite networks, averaged) against K̃_CK', () => {
  const cases: [string, ScalarActivation, WeightLaw][] = [
    ['ReLU, Gaussian W', A.relu(), 'gaussian'],
    ['ReLU, Bernoulli W', A.relu(), 'bernoulli'],
    ['0.2t² + t, Gaussian W', A.polynomial([0, 1, 0.2]), 'gaussian'],
    ['0.2t² + t, Bernoulli W', A.polynomial([0, 1, 0.2]), 'bernoulli'],
  ];
  it.each(cases)('%s: the relative spectral-norm error falls from n = 64 (p = 128) to n = 256 (p = 512)', (_, act, weights) => {
    const small = error(act, weights, 64, 16);
    const large = error(act, weights, 256, 32);
    // measured: ReLU 0.42 → 0.26, poly 0.35 → 0.16 (both weight laws)
    expect(large).toBeLessThan(0.8 * small);
    expect(large).toBeLessThan(0.33);
  });
});
