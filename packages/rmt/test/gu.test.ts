// Gu et al. (2022): the coefficient recursions against Tables 1–2 (4 decimals, from the τ₀ each
// table implies) with the two misprinted rows documented, against closed forms for centred ReLU,
// and the equivalents K̃ against the exact infinite-width kernels (a second method: arc-cosine and
// polynomial closed forms of @wide/layers), for both variants.
import { polynomial, relu } from '@wide/layers';
import { describe, expect, it } from 'vitest';
import {
  InvalidRequestError, UndefinedMomentError, activations as A, basisMean, ckEquivalent, exactKernels, gaussianMixture, guCoefficients, guRecursion,
  layerMoments, ntkEquivalent, spectralNorm, type ScalarActivation,
} from '../src/index.js';

const last3 = (act: ScalarActivation, tau0: number) => {
  const c = guCoefficients([act, act, act], tau0, { ntk: false });
  return [c.alpha1[2]!, c.alpha2[2]!, c.alpha3[2]!, c.tau[2]!];
};

// (α₁, α₂, α₃, τ) at layer 3 as printed. Tolerance 0.6e-4: half a unit of the 4th decimal for the
// printed rounding, plus the τ₀ each table implies known only to 4 decimals.
const TOL = 6e-5;
const table1: [string, ScalarActivation, number[]][] = [
  ['max(0, t)', A.relu(), [0.0156, 0.0105, 0.0112, 0.1994]],
  ['1{t ≥ 0}', A.step(), [0.0642, 0, 0, 0.5]],
  ['1/(1 + e^{−t})', A.sigmoid(), [0.0002, 0, 0, 0.0129]],
  ['sin t', A.sin(), [0.1779, 0, 0, 0.4689]],
  ['t', A.identity(), [1, 0, 0, 1.0021]],
  ['erf t', A.erf(), [0.2166, 0, 0, 0.5053]],
  ['cos t', A.cos(), [0, 0.0003, 0, 0.0116]],
  ['|t|', A.abs(), [0, 0.0209, 0, 0.2195]],
];
const table2: [string, ScalarActivation, number[]][] = [
  ['max(0, t)', A.relu(), [0.0156, 0.0092, 0.0099, 0.2128]],
  ['1{t ≥ 0}', A.step(), [0.0564, 0, 0, 0.5]],
  ['sign t', A.sign(), [0.2256, 0, 0, 1]],
  ['1/(1 + e^{−t})', A.sigmoid(), [0.0002, 0, 0, 0.0135]],
  ['sin t', A.sin(), [0.1512, 0, 0, 0.4729]],
  ['t', A.identity(), [1, 0, 0, 1.0693]],
  ['erf t', A.erf(), [0.1912, 0, 0, 0.51]],
  ['cos t', A.cos(), [0, 0.0003, 0, 0.015]],
  ['|t|', A.abs(), [0, 0.0184, 0, 0.2342]],
];

describe('Gu et al. Tables 1–2 (three layers, the same activation)', () => {
  it.each(table1)('Table 1 (MNIST, τ₀ = 1.0021): %s', (_, act, printed) => {
    last3(act, 1.0021).forEach((v, i) => expect(Math.abs(v - printed[i]!)).toBeLessThan(TOL));
  });
  it.each(table2)('Table 2 (GMM, τ₀ = 1.0693): %s', (_, act, printed) => {
    last3(act, 1.0693).forEach((v, i) => expect(Math.abs(v - printed[i]!)).toBeLessThan(TOL));
  });

  it('misprint 1: Table 1’s sign row repeats the sin row; sign itself gives (0.2569, 0, 0, 1)', () => {
    const sign = last3(A.sign(), 1.0021);
    expect(sign[0]).toBeCloseTo(0.2569, 4);
    expect(sign[3]).toBeCloseTo(1, 12);
    expect(Math.abs(sign[0]! - 0.1779)).toBeGreaterThan(0.07); // not the printed value …
    expect(last3(A.sin(), 1.0021)[0]).toBeCloseTo(0.1779, 4); // … which is sin's
  });

  it('misprint 2: the "LReLU" rows were computed with 0.1·max(t, 0) + max(−t, 0), not the labelled 0.1t·1{t<0} + t·1{t≥0}', () => {
    const printed1 = [0.0083, 0.0097, 0.0081, 0.175];
    const printed2 = [0.0083, 0.0085, 0.0071, 0.1867];
    last3(A.vRelu(0.1, 1), 1.0021).forEach((v, i) => expect(Math.abs(v - printed1[i]!)).toBeLessThan(TOL));
    last3(A.vRelu(0.1, 1), 1.0693).forEach((v, i) => expect(Math.abs(v - printed2[i]!)).toBeLessThan(TOL));
    const label = last3(A.leakyRelu(0.1), 1.0021);
    [0.0277, 0.0111, 0.0144, 0.2311].forEach((v, i) => expect(label[i]!).toBeCloseTo(v, 4));
  });
});

