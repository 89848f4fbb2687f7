/**
 * Elementwise ops of the WebAssembly backend (assembly/ops.ts): on the worker pool when the arrays
 * are long and live in WebAssembly memory, else the same arithmetic in a JS loop (a multiply then
 * an add, as the plain-JS backend: both give bit-equal results).
 * @module
 */
import { newArray, offsetOf } from './arena.js';
import type { WasmRuntime } from './runtime.js';
import { nonFiniteKind } from '../../errors.js';

/** Shorter arrays are done by a JS loop (the pool's hand-off costs more). */
const POOL_LENGTH = 1 << 16;

/** The output array: `out`, or a new arena array when x lives in WebAssembly memory (or is long), else a JS array. */
function output(rt: WasmRuntime, x: Float64Array, out: Float64Array | undefined): Float64Array {
  if (out) return out;
  return x.length >= POOL_LENGTH || offsetOf(rt, x) >= 0 ? newArray(rt, x.length, false) : new Float64Array(x.length);
}

/** Byte offsets of the arrays when every one lives in WebAssembly memory and they are long, else null. */
function onPool(rt: WasmRuntime, ...arrays: Float64Array[]): number[] | null {
  if (arrays[0]!.length < POOL_LENGTH) return null;
  const offs = arrays.map((a) => offsetOf(rt, a));
  return offs.every((o) => o >= 0) ? offs : null;
}

const tasks = (n: number) => Math.ceil(n / 65536);

/** out = alpha·x + beta. */
export function wasmAffine(rt: WasmRuntime, x: Float64Array, alpha: number, beta: number, out?: Float64Array): Float64Array {
  const o = output(rt, x, out);
  const offs = onPool(rt, x, o);
  if (offs) rt.parallel('affineTask', [offs[0]!, offs[1]!, x.length, alpha, beta], tasks(x.length));
  else for (let i = 0; i < x.length; i++) o[i] = alpha * x[i]! + beta;
  return o;
}

/** out = a·x + b·y. */
export function wasmCombine(rt: WasmRuntime, a: number, x: Float64Array, b: number, y: Float64Array, out?: Float64Array): Float64Array {
  const o = output(rt, x, out);
  const offs = onPool(rt, x, y, o);
  if (offs) rt.parallel('combineTask', [offs[0]!, offs[1]!, offs[2]!, x.length, a, b], tasks(x.length));
  else for (let i = 0; i < x.length; i++) o[i] = a * x[i]! + b * y[i]!;
  return o;
}

/** out = x ⊙ y. */
export function wasmMultiply(rt: WasmRuntime, x: Float64Array, y: Float64Array, out?: Float64Array): Float64Array {
  const o = output(rt, x, out);
  const offs = onPool(rt, x, y, o);
  if (offs) rt.parallel('multiplyTask', [offs[0]!, offs[1]!, offs[2]!, x.length], tasks(x.length));
  else for (let i = 0; i < x.length; i++) o[i] = x[i]! * y[i]!;
  return o;
}

/** {@link nonFiniteKind} on the pool for long arrays in WebAssembly memory. */
export function wasmNonFinite(rt: WasmRuntime, x: Float64Array): 0 | 1 | 2 {
  const offs = onPool(rt, x);
  if (!offs) return nonFiniteKind(x);
  const n = tasks(x.length);
  const flags = rt.alloc(n * 4);
  try {
    rt.parallel('scanTask', [offs[0]!, x.length, flags], n);
    for (const f of new Int32Array(rt.memory.buffer, flags, n)) if (f) return f as 1 | 2;
    return 0;
  } finally {
    rt.free(flags);
  }
}
