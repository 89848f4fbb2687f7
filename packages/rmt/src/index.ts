/**
 * `@wide/rmt`: what random-matrix theory says about Wide's kernels when width, data size and
 * dimension grow together.
 *
 * - Spectral tools: empirical spectra, histograms, kernel density estimates, Stieltjes transforms of
 *   atoms and grid densities, Stieltjes inversion, KS and Wasserstein-1 distances to a predicted law.
 * - Marchenko–Pastur: closed forms, and the MP map ρ_γ ⊠ μ of any law (Fan & Wang 2020, eq. 6).
 * - Fan & Wang (2020): limit spectra of the CK at every layer (Theorem 3.4) and of the NTK
 *   (Theorem 3.7 with Lemma 3.5; Theorem 3.8 with per-layer learning rates).
 * - Gu et al. (2022): Gaussian-mixture data, the coefficients τ, α, κ, β of Theorems 1–2 (as printed
 *   and corrected) and the equivalent matrices K̃_CK, K̃_NTK.
 * - Finite-width CK and NTK Gram matrices of random networks (Gaussian, Bernoulli, ternary weights).
 * @packageDocumentation
 */
export * from './complex.js';
export * from './errors.js';
export type { Atom, GridDensity, SolvedDensity, DensityOptions, SpectralLaw } from './spectral/law.js';
export { stieltjesOfAtoms, stieltjesOfDensity, stieltjesOfGridLaw, stieltjesInversion, densityFromTransform } from './spectral/stieltjes.js';
export { linearGrid, geometricGrid, mergeGrids, parseGrid, checkGrid } from './spectral/grid.js';
export { sortedSpectrum, empiricalLaw, ecdf, histogram, kernelDensity, type Histogram } from './spectral/empirical.js';
export { gridCdf, ksDistance, wasserstein1, type AtomSnapOptions, type GridCdf, type KsDistance } from './spectral/distances.js';
export { lawDensity, spectralNorm, eigenvalues } from './spectral/utilities.js';
export { marchenkoPastur, marchenkoPasturAtom, marchenkoPasturDensity, marchenkoPasturEdges, marchenkoPasturMoment, marchenkoPasturStieltjes, affineLaw } from './mp/marchenko-pastur.js';
export { marchenkoPasturMap, type SolvedLaw } from './mp/mp-map.js';
export { solveFixedPoint, type FixedPointProblem, type FixedPointOptions, type FixedPointResult } from './solve/newton.js';
export { densityOnGrid, solveByContinuation, type PointSolver, type PointSolution } from './solve/grid-solve.js';
export { activations, activationFrom, activationFromLayer, scaledInput, breaksOf, derivativeOf, type ScalarActivation, type ActivationLayerLike } from './activation/activation.js';
export { gaussianExpectation, standardNormalExpectation } from './activation/gaussian.js';
export { networkFromArchitecture, type DenseNetwork } from './activation/architecture.js';
export { activationConstants, normalizeActivation, checkNormalised, lemma35Constants, type ActivationConstants, type Lemma35Constants } from './fan-wang/constants.js';
export { fanWang, fanWangFromConstants, type FanWangModel, type FanWangOptions, type FanWangConstantsOptions } from './fan-wang/model.js';
export { fanWangLaw, ckAtomsAtZero, type FanWangLaw } from './fan-wang/law.js';
export { fanWangFromArchitecture, type FanWangArchitectureOptions } from './fan-wang/architecture.js';
export type { RecursionModel } from './fan-wang/recursion.js';
export { layerMoments, centred, type LayerMoments } from './gu/moments.js';
export { guCoefficients, type GuCoefficients, type GuCoefficientOptions } from './gu/coefficients.js';
export { guRecursion, type GuRecursion, type GuVariant, type MomentLayer } from './gu/recursion.js';
export { gaussianMixture, basisMean, type GaussianMixture, type GaussianMixtureOptions, type GmmStatistics, type Covariance } from './gu/gmm.js';
export { ckEquivalent, ntkEquivalent, type EquivalentOptions } from './gu/equivalent.js';
export { exactKernels, type ExactLayer } from './gu/exact.js';
export { simulateNetwork, lemma35Matrix, type SimulateOptions, type SimulatedKernels } from './simulate/network.js';
export { fillWeights, checkWeightLaw, weightLawName, type WeightLaw } from './simulate/weights.js';