describe('coefficients', () => {
  it('centred ReLU: the closed forms E′ = ½, E″ = 1/(√(2π)τ), 2D = 1 − 1/π, τ′² = τ²(½ − 1/(2π)) and the reference chain', () => {
    for (const tau of [0.3, 1, 2.5]) {
      const m = layerMoments(A.relu(), tau);
      expect(m.mean).toBeCloseTo(tau / Math.sqrt(2 * Math.PI), 14);
      expect(m.d1).toBeCloseTo(0.5, 14);
      expect(m.d2).toBeCloseTo(1 / (Math.sqrt(2 * Math.PI) * tau), 13);
      expect(2 * m.D).toBeCloseTo(1 - 1 / Math.PI, 13);
      expect(m.tau ** 2).toBeCloseTo(tau * tau * (0.5 - 1 / (2 * Math.PI)), 14);
      expect(m.derivativeSquare).toBeCloseTo(0.5, 14);
    }
    const c = guCoefficients([A.relu(), A.relu(), A.relu()], 1);
    [0.583819, 0.340845, 0.198992].forEach((v, i) => expect(c.tau[i]!).toBeCloseTo(v, 6));
    [0.039789, 0.023509, 0.0105].forEach((v, i) => expect(c.alpha2[i]!).toBeCloseTo(v, 6));
    [0.079577, 0.034486, 0.011297].forEach((v, i) => expect(c.alpha3[i]!).toBeCloseTo(v, 6));
    c.alpha4.forEach((v, i) => expect(v).toBeCloseTo(0.340845 ** (i + 1), 6));
  });

  it('NTK: corrected β after three centred ReLU layers at τ₀ = 1.036 are (0.0625, 0.01758, 0.0610), κ² ≈ 0.330; printed β₁ = α₁', () => {
    const c = guCoefficients([A.relu(), A.relu(), A.relu()], 1.036);
    expect(c.beta1[2]).toBeCloseTo(0.0625, 12);
    expect(c.beta2[2]).toBeCloseTo(0.01758, 5);
    expect(c.beta3[2]).toBeCloseTo(0.0610, 4); // the note's τ₀ is itself rounded (≈ 1.036)
    expect(c.kappa[2]! ** 2).toBeCloseTo(0.3305, 3);
    const p = guCoefficients([A.relu(), A.relu(), A.relu()], 1.036, { variant: 'printed' });
    expect(p.beta1).toEqual(p.alpha1);
    expect(p.beta2).toEqual(p.alpha2);
    expect(p.beta1[2]).toBeCloseTo(0.0156, 4);
    expect(p.beta2[2]).toBeCloseTo(0.0098, 4);
    expect(p.beta3[2]).toBeCloseTo(0.0157, 4);
    // α does not depend on the variant
    expect(p.alpha3).toEqual(c.alpha3);
  });

  it('guRecursion takes moments in closed form (centred ReLU) and agrees with the quadrature of guCoefficients', () => {
    const closedRelu = {
      name: 'relu (closed form)',
      moments: (tau: number) => ({
        tauIn: tau, mean: tau / Math.sqrt(2 * Math.PI), tau: tau * Math.sqrt(0.5 - 1 / (2 * Math.PI)),
        d1: 0.5, d2: 1 / (Math.sqrt(2 * Math.PI) * tau), D: 0.5 * (1 - 1 / Math.PI), D4: Number.NaN, derivativeSquare: 0.5,
      }),
    };
    const r = guRecursion([closedRelu, closedRelu, closedRelu], 1.2);
    const q = guCoefficients([A.relu(), A.relu(), A.relu()], 1.2);
    for (const key of ['tau', 'alpha1', 'alpha2', 'alpha3', 'alpha4', 'kappa', 'beta1', 'beta2', 'beta3', 'beta4'] as const) {
      r[key].forEach((v, i) => expect(v).toBeCloseTo(q[key][i]!, 12));
    }
  });

  it('α₅ (Appendix A.1) for a quadratic: σ = t² − τ², where (σ²)⁗ = 24 exactly, so D₄ = 12', () => {
    const sq = A.polynomial([0, 0, 1]);
    const m = layerMoments(sq, 0.8);
    expect(m.D4).toBeCloseTo(12, 10);
    const c = guCoefficients([sq], 0.8);
    expect(c.alpha5[0]).toBeCloseTo(0.25 * 1 * 12, 10);
  });

  it('typed errors: non-centred activations when centring is off, κ for sign, τ₀ ≤ 0, an unknown variant', () => {
    expect(() => guCoefficients([A.relu()], 1, { center: false })).toThrow('activations[0]: relu is not centred at τ_0 = 1.00000: E σ(τξ) = 0.398942 (Theorems 1–2 assume 0); pass center: true');
    expect(guCoefficients([A.sin()], 1, { center: false }).tau[0]).toBeGreaterThan(0);
    expect(() => guCoefficients([A.sign()], 1)).toThrow(UndefinedMomentError);
    expect(guCoefficients([A.sign()], 1, { ntk: false }).alpha1[0]).toBeCloseTo(2 / Math.PI, 13);
    expect(() => guCoefficients([A.relu()], 0)).toThrow('tau0: expected a number > 0, got 0');
    expect(() => guCoefficients([A.relu()], 1, { variant: 'paper' as never })).toThrow(InvalidRequestError);
  });
});

