/**
 * The Gram tensor and row norms of the WebAssembly backend (assembly/gram.ts): inputs are packed
 * once into 2-row panels, then tiles of rows × columns (on and above the diagonal when b is a) run
 * as tasks of the runtime's queue, many and short, so only the first runs in V8's baseline tier
 * (perf-feasibility §7.1) and both cores stay busy to the end; the lower triangle is mirrored.
 * @module
 */
import { Scratch, borrow, newArray, releaseArray } from './arena.js';
import type { WasmRuntime } from './runtime.js';

/** Bytes of packed rows a tile's row panel may take (it stays in the 1 MiB L2 while column pairs stream past). */
const PANEL_BYTES = 800 * 1024;
/** Columns per tile. */
const TILE_COLUMNS = 512;

/** Rows per panel for C channels: a multiple of 4 in [16, 128]. */
function panelRows(C: number): number {
  const cp = C + (C & 1);
  return Math.max(16, Math.min(128, Math.floor(PANEL_BYTES / (cp * 8) / 4) * 4));
}

/** The tile records (p, i0, i1, j0, j1) of a Gram job, row panel by row panel. */
function tiles(n1: number, n2: number, P: number, C: number, sym: boolean): Int32Array {
  const R = panelRows(C);
  const out: number[] = [];
  for (let i0 = 0; i0 < n1; i0 += R) {
    const i1 = Math.min(n1, i0 + R);
    for (let j0 = sym ? i0 : 0; j0 < n2; j0 += TILE_COLUMNS) {
      const j1 = Math.min(n2, j0 + TILE_COLUMNS);
      for (let p = 0; p < P; p++) out.push(p, i0, i1, j0, j1);
    }
  }
  return Int32Array.from(out);
}

/** Packs x (n rows at P positions of C channels) for gramTask; returns the packed block's offset (owned by `scratch`). */
function pack(rt: WasmRuntime, scratch: Scratch, x: Float64Array, n: number, P: number, C: number): number {
  const nPad = (n + 3) & ~3;
  const cp = C + (C & 1);
  const dst = scratch.alloc(P * nPad * cp * 8);
  const src = borrow(rt, x);
  try {
    const gx = rt.exports;
    rt.parallel('gramPackTask', [src.offset, n, P, C, dst], gx['gramPackTasks']!(n, P));
  } finally {
    src.done();
  }
  return dst;
}

/** See Backend.gram: out[(i·n2 + j)·P + p] = scale·⟨a[i, p, :], b[j, p, :]⟩, b null meaning a (upper triangle, mirrored). */
export function wasmGram(rt: WasmRuntime, a: Float64Array, b: Float64Array | null, n1: number, n2: number, P: number, C: number, scale: number): Float64Array {
  const out = newArray(rt, n1 * n2 * P, C === 0);
  if (out.length === 0 || C === 0) return out;
  const scratch = new Scratch(rt);
  try {
    const sym = b === null;
    const pa = pack(rt, scratch, a, n1, P, C);
    const pb = sym ? pa : pack(rt, scratch, b, n2, P, C);
    const recs = tiles(n1, n2, P, C, sym);
    const t = scratch.i32(recs);
    rt.parallel('gramTask', [pa, pb, rt.offsetOf(out), n1, n2, P, C, scale, sym ? 1 : 0, t], recs.length / 5);
    if (sym) mirror(rt, out, null, n1, P);
  } finally {
    scratch.free();
  }
  return out;
}

/** Copies the upper triangle of square n×n×P kernels `a` (and `b`) into the lower one (blocked, on the pool). */
export function mirror(rt: WasmRuntime, a: Float64Array, b: Float64Array | null, n: number, P: number): void {
  const oa = borrowInPlace(rt, a);
  const ob = b ? borrowInPlace(rt, b) : 0;
  rt.parallel('mirrorTask', [oa, ob, n, P], rt.exports['mirrorTasks']!(n));
}

function borrowInPlace(rt: WasmRuntime, a: Float64Array): number {
  const o = rt.offsetOf(a);
  if (o < 0) throw new Error('internal: mirror needs an array in WebAssembly memory');
  return o;
}

/** See Backend.rowNorms; summed in the Gram kernel's order, so q equals the Gram diagonal bit for bit. */
export function wasmRowNorms(rt: WasmRuntime, x: Float64Array, rows: number, channels: number, scale: number): Float64Array {
  const out = newArray(rt, rows, channels === 0);
  if (rows === 0 || channels === 0) return out;
  const src = borrow(rt, x);
  try {
    rt.parallel('rowNormsTask', [src.offset, rows, channels, scale, rt.offsetOf(out)], rt.exports['rowNormsTasks']!(rows));
  } finally {
    src.done();
  }
  return out;
}

/**
 * See Backend.gramPairs: the Gram matrix of the n1·P by n2·P position rows ({@link wasmGram} with
 * one position; its upper triangle mirrored when b is a), regrouped so that each sample pair's
 * P×P block is contiguous: out[((i·n2 + j)·P + p)·P + p′] = G[i·P + p, j·P + p′].
 */
export function wasmGramPairs(rt: WasmRuntime, a: Float64Array, b: Float64Array | null, n1: number, n2: number, P: number, C: number, scale: number): Float64Array {
  const m2 = (b === null ? n1 : n2) * P;
  const g = wasmGram(rt, a, b, n1 * P, m2, 1, C, scale);
  const out = newArray(rt, n1 * n2 * P * P, false);
  for (let i = 0; i < n1; i++) {
    for (let p = 0; p < P; p++) {
      const row = (i * P + p) * m2;
      for (let j = 0; j < n2; j++) out.set(g.subarray(row + j * P, row + (j + 1) * P), ((i * n2 + j) * P + p) * P);
    }
  }
  releaseArray(g);
  return out;
}
