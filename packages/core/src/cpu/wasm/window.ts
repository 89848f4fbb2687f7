/**
 * Window sums of the WebAssembly backend (assembly/window.ts): same-position and position-pair
 * window sums (tied taps for a convolution, all tap pairs for pooling) over blocks of rows on the
 * worker pool, each block through every axis in a scratch slot of the thread running it. They keep
 * the summation order of the plain-JS reference (../window.ts), so results equal it bit for bit.
 * @module
 */
import type { WindowSpec } from '../../backend.js';
import { tapTable, windowSum as jsWindowSum, windowSumPairs as jsWindowSumPairs } from '../window.js';
import { Scratch, borrow, newArray } from './arena.js';
import type { WasmRuntime } from './runtime.js';

/** Modes of assembly/window.ts: same-position blocks, pair blocks with tied taps, pair blocks with all tap pairs. */
export const WINDOW_SAME = 0;
export const WINDOW_TIED = 1;
export const WINDOW_POOL = 2;
export type WindowMode = typeof WINDOW_SAME | typeof WINDOW_TIED | typeof WINDOW_POOL;

/** Numbers a task aims to read (blocks per task follow from it). */
const TASK_NUMBERS = 1 << 16;

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Input and output positions of a spec. */
export function specPositions(spec: WindowSpec): { pin: number; pout: number } {
  return { pin: prod(spec.axes.map((a) => a.in)), pout: prod(spec.axes.map((a) => a.out)) };
}

/** Numbers the largest intermediate result of one block takes, the passes as the reference runs them. */
export function windowBuffer(spec: WindowSpec, mode: WindowMode): number {
  const N = spec.axes.length;
  const ins = spec.axes.map((a) => a.in);
  const cur = mode === WINDOW_SAME ? ins : [...ins, ...ins];
  let most = 1;
  spec.axes.forEach((axis, a) => {
    cur[a] = axis.out;
    if (mode === WINDOW_POOL) most = Math.max(most, prod(cur));
    if (mode !== WINDOW_SAME) cur[N + a] = axis.out;
    most = Math.max(most, prod(cur));
  });
  return most;
}

/**
 * Numbers of the line buffer of a spec: the longest stretch of input coordinates any axis' window
 * reads (a padded line), and at least the longest axis (the tied passes' line of zeros).
 */
export function windowPad(spec: WindowSpec): number {
  return Math.max(1, ...spec.axes.map((a) => Math.max(a.in, (a.out - 1) * a.stride + (a.size - 1) * a.dilation + 1)));
}

/**
 * Writes the spec record of assembly/window.ts and its tap tables into `scratch`; returns the
 * record's byte offset.
 */
export function specRecord(scratch: Scratch, spec: WindowSpec): number {
  const N = spec.axes.length;
  const { pin, pout } = specPositions(spec);
  const rec = new Int32Array(4 + 8 * N);
  rec.set([N, pin, pout, spec.circular ? 1 : 0]);
  spec.axes.forEach((a, i) => {
    rec.set([a.in, a.out, a.size, a.stride, a.dilation, a.padBefore, scratch.i32(tapTable(a, spec.circular)), 0], 4 + 8 * i);
  });
  return scratch.i32(rec);
}

/** Scratch slots for tasks needing `doubles` numbers each: one per thread, claimed through i32 flags. */
export function slotScratch(rt: WasmRuntime, scratch: Scratch, doubles: number): { base: number; slots: number; count: number } {
  const count = rt.threads;
  return { base: scratch.alloc(count * doubles * 8), slots: scratch.i32(new Int32Array(count)), count };
}

/** Whether the native kernels take this spec (every axis has an input; the degenerate rest is left to the reference). */
const nativeSpec = (spec: WindowSpec) => spec.axes.every((a) => a.in > 0);

function run(rt: WasmRuntime, spec: WindowSpec, x: Float64Array, rows: number, mode: WindowMode, scale: number, shift: number): Float64Array {
  const { pin, pout } = specPositions(spec);
  const blockIn = mode === WINDOW_SAME ? pin : pin * pin;
  const blockOut = mode === WINDOW_SAME ? pout : pout * pout;
  const out = newArray(rt, rows * blockOut, false);
  if (out.length === 0) return out;
  const scratch = new Scratch(rt);
  const src = borrow(rt, x);
  try {
    const rec = specRecord(scratch, spec);
    const slotDoubles = windowBuffer(spec, mode);
    const padDoubles = windowPad(spec);
    const { base, slots, count } = slotScratch(rt, scratch, 2 * slotDoubles + padDoubles);
    const perTask = Math.max(1, Math.floor(TASK_NUMBERS / Math.max(1, blockIn + blockOut)));
    rt.parallel('windowTask', [src.offset, rt.offsetOf(out), rows, rec, mode, scale, shift, base, slotDoubles, padDoubles, slots, count, perTask], Math.ceil(rows / perTask));
  } finally {
    src.done();
    scratch.free();
  }
  return out;
}

/** See Backend.windowSum. */
export function wasmWindowSum(rt: WasmRuntime, spec: WindowSpec, x: Float64Array, rows: number, scale: number, shift: number): Float64Array {
  const { pin } = specPositions(spec);
  if (x.length !== rows * pin || !nativeSpec(spec)) return jsWindowSum(spec, x, rows, scale, shift);
  return run(rt, spec, x, rows, WINDOW_SAME, scale, shift);
}

/** See Backend.windowSumPairs. */
export function wasmWindowSumPairs(rt: WasmRuntime, spec: WindowSpec, x: Float64Array, rows: number, shared: boolean, scale: number, shift: number): Float64Array {
  const { pin } = specPositions(spec);
  if (x.length !== rows * pin * pin || !nativeSpec(spec)) return jsWindowSumPairs(spec, x, rows, shared, scale, shift);
  return run(rt, spec, x, rows, shared ? WINDOW_TIED : WINDOW_POOL, scale, shift);
}

