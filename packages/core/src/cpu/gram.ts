/**
 * The same-position Gram tensor of the CPU backend: serial panels, or worker threads when large.
 * @module
 */
import { type GramJob, gramPanel, gramTasks, mirrorUpper } from './blas.js';
import { runGramThreaded } from './threads.js';

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
