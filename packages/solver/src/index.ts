/**
 * `@wide/solver`: what the infinitely wide network predicts, from kernels you have.
 *
 * - {@link gradientDescentMse}: outputs of one network trained on MSE by gradient flow or discrete
 *   gradient descent (with momentum), at any times, through one eigendecomposition;
 *   {@link maxLearningRate}.
 * - {@link gradientDescent}: any loss ({@link softmaxCrossEntropy}, {@link mse}, your own) by an
 *   adaptive ODE integrator ({@link dormandPrince}).
 * - {@link gradientDescentMseEnsemble}: the infinite ensemble's mean and covariance at time t.
 * - {@link gpInference}: NNGP posterior / converged NTK ensemble by Cholesky;
 *   {@link fitKernelRegression}: kernel ridge regression.
 * - {@link kernelDiagnostics}: spectrum, condition number, effective rank, time scales, the
 *   Arora et al. bound.
 * - Finite networks that train (./train): gradient descent through the layers' backward rules, and
 *   how far their empirical NTK moves.
 *
 * Every matrix may be an ml-matrix `Matrix` or a row-major `Float64Array`; results follow the labels.
 * @packageDocumentation
 */
export * from './errors.js';
export { type Mat, type Like, toMatrix, toFloat64Array } from './matrix.js';
export { type LinalgOptions, type LinalgPath, SMALL_N } from './linalg.js';
export { type RidgeOptions } from './options.js';
export { type KernelBlocks, type KernelSet } from './blocks.js';
export * from './regression.js';
export {
  gradientDescentMse,
  maxLearningRate,
  type MseOptions,
  type MsePredictor,
  type PredictOptions,
  type TrainedOutputs,
} from './gradient-descent-mse.js';
export { gradientDescent, type GradientDescentOptions, type GradientDescentPredictor } from './gradient-descent.js';
export { gradientDescentMseEnsemble, type EnsembleOptions, type EnsemblePredictOptions, type EnsemblePrediction, type EnsemblePredictor } from './ensemble.js';
export { gpInference, type GpOptions, type GpPosterior } from './gp.js';
export { type Loss, mse, softmaxCrossEntropy } from './loss.js';
export { dormandPrince, type OdeOptions, type OdeRhs, type OdeStats } from './ode.js';
export { kernelDiagnostics, type DiagnosticsOptions, type KernelDiagnostics } from './diagnostics.js';
export * from './train/index.js';
