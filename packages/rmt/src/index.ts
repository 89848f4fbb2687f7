/**
 * `@wide/rmt`: what random-matrix theory says about Wide's kernels when width, data size and
 * dimension grow together.
 * @packageDocumentation
 */
export {};
