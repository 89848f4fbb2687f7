/**
 * The same-position Gram tensor of the CPU backend: serial panels, or worker threads when large.
 * @module
 */
import { type GramJob, gramPanel, gramTasks, mirrorUpper } from './blas.js';
import { runGramThreaded, zeros } from './threads.js';

/** Same-position Gram tensor, see {@link Backend.gram}; runs on worker threads when large (./threads.ts). */
export function gram(a: Float64Array, b: Float64Array | null, n1: number, n2: number, P: number, C: number, scale: number): Float64Array {
  const job: GramJob = { a, b, out: new Float64Array(0), n1, n2, P, C, scale };
  if (!runGramThreaded(job)) {
    job.out = new Float64Array(n1 * n2 * P);
    const tasks = gramTasks(job);
    for (let t = 0; t < tasks; t++) gramPanel(job, t);
  }
  if (b === null) mirrorUpper(job.out, n1, P);
  return job.out;
}

/**
 * All-position-pairs Gram tensor, see {@link Backend.gramPairs}: the Gram matrix of the n1·P by
 * n2·P position rows (the same kernel as {@link gram}, so same-position entries agree bit for bit),
 * regrouped so that each sample pair's P×P block is contiguous.
 */
export function gramPairs(a: Float64Array, b: Float64Array | null, n1: number, n2: number, P: number, C: number, scale: number): Float64Array {
  const m = gram(a, b, n1 * P, (b === null ? n1 : n2) * P, 1, C, scale);
  const w = n2 * P;
  const out = zeros(n1 * n2 * P * P);
  for (let i = 0; i < n1; i++) {
    for (let p = 0; p < P; p++) {
      const row = (i * P + p) * w;
      for (let j = 0; j < n2; j++) out.set(m.subarray(row + j * P, row + (j + 1) * P), ((i * n2 + j) * P + p) * P);
    }
  }
  return out;
}
