/**
 * `@wide/reproductions`: the experiments of the seed papers composed from the Wide packages,
 * each a preset that maps the paper's conventions onto our layers and says how.
 * @packageDocumentation
 */
export {};
