/**
 * Result arrays of the WebAssembly backend: views on the runtime's shared memory, freed when
 * garbage-collected or, earlier, by {@link releaseArray} (the runtime's own `array()` cannot be
 * handed back explicitly, and finalisers never run during a synchronous computation, so a
 * kernel computed tile by tile, or a layer chain that drops 200 MB intermediates, would otherwise
 * grow the arena with every step).
 * @module
 */
import type { WasmRuntime } from './runtime.js';

/** Arrays at least this long are filled and copied by the worker pool. */
const PARALLEL_LENGTH = 1 << 18;

interface Block {
  readonly rt: WasmRuntime;
  readonly offset: number;
}

const blocks = new WeakMap<Float64Array, Block>();
const registry = new FinalizationRegistry<Block>((b) => b.rt.free(b.offset));

/** Zero-fills `length` doubles at byte `offset` (on the pool when long). */
export function fillZero(rt: WasmRuntime, offset: number, length: number): void {
  if (length >= PARALLEL_LENGTH) rt.parallel('fillTask', [offset, length, 0], Math.ceil(length / 65536));
  else rt.f64(offset, length).fill(0);
}

/** A new block of `length` doubles as a view (zero-filled when `zero`), freed when collected or released. */
export function newArray(rt: WasmRuntime, length: number, zero: boolean): Float64Array {
  if (length === 0) return new Float64Array(0);
  const offset = rt.alloc(length * 8);
  if (zero) fillZero(rt, offset, length);
  const view = rt.f64(offset, length);
  const block = { rt, offset };
  blocks.set(view, block);
  registry.register(view, block, view);
  return view;
}

/** Frees the block of `a` at once if `a` is a view from {@link newArray}; `a` must not be used afterwards. Anything else is ignored. */
export function releaseArray(a: Float64Array): void {
  const b = blocks.get(a);
  if (!b) return;
  blocks.delete(a);
  registry.unregister(a);
  b.rt.free(b.offset);
}

/** Byte offset of `a` in the runtime's memory, or −1. */
export function offsetOf(rt: WasmRuntime, a: Float64Array): number {
  return a.length === 0 ? -1 : rt.offsetOf(a);
}

/** `a` when it lives in the runtime's memory, else a copy there (a new {@link newArray}). */
export function adopt(rt: WasmRuntime, a: Float64Array): Float64Array {
  if (offsetOf(rt, a) >= 0) return a;
  const out = newArray(rt, a.length, false);
  out.set(a);
  return out;
}

/**
 * Byte offset of `a`'s contents in the runtime's memory: `a`'s own when it lives there, else a
 * temporary copy; call the returned `done` when the kernel has run (frees the copy).
 */
export function borrow(rt: WasmRuntime, a: Float64Array): { offset: number; done: () => void } {
  const own = offsetOf(rt, a);
  if (own >= 0) return { offset: own, done: () => {} };
  const offset = rt.alloc(Math.max(1, a.length) * 8);
  rt.f64(offset, a.length).set(a);
  return { offset, done: () => rt.free(offset) };
}

/** Internal scratch blocks freed together (`using`-style). */
export class Scratch {
  private readonly offsets: number[] = [];
  constructor(private readonly rt: WasmRuntime) {}
  /** A block of `bytes` bytes (at least 8). */
  alloc(bytes: number): number {
    const o = this.rt.alloc(Math.max(8, bytes));
    this.offsets.push(o);
    return o;
  }
  /** A block holding a copy of `values` (f64). */
  f64(values: ArrayLike<number>): number {
    const o = this.alloc(values.length * 8);
    this.rt.f64(o, values.length).set(values);
    return o;
  }
  /** A block holding a copy of `values` (i32). */
  i32(values: ArrayLike<number>): number {
    const o = this.alloc(values.length * 4);
    new Int32Array(this.rt.memory.buffer, o, values.length).set(values);
    return o;
  }
  /** Frees every block. */
  free(): void {
    for (const o of this.offsets) this.rt.free(o);
    this.offsets.length = 0;
  }
}
