// @wide/rmt in one page: the Fan–Wang limit spectra of a 5-layer network (Figure 1 of Fan & Wang
// 2020) against a simulated network, and Gu et al.'s coefficients and equivalent CK for
// Gaussian-mixture data.
import { Rng } from '@wide/core';
import {
  activations, basisMean, ckEquivalent, complex, eigenvalues, fanWang, gaussianMixture, geometricGrid, guCoefficients, ksDistance,
  lemma35Matrix, linearGrid, marchenkoPastur, mergeGrids, simulateNetwork, spectralNorm,
} from '@wide/rmt';

// 1. Fan & Wang: i.i.d. Gaussian inputs with n/d0 = 3, five layers with n/d_ℓ = 1/2, normalised arctan.
const model = fanWang({ input: marchenkoPastur(3), gammas: [0.5, 0.5, 0.5, 0.5, 0.5], activations: activations.arctan(), normalize: true });
const { rPlus } = model.lemma35();
console.log(`b_σ = ${model.b[0]!.toFixed(6)}, a_σ = ${model.a[0]!.toFixed(6)}, r₊ = ${rPlus.toFixed(6)}`);
const ck = model.ck();
const ntk = model.ntk();
const m = ck.stieltjes(complex(1, 0.1));
console.log(`m_CK(1 + 0.1i) = ${m.re.toFixed(6)} + ${m.im.toFixed(6)}i`);
const ckDensity = ck.density(mergeGrids(geometricGrid(1e-4, 0.5, 300), linearGrid(0.5, 14, 300)));
const ntkDensity = ntk.density(mergeGrids(linearGrid(2.5, 4.6, 300), linearGrid(4.6, 60, 300)));
console.log(`limit densities: CK ${ckDensity.converged ? 'converged' : 'NOT converged'}, NTK ${ntkDensity.converged ? 'converged' : 'NOT converged'}`);

// A finite network of the same shape, n = 450 samples.
const n = 450;
const d0 = n / 3;
const x = new Rng(1).normals(n * d0, 1 / Math.sqrt(d0));
const sim = simulateNetwork({ x, n, d0, widths: [2 * n, 2 * n, 2 * n, 2 * n, 2 * n], activations: model.activations!, seed: 2, grams: true });
const ksCk = ksDistance(eigenvalues(sim.ck, n), ckDensity).distance;
const ksNtk = ksDistance(eigenvalues(lemma35Matrix(sim.grams!, n, model.lemma35()), n), ntkDensity).distance;
console.log(`n = ${n}: KS(CK) = ${ksCk.toFixed(4)}, KS(NTK, Lemma 3.5) = ${ksNtk.toFixed(4)}`);

// 2. Gu et al.: three centred ReLU layers on a two-class Gaussian mixture.
const p = 800;
const data = gaussianMixture({ p, classSizes: [200, 200], means: [basisMean(p, 0, 8), basisMean(p, 8, 8)], covariances: [1, 1 + 8 / Math.sqrt(p)], seed: 3 });
const coef = guCoefficients([activations.relu(), activations.relu(), activations.relu()], data.stats.tau0);
console.log(`τ₀ = ${data.stats.tau0.toFixed(4)}; layer 3: α₁ = ${coef.alpha1[2]!.toFixed(4)}, α₂ = ${coef.alpha2[2]!.toFixed(4)}, α₃ = ${coef.alpha3[2]!.toFixed(4)}, τ = ${coef.tau[2]!.toFixed(4)}`);
const kTilde = ckEquivalent(data, coef);
const kSim = simulateNetwork({ x: data.x, n: data.n, d0: p, widths: [512, 512, 256], activations: coef.activations, weights: 'bernoulli', seed: 4, draws: 8 }).ck;
const diff = Float64Array.from(kSim, (v, i) => v - kTilde[i]!);
console.log(`‖K_CK − K̃_CK‖/‖K_CK‖ = ${(spectralNorm(diff, data.n, { tol: 1e-6 }) / spectralNorm(kSim, data.n, { tol: 1e-6 })).toFixed(3)} (Bernoulli weights, 8 networks)`);
