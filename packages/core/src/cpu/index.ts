/**
 * The float64 CPU backends: {@link jsBackend} (plain JavaScript, the reference),
 * {@link wasmBackend} (WebAssembly SIMD kernels) and {@link cpuBackend}, which picks between them
 * on every call.
 * @module
 */
import type { Backend } from '../backend.js';
import { wasmBackend } from './wasm/backend.js';

/**
 * The default backend: {@link wasmBackend}'s kernels when the WebAssembly runtime is available
 * (SIMD in the engine, `WIDE_KERNELS` unset or not `js`), else {@link jsBackend}'s; decided on
 * every call (the WebAssembly backend falls back op by op), so `WIDE_KERNELS=js` may be set at any
 * time. Large Gram matrices, pair maps and fused layer chains run on worker threads (see
 * {@link cpuThreads}); results do not depend on the thread count.
 */
export const cpuBackend: Backend = { ...wasmBackend, name: 'cpu' };

export { jsBackend } from './js.js';
export { wasmBackend } from './wasm/backend.js';
export { cholesky, choleskySolve, eigvalsh, tridiagonalize, tridiagonalEigenvalues } from './linalg.js';
export { choleskyJs, choleskySolveJs, eigh, eighJs, eigvalshJs, LINALG_WASM_MIN_N, type Eigh } from './linalg.js';
export { conjugateGradient, type CgOptions, type CgResult, type MatVec } from './linalg-cg.js';
export { matmulAB, matmulABt, matmulAtB } from './blas.js';
export { gram } from './gram.js';
export { cpuThreads, zeros } from './threads.js';
