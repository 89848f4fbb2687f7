/**
 * The WebAssembly runtime of the CPU backend: one module (assembly/ built by
 * scripts/build-wasm.mjs, SIMD or SIMD + relaxed FMA when the engine validates it), one shared
 * grow-only memory, a worker pool that instantiates the same module on the same memory, a
 * dynamic task queue (Atomics), and a block allocator whose result arrays are returned as views
 * and freed when garbage-collected (perf-feasibility.md §4–§8: a persistent arena and zero-copy
 * views are what make the kernels beat NumPy end to end).
 *
 * `WIDE_KERNELS=js` turns it off (the plain-JS kernels are the reference); where the engine lacks
 * WebAssembly SIMD (or `WIDE_WASM_SIMD=0` pretends so) the CPU backend falls back to the JS kernels
 * with one notice on stderr. `WIDE_WASM_FMA=0` keeps the non-FMA build.
 * @module
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { WideError } from '../../errors.js';
import { wasmRelaxed } from './generated/wide-relaxed.js';
import { wasmSimd } from './generated/wide-simd.js';

/** Bytes below which the module keeps its static data (16 pages, as in build-wasm.mjs). */
const RESERVED = 16 * 65536;
/** Alignment of every block (a cache line). */
const ALIGN = 64;
/** wasm32 memory limit: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

/** The shared memory of the runtime (a WebAssembly.Memory). */
export interface WasmMemory {
  /** The current buffer; a new object after each growth. */
  readonly buffer: ArrayBufferLike;
  /** Grows by `pages` pages of 64 KiB. */
  grow(pages: number): number;
}

/** The part of the engine's WebAssembly API used here (typed locally: @types/node does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The loaded module, its memory, pool and allocator. */
export interface WasmRuntime {
  /** The instance's exports on the calling thread. */
  readonly exports: Record<string, (...args: number[]) => number>;
  /** The shared memory (grows; views made before a growth keep their length). */
  readonly memory: WasmMemory;
  /** Whether the relaxed-SIMD (FMA) build is in use. */
  readonly relaxed: boolean;
  /** Threads used by {@link WasmRuntime.parallel}, the calling one included. */
  readonly threads: number;
  /** Byte offset of a new 64-byte-aligned block of `bytes` bytes (grows the memory as needed). */
  alloc(bytes: number): number;
  /** Returns a block from {@link WasmRuntime.alloc} to the allocator. */
  free(offset: number): void;
  /** A Float64Array view of `length` doubles at byte `offset`, on the current buffer. */
  f64(offset: number, length: number): Float64Array;
  /**
   * A block of `length` doubles as a view, zero-filled unless `zero` is false (then its contents
   * are arbitrary: for outputs a kernel overwrites whole); the block is freed when the view is
   * garbage-collected. Subarrays of it do not keep it alive: copy (`slice`) what must outlive it.
   */
  array(length: number, zero?: boolean): Float64Array;
  /** Byte offset of `a` when it is a view on this memory, else −1. */
  offsetOf(a: Float64Array): number;
  /** `a` itself when it lives in this memory, else a copy in a new {@link WasmRuntime.array}. */
  adopt(a: Float64Array): Float64Array;
  /**
   * Runs `exports[name](...args, task)` for every task in [0, total) on the calling thread and the
   * worker pool (tasks are claimed from an atomic counter), and returns when all are done.
   */
  parallel(name: string, args: readonly number[], total: number): void;
}

let runtime: WasmRuntime | null | undefined;
let noticed = false;

function notice(message: string): void {
  if (noticed) return;
  noticed = true;
  process.stderr.write(`wide: ${message}\n`);
}

