/**
 * The dense linear algebra of the solver, on one of two paths: small problems (n ≤
 * {@link SMALL_N}) use ml-matrix (`EigenvalueDecomposition`: Householder tridiagonalisation +
 * implicit QL, `CholeskyDecomposition`), large ones the backend's blocked float64 routines
 * (`Backend.eigh`, `Backend.cholesky`; WebAssembly SIMD on the CPU backend). The `linalg` option
 * forces a path; tests run both and compare. An entry point fixes the path once from its train size
 * n ({@link resolveLinalg}), and its matrix products follow it: ml-matrix `mmul`, or the backend's
 * Gram op (A·B = Gram(rows of A, columns of B); WebAssembly SIMD, blocked and threaded on the CPU
 * backend, several times faster than its plain `matmulAB` loops).
 * @module
 */
import { type Backend, NotPositiveDefiniteError, cpuBackend } from '@wide/core';
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Largest n solved with ml-matrix on the `auto` path. */
export const SMALL_N = 300;

/** Which dense linear algebra to use: `auto` (ml-matrix up to {@link SMALL_N}, then the backend), or one of them always. */
export type LinalgPath = 'auto' | 'ml-matrix' | 'backend';

/** Options shared by every solver entry point that factorises a kernel. */
export interface LinalgOptions {
  /** Backend for the large path and for matrix products (default: the CPU backend). */
  backend?: Backend;
  /** Dense linear algebra path (default `auto`). */
  linalg?: LinalgPath;
}

/** An eigendecomposition A = V·diag(values)·Vᵀ: values ascending, eigenvector p in column p of the row-major n×n `vectors`. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

function useMlMatrix(n: number, o: LinalgOptions): boolean {
  const path = o.linalg ?? 'auto';
  return path === 'ml-matrix' || (path === 'auto' && n <= SMALL_N);
}

/** The options with the path fixed for a problem of n train points (`auto` resolved). */
export function resolveLinalg(n: number, o: LinalgOptions): LinalgOptions {
  return { backend: o.backend ?? cpuBackend, linalg: useMlMatrix(n, o) ? 'ml-matrix' : 'backend' };
}

/** Eigendecomposition of the symmetric n×n matrix `a` (row-major; the lower triangle is read). */
export function symmetricEigen(a: Float64Array, n: number, o: LinalgOptions = {}): SymmetricEigen {
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  if (!useMlMatrix(n, o)) return (o.backend ?? cpuBackend).eigh(a, n);
  const evd = new EigenvalueDecomposition(lowerSymmetric(a, n), { assumeSymmetric: true });
  const v = evd.eigenvectorMatrix;
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) vectors[i * n + p] = v.get(i, p);
  return { values: Float64Array.from(evd.realEigenvalues), vectors };
}

/** Eigenvalues (ascending) of the symmetric n×n matrix `a` (lower triangle read). */
export function symmetricEigenvalues(a: Float64Array, n: number, o: LinalgOptions = {}): Float64Array {
  if (n === 0) return new Float64Array(0);
  if (!useMlMatrix(n, o)) return (o.backend ?? cpuBackend).eigvalsh(a, n);
  return Float64Array.from(new EigenvalueDecomposition(lowerSymmetric(a, n), { assumeSymmetric: true }).realEigenvalues);
}

/** A Cholesky factorisation A = L·Lᵀ that solves A·X = B. */
export interface CholeskyFactor {
  /** X = A⁻¹·B for B n×m (row-major). */
  solve(b: Float64Array, m: number): Float64Array;
}

/**
 * Cholesky factorisation of the symmetric n×n matrix `a` (lower triangle read). Throws
 * {@link NotPositiveDefiniteError} naming `what`, the failing pivot and its value.
 */
export function choleskyFactor(a: Float64Array, n: number, what: string, o: LinalgOptions = {}): CholeskyFactor {
  if (!useMlMatrix(n, o)) {
    const backend = o.backend ?? cpuBackend;
    let L: Float64Array;
    try {
      L = backend.cholesky(a, n);
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) throw new NotPositiveDefiniteError(`${what}: ${e.message}`);
      throw e;
    }
    return { solve: (b, m) => (m === 0 ? new Float64Array(0) : backend.choleskySolve(L, n, b, m)) };
  }
  const chol = new CholeskyDecomposition(lowerSymmetric(a, n));
  if (!chol.isPositiveDefinite()) {
    // ml-matrix sets √max(d, 0) on the diagonal: the first pivot that is not positive is the
    // first zero (or non-finite) diagonal entry of L; its value is d_j = a_jj − Σ_{t<j} L_jt².
    const L = chol.lowerTriangularMatrix;
    let j = 0;
    while (j < n && L.get(j, j) > 0 && Number.isFinite(L.get(j, j))) j++;
    let d = a[j * n + j]!;
    for (let t = 0; t < j; t++) d -= L.get(j, t) ** 2;
    throw new NotPositiveDefiniteError(
      `${what}: matrix is not positive definite: pivot ${j} of ${n} is ${d} (add a diagonal regulariser, diagReg, or check the kernel for negative eigenvalues)`,
    );
  }
  return {
    solve(b, m) {
      if (m === 0) return new Float64Array(0);
      const x = chol.solve(Matrix.from1DArray(n, m, b));
      const out = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) out[i * m + c] = x.get(i, c);
      return out;
    },
  };
}

/** C (m×p) = A (m×k) · B (k×p), row-major: ml-matrix `mmul` on the ml-matrix path, else the backend's Gram op. */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, p: number, o: LinalgOptions = {}): Float64Array {
  if (m === 0 || p === 0 || k === 0) return new Float64Array(m * p);
  if (o.linalg === 'ml-matrix') return Float64Array.from(Matrix.from1DArray(m, k, a).mmul(Matrix.from1DArray(k, p, b)).to1DArray());
  return (o.backend ?? cpuBackend).gram(a, transposed(b, k, p), m, p, 1, k, 1);
}

/** C (m×p) = Aᵀ · B with A k×m and B k×p, row-major. */
export function matmulTransposed(a: Float64Array, b: Float64Array, k: number, m: number, p: number, o: LinalgOptions = {}): Float64Array {
  if (m === 0 || p === 0 || k === 0) return new Float64Array(m * p);
  if (o.linalg === 'ml-matrix') return Float64Array.from(Matrix.from1DArray(k, m, a).transpose().mmul(Matrix.from1DArray(k, p, b)).to1DArray());
  return (o.backend ?? cpuBackend).gram(transposed(a, k, m), transposed(b, k, p), m, p, 1, k, 1);
}

/** The transpose (cols×rows) of x (rows×cols). */
function transposed(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}

/** The symmetric ml-matrix matrix whose lower triangle is that of `a`. */
function lowerSymmetric(a: Float64Array, n: number): Matrix {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j]!;
      m.set(i, j, v);
      m.set(j, i, v);
    }
  }
  return m;
}
