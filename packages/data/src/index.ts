/**
 * `@wide/data`: `.npy` I/O, the MNIST / Fashion-MNIST loaders and the CIFAR-10 binary reader.
 * @packageDocumentation
 */
export * from './npy.js';
export { type ImageShape, type Normalization, normalizePixels } from './pixels.js';
export * from './datasets.js';
export * from './cifar10.js';
