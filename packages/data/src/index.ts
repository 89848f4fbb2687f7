/**
 * `@wide/data`: `.npy` I/O and the MNIST / Fashion-MNIST loaders.
 * @packageDocumentation
 */
export * from './npy.js';
export * from './datasets.js';
