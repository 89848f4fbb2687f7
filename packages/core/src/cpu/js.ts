/**
 * The plain-JavaScript float64 backend: the reference implementation of every op (what
 * `WIDE_KERNELS=js` selects and what the WebAssembly kernels are tested against).
 * @module
 */
import type { Backend } from '../backend.js';
import { matmulAB, matmulABt, matmulAtB } from './blas.js';
import { gram, gramPairs } from './gram.js';
import { windowSum, windowSumPairs } from './window.js';
import { choleskyJs, choleskySolveJs, eighJs, eigvalshJs } from './linalg.js';
import { pairMap } from './pair-map.js';
import { zeros } from './threads.js';
import { nonFiniteKind } from '../errors.js';

/** Squared row norms, summed in exactly the order of the Gram kernel ({@link dotBlock}: even t, odd t, then their sum), so a point paired with itself in two batches gives c = q bit for bit. */
function rowNorms(x: Float64Array, rows: number, channels: number, scale: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    // Even and odd t summed apart, then added: the order of the Gram kernels (blas.ts, assembly/gram.ts).
    let even = 0;
    let odd = 0;
    for (let t = 0; t < channels; t += 2) even += x[o + t]! * x[o + t]!;
    for (let t = 1; t < channels; t += 2) odd += x[o + t]! * x[o + t]!;
    out[r] = (even + odd) * scale;
  }
  return out;
}

/** Writes values[i·P + p] onto the diagonal entries (i, i, p) of a square same-position kernel. */
export function setDiagonal(k: Float64Array, n: number, P: number, values: Float64Array): void {
  for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) k[(i * n + i) * P + p] = values[i * P + p]!;
}

function affine(x: Float64Array, alpha: number, beta: number, out = zeros(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i]! + beta;
  return out;
}

function combine(a: number, x: Float64Array, b: number, y: Float64Array, out = zeros(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = a * x[i]! + b * y[i]!;
  return out;
}

function multiply(x: Float64Array, y: Float64Array, out = zeros(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * y[i]!;
  return out;
}

/**
 * The plain-TypeScript CPU backend, float64: the reference the WebAssembly kernels are tested
 * against. For large kernels the Gram step and the pair maps of rules with a portable form use
 * worker threads (see {@link cpuThreads}); results do not depend on the thread count.
 */
export const jsBackend: Backend = {
  name: 'js',
  zeros,
  rowNorms,
  gram,
  gramPairs,
  windowSum,
  windowSumPairs,
  setDiagonal,
  affine,
  combine,
  multiply,
  pairMap,
  matmulABt,
  matmulAB,
  matmulAtB,
  cholesky: choleskyJs,
  choleskySolve: choleskySolveJs,
  eigvalsh: eigvalshJs,
  eigh: eighJs,
  nonFinite: nonFiniteKind,
};
