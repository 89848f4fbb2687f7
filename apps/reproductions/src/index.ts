/**
 * `@wide/reproductions`: the experiments of the seed papers composed from the Wide packages,
 * each a preset that maps the paper's conventions onto our layers and says how. First: Arora et
 * al. 2019, "On Exact Computation with an Infinitely Wide Neural Net" (the exact CNTK, Tables 1
 * and 2 as analogues on MNIST / Fashion-MNIST).
 * @packageDocumentation
 */
export * from './arora/preset.js';
export * from './arora/depth-sweep.js';
export * from './arora/data.js';
export * from './arora/regression.js';
export * from './arora/progress.js';
export * from './arora/table1.js';
export * from './arora/table2.js';
export * from './arora/format.js';
export * from './fan-wang/figures.js';
export * from './gu/figures.js';
