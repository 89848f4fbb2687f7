/**
 * `@wide/layers`: dense, conv (1-D to 3-D), pooling (avgPool, sumPool, globalAvgPool,
 * globalSumPool), every closed-form activation (relu family, erf, gelu, sin/cos, sign, step, exp,
 * gaussian, rbf, monomials, polynomials, rectified monomials), numerical `elementwise`
 * activations, flatten, and the architecture JSON.
 * @packageDocumentation
 */
export * from './dense.js';
export * from './flatten.js';
export * from './conv.js';
export * from './pool.js';
export { type Padding, type Window, type WindowGeometry, windowGeometry, globalGeometry } from './window-geometry.js';
export * from './activation.js';
export * from './activations/relu.js';
export * from './activations/erf.js';
export * from './activations/gelu.js';
export * from './activations/trig.js';
export * from './activations/sign.js';
export * from './activations/exp.js';
export * from './activations/polynomial.js';
export * from './activations/rectified-monomial.js';
export * from './activations/elementwise.js';
export * from './architecture.js';
export * from './kernels.js';
