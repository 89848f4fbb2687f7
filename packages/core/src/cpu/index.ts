/**
 * The float64 CPU backends: {@link jsBackend} (plain JavaScript, the reference),
 * {@link wasmBackend} (WebAssembly SIMD kernels) and {@link cpuBackend}, which picks between them
 * on every call.
 * @module
 */
import type { Backend } from '../backend.js';
import { jsBackend } from './js.js';
import { wasmBackend } from './wasm/backend.js';
import { releaseArray } from './wasm/arena.js';
import { wasmRuntime } from './wasm/runtime.js';

const pick = (): Backend => (wasmRuntime() ? wasmBackend : jsBackend);

/**
 * The default backend: {@link wasmBackend} when the WebAssembly runtime is available (SIMD in the
 * engine, `WIDE_KERNELS` unset or not `js`), else {@link jsBackend}; decided on every call, so
 * `WIDE_KERNELS=js` may be set at any time. Large Gram matrices, pair maps and fused layer chains
 * run on worker threads (see {@link cpuThreads}); results do not depend on the thread count.
 */
export const cpuBackend: Backend = {
  name: 'cpu',
  zeros: (n) => pick().zeros(n),
  rowNorms: (x, rows, channels, scale) => pick().rowNorms(x, rows, channels, scale),
  gram: (a, b, n1, n2, P, C, scale) => pick().gram(a, b, n1, n2, P, C, scale),
  setDiagonal: (k, n, P, values) => pick().setDiagonal(k, n, P, values),
  affine: (x, alpha, beta, out) => pick().affine(x, alpha, beta, out),
  combine: (a, x, b, y, out) => pick().combine(a, x, b, y, out),
  multiply: (x, y, out) => pick().multiply(x, y, out),
  pairMap: (rule, layout, nngp, ntk, var1, var2, inPlace) => pick().pairMap(rule, layout, nngp, ntk, var1, var2, inPlace),
  chain: (steps, k) => pick().chain?.(steps, k) ?? null,
  nonFinite: (x) => pick().nonFinite!(x),
  release: releaseArray,
  matmulABt: (a, b, m, n, k, scale) => pick().matmulABt(a, b, m, n, k, scale),
  matmulAB: (a, b, m, k, n) => pick().matmulAB(a, b, m, k, n),
  matmulAtB: (a, b, k, m, n) => pick().matmulAtB(a, b, k, m, n),
  cholesky: (a, n) => pick().cholesky(a, n),
  choleskySolve: (l, n, b, m) => pick().choleskySolve(l, n, b, m),
  eigvalsh: (a, n) => pick().eigvalsh(a, n),
  eigh: (a, n) => pick().eigh(a, n),
};

export { jsBackend } from './js.js';
export { wasmBackend } from './wasm/backend.js';
export { cholesky, choleskySolve, eigvalsh, tridiagonalize, tridiagonalEigenvalues } from './linalg.js';
export { choleskyJs, choleskySolveJs, eigh, eighJs, eigvalshJs, LINALG_WASM_MIN_N, type Eigh } from './linalg.js';
export { conjugateGradient, type CgOptions, type CgResult, type MatVec } from './linalg-cg.js';
export { matmulAB, matmulABt, matmulAtB } from './blas.js';
export { gram } from './gram.js';
export { cpuThreads, zeros } from './threads.js';
