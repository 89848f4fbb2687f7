/**
 * `@wide/testing`: fast-check arbitraries (architectures that respect the Gaussian-input rule,
 * inputs, PSD matrices) and kernel assertions, for Wide's own tests and for its users.
 * @packageDocumentation
 */
export * from './arbitraries.js';
export * from './assertions.js';
export * from './golden.js';
