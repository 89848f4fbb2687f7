/**
 * The float64 CPU backend.
 * @module
 */
import type { Backend } from '../backend.js';
import { matmulAB, matmulABt, matmulAtB } from './blas.js';
import { gram } from './gram.js';
import { cholesky, choleskySolve, eigvalsh } from './linalg.js';
import { pairMap } from './pair-map.js';
import { zeros } from './threads.js';

/** Squared row norms, summed in exactly the order of the Gram kernel ({@link dotBlock}: t = 0, 1, …), so a point paired with itself in two batches gives c = q bit for bit. */
function rowNorms(x: Float64Array, rows: number, channels: number, scale: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    let sum = 0;
    for (let t = 0; t < channels; t++) sum += x[o + t]! * x[o + t]!;
    out[r] = sum * scale;
  }
  return out;
}

function setDiagonal(k: Float64Array, n: number, P: number, values: Float64Array): void {
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

/** The default backend: plain TypeScript, float64; for large kernels the Gram step and the pair maps of rules with a portable form use worker threads (see {@link cpuThreads}). */
export const cpuBackend: Backend = {
  name: 'cpu',
  zeros,
  rowNorms,
  gram,
  setDiagonal,
  affine,
  combine,
  multiply,
  pairMap,
  matmulABt,
  matmulAB,
  matmulAtB,
  cholesky,
  choleskySolve,
  eigvalsh,
};

export { cholesky, choleskySolve, eigvalsh, tridiagonalize, tridiagonalEigenvalues } from './linalg.js';
export { matmulAB, matmulABt, matmulAtB } from './blas.js';
export { gram } from './gram.js';
export { cpuThreads, zeros } from './threads.js';
