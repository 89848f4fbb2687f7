/**
 * `@wide/solver`: kernel regression with Wide kernels (Cholesky, float64). Training dynamics and
 * GP posterior covariances follow in the solver issue.
 * @packageDocumentation
 */
export * from './regression.js';
