/**
 * Finite networks that train: gradient descent through the layers' backward rules on the time
 * axis t = η·step of the kernel predictions, and how far their empirical NTK moves.
 * @module
 */
export * from './gradient-descent.js';
export * from './losses.js';
export * from './params.js';
export * from './empirical-drift.js';
export * from './errors.js';