describe('Gaussian-mixture data', () => {
  it('statistics τ₀, t, T follow the covariances; ψ has mean ≈ 0; the draw is seeded', () => {
    const p = 400;
    const d = gaussianMixture({ p, classSizes: [300, 100], means: [basisMean(p, 0, 4), null], covariances: [1, Float64Array.from({ length: p }, () => 2)], seed: 1 });
    // C° = (3/4)·I + (1/4)·2I = 1.25 I
    expect(d.stats.tau0).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(d.stats.t[0]).toBeCloseTo((p - 1.25 * p) / Math.sqrt(p), 12);
    expect(d.stats.T[1]).toBeCloseTo(2, 14);
    expect(d.stats.T[3]).toBeCloseTo(4, 14);
    const mean = d.stats.psi.reduce((s, v) => s + v, 0) / d.n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    // empirical ‖x_i‖² ≈ tr(C_a)/p + ‖μ_a‖²/p
    let s0 = 0;
    for (let i = 0; i < 300; i++) for (let k = 0; k < p; k++) s0 += d.x[i * p + k]! ** 2;
    expect(s0 / 300).toBeCloseTo(1 + 16 / p, 1);
    const again = gaussianMixture({ p, classSizes: [300, 100], means: [basisMean(p, 0, 4), null], covariances: [1, Float64Array.from({ length: p }, () => 2)], seed: 1 });
    expect(again.x).toEqual(d.x);
    expect(Array.from(d.labels.slice(298, 302))).toEqual([0, 0, 1, 1]);
  });

  it('a full covariance is sampled through its Cholesky factor: the sample covariance matches', () => {
    const p = 3;
    const C = [2, 0.5, 0, 0.5, 1, 0.3, 0, 0.3, 1.5];
    const d = gaussianMixture({ p, classSizes: [20000], covariances: [C], seed: 4 });
    const cov = new Float64Array(9);
    for (let i = 0; i < d.n; i++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[a * 3 + b]! += (d.x[i * 3 + a]! * d.x[i * 3 + b]! * p) / d.n;
    C.forEach((v, i) => expect(cov[i]!).toBeCloseTo(v, 1));
    expect(d.stats.T[0]).toBeCloseTo((4 + 0.25 * 2 + 1 + 0.09 * 2 + 2.25) / 3, 12);
    expect(() => gaussianMixture({ p, classSizes: [5], covariances: [[1, 2, 3, 4, 5, 6, 7, 8, 9]], seed: 1 })).toThrow('covariances[0]: expected a symmetric matrix');
    expect(() => gaussianMixture({ p, classSizes: [5, 0], seed: 1 })).toThrow('classSizes[1]: expected an integer ≥ 1, got 0');
    expect(() => gaussianMixture({ p, classSizes: [5], covariances: [[1, 2]], seed: 1 })).toThrow('covariances[0]: expected a number, p = 3 diagonal entries or a p×p = 9 matrix, got 2 numbers');
  });
});

describe('equivalents K̃ against the exact infinite-width kernels (Gu et al. Figure 2 data)', () => {
  // Two classes, μ_a = 8·e_{8(a−1)+1}, C_a = (1 + 8(a−1)/√p)·I, three centred layers.
  const data = (n: number, p: number) => gaussianMixture({ p, classSizes: [n / 2, n / 2], means: [basisMean(p, 0, 8), basisMean(p, 8, 8)], covariances: [1, 1 + 8 / Math.sqrt(p)], seed: 3 });
  const rel = (k: Float64Array, kt: Float64Array, n: number) => spectralNorm(Float64Array.from(k, (v, i) => v - kt[i]!), n, { tol: 1e-6 }) / spectralNorm(k, n, { tol: 1e-6 });
  const cases = [
    ['ReLU', A.relu(), relu().rule],
    ['poly 0.2t² + t', A.polynomial([0, 1, 0.2]), polynomial([0, 1, 0.2]).rule],
  ] as const;

  it.each(cases)('%s: corrected ‖K − K̃‖/‖K‖ falls from (n, p) = (200, 400) to (800, 1600), for the CK and the NTK; printed NTK does not', (_, act, rule) => {
    const errors: Record<string, number[]> = { ck: [], ntk: [], ckPrinted: [], ntkPrinted: [] };
    for (const [n, p] of [[200, 400], [800, 1600]] as const) {
      const d = data(n, p);
      const c = guCoefficients([act, act, act], d.stats.tau0);
      const pr = guCoefficients([act, act, act], d.stats.tau0, { variant: 'printed' });
      const exact = exactKernels(d.x, n, p, c.centering.map((m) => ({ rule, activation: act, centering: m })), { ntk: true });
      errors.ck!.push(rel(exact.ck, ckEquivalent(d, c), n));
      errors.ntk!.push(rel(exact.ntk!, ntkEquivalent(d, c), n));
      errors.ckPrinted!.push(rel(exact.ck, ckEquivalent(d, pr), n));
      errors.ntkPrinted!.push(rel(exact.ntk!, ntkEquivalent(d, pr), n));
    }
    // measured: ReLU CK 0.253 → 0.120, NTK 0.205 → 0.089; poly CK 0.145 → 0.054, NTK 0.124 → 0.041
    expect(errors.ck![1]!).toBeLessThan(0.6 * errors.ck![0]!);
    expect(errors.ntk![1]!).toBeLessThan(0.6 * errors.ntk![0]!);
    expect(errors.ck![1]!).toBeLessThan(0.13);
    expect(errors.ntk![1]!).toBeLessThan(0.1);
    // the printed identity term leaves a larger error; the printed β do not converge at all
    expect(errors.ckPrinted![1]!).toBeGreaterThan(errors.ck![1]!);
    expect(errors.ntkPrinted![1]!).toBeGreaterThan(0.4);
  });
});
