/**
 * The float64 CPU backend.
 * @module
 */
import type { Backend } from '../backend.js';
import { gram, matmulAB, matmulABt, matmulAtB } from './blas.js';
import { cholesky, choleskySolve, eigvalsh } from './linalg.js';
import { pairMap } from './pair-map.js';

/** Squared row norms, summed in exactly the order of the Gram kernel ({@link dotBlock}: even and odd terms apart), so a point paired with itself in two batches gives c = q bit for bit. */
function rowNorms(x: Float64Array, rows: number, channels: number, scale: number): Float64Array {
  const out = new Float64Array(rows);
  const k2 = channels - (channels % 2);
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    let even = 0;
    let odd = 0;
    let t = 0;
    for (; t < k2; t += 2) {
      even += x[o + t]! * x[o + t]!;
      odd += x[o + t + 1]! * x[o + t + 1]!;
    }
    if (t < channels) even += x[o + t]! * x[o + t]!;
    out[r] = (even + odd) * scale;
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
