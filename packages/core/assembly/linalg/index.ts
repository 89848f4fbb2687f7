// Dense linear algebra kernels of the CPU backend (f64x2 SIMD): packed GEMM, Cholesky, solves,
// symmetric tridiagonalisation. Exported into the one WebAssembly module of @wide/core.
export * from './gemm';
export * from './chol';
export * from './sytrd';
export * from './secular';
export * from './sterf';
