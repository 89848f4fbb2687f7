/**
 * `@wide/core`: the Kernel type, the layer contract, combinators, Gaussian quadrature, a seeded
 * RNG, the backend interface with its float64 CPU implementation, and finite-width
 * (empirical and Monte-Carlo) kernels.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './rng.js';
export * from './quadrature.js';
export * from './gaussian-moments.js';
export * from './tensor.js';
export * from './kernel.js';
export * from './backend.js';
export { cpuBackend, jsBackend, wasmBackend } from './cpu/index.js';
export { cholesky, choleskySolve, cpuThreads, eigvalsh, eigh, type Eigh, conjugateGradient, type CgOptions, type CgResult, type MatVec } from './cpu/index.js';
export { choleskyJs, choleskySolveJs, eigvalshJs, eighJs } from './cpu/index.js';
export { nativeRule, nativeRulePrecheck, wasmRuleBatch, type NativeRule } from './cpu/wasm/rule-ids.js';
export * from './layer.js';
export * from './values.js';
export * from './combinators.js';
export { computeKernel, releaseKernel, type ComputeKernelOptions } from './kernel-fn.js';
export * from './tiled.js';
export * from './layout.js';
export { defaultMaxMemory, estimateKernelMemory, MAX_DEFAULT_MEMORY, FALLBACK_MEMORY, type KernelMemoryEstimate, type MemoryOptions } from './memory.js';
export * from './empirical.js';