const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** The module bytes this engine can run: relaxed FMA if it validates (after enabling V8's flag on Node 20), else plain SIMD, else null. */
function pickModule(): { bytes: Uint8Array; relaxed: boolean } | null {
  if (process.env['WIDE_WASM_SIMD'] === '0' || typeof WA?.validate !== 'function') return null;
  const simd = bytesOf(wasmSimd);
  if (!WA.validate(simd)) return null;
  if (process.env['WIDE_WASM_FMA'] !== '0') {
    const relaxed = bytesOf(wasmRelaxed);
    if (!WA.validate(relaxed)) {
      try {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // not V8, or the flag is gone: the plain SIMD build serves
      }
    }
    if (WA.validate(relaxed)) return { bytes: relaxed, relaxed: true };
  }
  return { bytes: simd, relaxed: false };
}

/**
 * The runtime, created on first use; null when the plain-JS kernels are to be used
 * (`WIDE_KERNELS=js`, or no WebAssembly SIMD — then with one notice on stderr).
 */
export function wasmRuntime(): WasmRuntime | null {
  if (process.env['WIDE_KERNELS'] === 'js') return null;
  if (runtime !== undefined) return runtime;
  const picked = pickModule();
  if (!picked) {
    notice('WebAssembly SIMD is not available in this JavaScript engine; using the plain JavaScript kernels (slower)');
    runtime = null;
    return null;
  }
  runtime = createRuntime(picked.bytes, picked.relaxed);
  return runtime;
}

/** Forgets the runtime so the next {@link wasmRuntime} call re-reads the environment (tests). */
export function resetWasmRuntime(): void {
  runtime = undefined;
  noticed = false;
}

/** The inline CommonJS source of a pool worker: instantiate on the shared memory, then drain queues. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = new Int32Array(workerData.ready);
let inst;
try {
  inst = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory, abort() { throw new Error('wasm abort'); } } });
  Atomics.store(ready, workerData.slot, 1);
} catch (e) {
  Atomics.store(ready, workerData.slot, 2);
  throw e;
} finally {
  Atomics.notify(ready, workerData.slot);
}
parentPort.on('message', (m) => {
  const ctl = new Int32Array(m.ctl);
  const f = inst.exports[m.name];
  for (;;) {
    const t = Atomics.add(ctl, 0, 1);
    if (t >= m.total) break;
    try { f(...m.args, t); } catch (e) { Atomics.store(ctl, 2, 1); }
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
});
`;

function createRuntime(bytes: Uint8Array, relaxed: boolean): WasmRuntime {
  const module = new WA.Module(bytes);
  const memory = new WA.Memory({ initial: RESERVED / 65536, maximum: MAX_PAGES, shared: true });
  const instance = new WA.Instance(module, { env: { memory, abort: () => { throw new WideError('UNSUPPORTED', 'a WebAssembly kernel aborted'); } } });
  const exports = instance.exports as unknown as WasmRuntime['exports'];
  if (exports['heapBase']!() > RESERVED) throw new WideError('UNSUPPORTED', 'the WebAssembly module\'s static data exceeds its reserved region');

  const envThreads = Number(process.env['WIDE_THREADS']);
  const threads = Number.isInteger(envThreads) && envThreads >= 1 ? Math.min(64, envThreads) : Math.min(8, availableParallelism());
  const pool: Worker[] = [];
  const dead = new Set<Worker>();
  // One slot per worker: 0 starting, 1 instantiated, 2 failed (set by the worker itself, so a
  // synchronous caller can see it: a worker's error event only arrives on the event loop). Jobs
  // never wait for a worker to start: tasks are claimed dynamically, so the calling thread works
  // from the first moment and a worker joins once booted (a job's stale message finds no task left).
  const ready = new Int32Array(new SharedArrayBuffer(4 * 64));
  function workers(count: number): Worker[] {
    while (pool.length < count) {
      const slot = pool.length;
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ready: ready.buffer, slot } });
      w.unref();
      w.on('error', () => dead.add(w));
      w.on('exit', () => dead.add(w));
      pool.push(w);
    }
    return pool.slice(0, count);
  }

  // Buffers seen from this memory: a view made before a growth holds an older SharedArrayBuffer object.
  const buffers = new WeakSet<ArrayBufferLike>();
  const buffer = () => {
    const b = memory.buffer;
    buffers.add(b);
    return b;
  };

  // First-fit allocator over [RESERVED, top): free blocks by offset, live blocks by offset.
  let top = RESERVED;
  const live = new Map<number, number>();
  const freeList: { offset: number; size: number }[] = [];
  // Memory at or above this offset has never been handed out, so it is still zero.
  let clean = RESERVED;
  // Whether the block the last alloc() returned lay wholly in never-used memory.
  let lastClean = false;
  const handOut = (offset: number, size: number) => {
    lastClean = offset >= clean;
    clean = Math.max(clean, offset + size);
    live.set(offset, size);
    return offset;
  };
  function alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < freeList.length; i++) {
      const f = freeList[i]!;
      if (f.size >= size) {
        const offset = f.offset;
        if (f.size === size) freeList.splice(i, 1);
        else {
          f.offset += size;
          f.size -= size;
        }
        return handOut(offset, size);
      }
    }
    const offset = top;
    const end = top + size;
    const pages = Math.ceil(end / 65536);
    const have = memory.buffer.byteLength / 65536;
    if (pages > MAX_PAGES) throw new WideError('UNSUPPORTED', `WebAssembly memory is limited to 4 GiB; this computation needs ${(end / 2 ** 30).toFixed(2)} GiB at once (compute it in tiles, or set WIDE_KERNELS=js)`);
    if (pages > have) memory.grow(pages - have);
    top = end;
    return handOut(offset, size);
  }
  function free(offset: number): void {
    const size = live.get(offset);
    if (size === undefined) return;
    live.delete(offset);
    if (offset + size === top) {
      top = offset;
      // Fold free blocks that now end at the top.
      for (let last = freeList[freeList.length - 1]; last && last.offset + last.size === top; last = freeList[freeList.length - 1]) {
        top = last.offset;
        freeList.pop();
      }
      return;
    }
    let i = 0;
    while (i < freeList.length && freeList[i]!.offset < offset) i++;
    freeList.splice(i, 0, { offset, size });
    // Merge with neighbours.
    const next = freeList[i + 1];
    if (next && offset + size === next.offset) {
      freeList[i]!.size += next.size;
      freeList.splice(i + 1, 1);
    }
    const prev = freeList[i - 1];
    if (prev && prev.offset + prev.size === offset) {
      prev.size += freeList[i]!.size;
      freeList.splice(i, 1);
    }
  }

  const registry = new FinalizationRegistry<number>((offset) => free(offset));
  const f64 = (offset: number, length: number) => new Float64Array(buffer(), offset, length);

  function parallel(name: string, args: readonly number[], total: number): void {
    if (total <= 0) return;
    const fn = exports[name];
    if (!fn) throw new WideError('UNSUPPORTED', `the WebAssembly module has no kernel "${name}"`);
    const helpers = Math.min(threads, total) - 1;
    if (helpers <= 0) {
      for (let t = 0; t < total; t++) fn(...args, t);
      return;
    }
    const ctl = new Int32Array(new SharedArrayBuffer(12));
    const team = workers(helpers);
    for (const w of team) w.postMessage({ name, args, ctl: ctl.buffer, total });
    let failed: unknown = null;
    for (;;) {
      const t = Atomics.add(ctl, 0, 1);
      if (t >= total) break;
      try {
        fn(...args, t);
      } catch (e) {
        failed ??= e;
      }
      Atomics.add(ctl, 1, 1);
    }
    for (let done = Atomics.load(ctl, 1); done < total; done = Atomics.load(ctl, 1)) {
      Atomics.wait(ctl, 1, done, 200);
      if (team.some((w) => dead.has(w)) && Atomics.load(ctl, 1) < total) {
        throw new WideError('UNSUPPORTED', 'a worker thread of the WebAssembly backend died; set WIDE_THREADS=1 or WIDE_KERNELS=js');
      }
    }
    if (failed) throw failed;
    for (let slot = 0; slot < team.length; slot++) {
      if (Atomics.load(ready, slot) === 2) throw new WideError('UNSUPPORTED', 'a worker thread of the WebAssembly backend failed to start; set WIDE_THREADS=1 or WIDE_KERNELS=js');
    }
    if (Atomics.load(ctl, 2) !== 0) throw new WideError('UNSUPPORTED', `the WebAssembly kernel "${name}" failed on a worker thread`);
  }

  return {
    exports,
    memory,
    relaxed,
    threads,
    alloc,
    free,
    f64,
    array(length, zero = true) {
      if (length === 0) return new Float64Array(0);
      const offset = alloc(length * 8);
      const view = f64(offset, length);
      if (zero && !lastClean) view.fill(0);
      registry.register(view, offset);
      return view;
    },
    offsetOf(a) {
      return buffers.has(a.buffer) ? a.byteOffset : -1;
    },
    adopt(a) {
      if (buffers.has(a.buffer)) return a;
      const out = this.array(a.length);
      out.set(a);
      return out;
    },
    parallel,
  };
}
