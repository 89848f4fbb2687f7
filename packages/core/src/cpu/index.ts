/**
 * The float64 CPU backend.
 * @module
 */
import type { Backend } from '../backend.js';
import { gram, matmulAB, matmulABt, matmulAtB } from './blas.js';
import { cholesky, choleskySolve, eigvalsh } from './linalg.js';
import { pairMap } from './pair-map.js';

function rowNorms(x: Float64Array, rows: number, channels: number, scale: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * channels;
    for (let c = 0; c < channels; c++) s += x[o + c]! * x[o + c]!;
    out[r] = s * scale;
  }
  return out;
}

function setDiagonal(k: Float64Array, n: number, P: number, values: Float64Array): void {
  for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) k[(i * n + i) * P + p] = values[i * P + p]!;
}

function affine(x: Float64Array, alpha: number, beta: number, out = new Float64Array(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i]! + beta;
  return out;
}

function combine(a: number, x: Float64Array, b: number, y: Float64Array, out = new Float64Array(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = a * x[i]! + b * y[i]!;
  return out;
}

function multiply(x: Float64Array, y: Float64Array, out = new Float64Array(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * y[i]!;
  return out;
}

/** The default backend: plain TypeScript, float64, single thread. */
export const cpuBackend: Backend = {
  name: 'cpu',
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
export { gram, matmulAB, matmulABt, matmulAtB } from './blas.js';
