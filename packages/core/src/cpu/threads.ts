/**
 * Worker threads for the two O(n²) steps of a kernel computation: the Gram matrix and the
 * pair maps of nonlinearities. The API stays synchronous: the calling thread shares the arrays
 * (SharedArrayBuffer), posts the job, takes tasks from the same atomic queue as the workers, and
 * finally blocks (Atomics.wait) until the tasks the workers took are done. Workers run the very
 * source of {@link gramPanel}, {@link dotBlock}, {@link pairRows} and a rule's `portable` form
 * (no second copy of any kernel), so threaded and serial results agree bit for bit. Workers are
 * unref'd: they never keep a process alive.
 *
 * Threads used: `WIDE_THREADS` if set (1 turns threading off), else `os.availableParallelism()`
 * (at most 8). Jobs under {@link MIN_THREADED_WORK} operations stay on the calling thread.
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PairRule } from '../backend.js';
import { WideError } from '../errors.js';
import { type GramJob, TILE, dotBlock, gramPanel, gramTasks } from './blas.js';
import { PAIR_ROWS, type PairJob, pairRows } from './pair-rows.js';

/** Smallest job (multiply-adds, or pair-rule calls × 50) worth the hand-off to workers. */
export const MIN_THREADED_WORK = 2e7;

/** Control block slots: next task, tasks done, failed flag. */
const NEXT = 0;
const DONE = 1;
const FAILED = 2;

/** Claims tasks until none is left; shared by the calling thread and the workers (its source runs there). */
function drain(run: (task: number) => void, ctl: Int32Array, total: number): void {
  for (;;) {
    const t = Atomics.add(ctl, NEXT, 1);
    if (t >= total) return;
    try {
      run(t);
    } catch (e) {
      Atomics.store(ctl, FAILED, 1);
      throw e;
    } finally {
      Atomics.add(ctl, DONE, 1);
      Atomics.notify(ctl, DONE);
    }
  }
}

/** Kernels of other modules, passed in so that {@link onJob}'s source names no import (bundlers rewrite those). */
interface WorkerLib {
  gramPanel: typeof gramPanel;
  pairRows: typeof pairRows;
}

/** The worker's message handler (its source runs in the worker, next to the kernels above). */
function onJob(lib: WorkerLib, m: any): void {
  const f = (sab: SharedArrayBuffer | null) => (sab === null ? null : new Float64Array(sab));
  const ctl = new Int32Array(m.ctl);
  try {
    if (m.kind === 'gram') {
      const job = { a: f(m.a), b: f(m.b), out: f(m.out), n1: m.n1, n2: m.n2, P: m.P, C: m.C, scale: m.scale };
      drain((t) => lib.gramPanel(job as any, t), ctl, m.total);
    } else {
      const g = globalThis as any;
      g.portableRules ??= new Map();
      let rule = g.portableRules.get(m.source);
      if (!rule) {
        rule = new Function(`return (${m.source});`)();
        g.portableRules.set(m.source, rule);
      }
      const params = m.params;
      const both = (q1: number, q2: number, c: number, out: Float64Array) => rule(params, q1, q2, c, out);
      const job = { both, layout: m.layout, nngp: f(m.nngp), ntk: f(m.ntk), var1: f(m.var1), var2: f(m.var2), outN: f(m.outN), outT: f(m.outT) };
      drain((t) => lib.pairRows(job as any, t), ctl, m.total);
    }
  } catch {
    // flagged in ctl by drain
  }
}

function workerSource(): string {
  return [
    `const { parentPort } = require('node:worker_threads');`,
    // Transpilers that keep function names (tsx, vitest) insert __name(fn, "name") calls.
    `const __name = (fn) => fn;`,
    `const TILE = ${TILE}, PAIR_ROWS = ${PAIR_ROWS}, NEXT = ${NEXT}, DONE = ${DONE}, FAILED = ${FAILED};`,
    dotBlock.toString(),
    gramPanel.toString(),
    pairRows.toString(),
    drain.toString(),
    onJob.toString(),
    `const lib = { gramPanel, pairRows };`,
    `parentPort.on('message', (m) => onJob(lib, m));`,
  ].join('\n');
}

let pool: Worker[] | null = null;

/** Number of threads (the calling one included) the CPU backend uses. */
export function cpuThreads(): number {
  const env = Number(process.env['WIDE_THREADS']);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.min(8, availableParallelism());
}

function workers(count: number): Worker[] {
  pool ??= [];
  while (pool.length < count) {
    const w = new Worker(workerSource(), { eval: true });
    w.unref();
    // A worker that dies leaves the pool; tasks it never took are done by the others.
    w.on('error', () => {
      pool = pool?.filter((x) => x !== w) ?? null;
    });
    pool.push(w);
  }
  return pool.slice(0, count);
}

/** A zero-filled float64 array; in shared memory when large enough for threaded work. */
export function zeros(length: number): Float64Array {
  return length * 50 >= MIN_THREADED_WORK ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** `x` itself when it lives in shared memory, else a shared copy. */
function shared(x: Float64Array): Float64Array {
  if (x.buffer instanceof SharedArrayBuffer) return x;
  const s = new Float64Array(new SharedArrayBuffer(x.byteLength));
  s.set(x);
  return s;
}

const sab = (x: Float64Array | null) => (x === null ? null : (x.buffer as SharedArrayBuffer));

/** Posts a job to the pool, works on it here too, and waits until every task is done. */
function runOnPool(message: Record<string, unknown>, total: number, local: (task: number) => void): void {
  const ctl = new Int32Array(new SharedArrayBuffer(12));
  const msg = { ...message, ctl: ctl.buffer, total };
  for (const w of workers(Math.min(cpuThreads(), total) - 1)) w.postMessage(msg);
  drain(local, ctl, total);
  // Wait for the tasks the workers took (they finish every task they take).
  for (let done = Atomics.load(ctl, DONE); done < total; done = Atomics.load(ctl, DONE)) {
    Atomics.wait(ctl, DONE, done, 1000);
  }
  if (Atomics.load(ctl, FAILED) !== 0) throw new WideError('UNSUPPORTED', 'a worker thread of the CPU backend failed; set WIDE_THREADS=1 to compute on one thread');
}

/**
 * Runs a Gram job on worker threads when it is large enough and more than one thread is
 * available (then `job.out` is a new shared array holding the result); returns false, having
 * done nothing, otherwise.
 */
export function runGramThreaded(job: GramJob): boolean {
  const total = gramTasks(job);
  const work = job.n1 * job.n2 * job.P * job.C * (job.b === null ? 0.5 : 1);
  if (cpuThreads() < 2 || total < 2 || work < MIN_THREADED_WORK) return false;
  const a = shared(job.a);
  const b = job.b === null ? null : job.b === job.a ? a : shared(job.b);
  const out = new Float64Array(new SharedArrayBuffer(job.n1 * job.n2 * job.P * 8));
  const local: GramJob = { ...job, a, b, out };
  runOnPool({ kind: 'gram', a: sab(a), b: sab(b), out: sab(out), n1: job.n1, n2: job.n2, P: job.P, C: job.C, scale: job.scale }, total, (t) => gramPanel(local, t));
  job.out = out;
  return true;
}

/**
 * Runs a pair-map job on worker threads when the rule has a portable form, the job is large
 * enough and more than one thread is available; returns false, having done nothing, otherwise.
 * Arrays not in shared memory are copied there (and `job.outN`/`job.outT` replaced).
 */
export function runPairThreaded(rule: PairRule, job: PairJob): boolean {
  const { n1, n2, positions: P, diagonalSpatial, symmetric } = job.layout;
  const total = Math.ceil(n1 / PAIR_ROWS);
  const work = n1 * n2 * P * (diagonalSpatial ? 1 : P) * (symmetric ? 0.5 : 1) * 50;
  if (!rule.portable || cpuThreads() < 2 || total < 2 || work < MIN_THREADED_WORK) return false;
  const nngp = shared(job.nngp);
  const ntk = job.ntk && shared(job.ntk);
  const outN = job.outN === job.nngp ? nngp : shared(job.outN);
  const outT = job.outT === null ? null : job.outT === job.ntk ? ntk : shared(job.outT);
  const var1 = shared(job.var1);
  const var2 = job.var2 === job.var1 ? var1 : shared(job.var2);
  const portable = rule.portable;
  const params = rule.params;
  const local: PairJob = { ...job, both: (q1, q2, c, out) => portable(params, q1, q2, c, out), nngp, ntk, outN, outT, var1, var2 };
  runOnPool(
    { kind: 'pair', source: portable.toString(), params: [...params], layout: { ...job.layout }, nngp: sab(nngp), ntk: sab(ntk), outN: sab(outN), outT: sab(outT), var1: sab(var1), var2: sab(var2) },
    total,
    (t) => pairRows(local, t),
  );
  job.outN = outN;
  job.outT = outT;
  return true;
}
