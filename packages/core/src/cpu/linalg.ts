/**
 * Float64 symmetric linear algebra: Cholesky factorisation and solves, eigenvalues and the full
 * eigendecomposition of a symmetric matrix, conjugate gradients.
 *
 * The exported `cholesky`, `choleskySolve`, `eigvalsh` and `eigh` run the WebAssembly SIMD kernels
 * (blocked, on the worker pool; `linalg-wasm.ts`, `linalg-eig.ts`) when the runtime is available
 * and the matrix is not tiny; the plain-JS routines of this file (`choleskyJs`, `choleskySolveJs`,
 * `eigvalshJs`: unblocked Cholesky, Householder tridiagonalisation + implicit QL; `eighJs`) are the
 * reference and the fallback (`WIDE_KERNELS=js`, or no WebAssembly SIMD).
 * @module
 */
import { NonConvergenceError, NonFiniteInputError, NotPositiveDefiniteError, ShapeMismatchError } from '../errors.js';
import { jsDenseOps } from './linalg-dc.js';
import { eighWasm, eigvalshWasm } from './linalg-eig.js';
import { type Eigh, eighJs as eighJsWith } from './linalg-eigh.js';
import { choleskySolveWasm, choleskyWasm, notPd } from './linalg-wasm.js';
import { type WasmRuntime, wasmRuntime } from './wasm/runtime.js';

export type { Eigh } from './linalg-eigh.js';

/** Smallest n for which the WebAssembly kernels are used (below it the JS loops are faster). */
export const LINALG_WASM_MIN_N = 16;

function runtimeFor(n: number): WasmRuntime | null {
  return n >= LINALG_WASM_MIN_N ? wasmRuntime() : null;
}

function checkSquare(a: Float64Array, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (a.length !== n * n) throw new ShapeMismatchError(`${what} has ${a.length} entries, expected ${n}×${n}`);
}

/**
 * Lower Cholesky factor L (row-major, zero above the diagonal) of a symmetric positive-definite
 * n×n matrix (the lower triangle is read). Throws {@link NotPositiveDefiniteError} naming the first
 * pivot that is not positive (NaN and infinite pivots included) and its value.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'the matrix');
  const rt = runtimeFor(n);
  return rt ? choleskyWasm(rt, a, n) : choleskyJs(a, n);
}

/** Solves L·Lᵀ·X = B for X (B n×m, row-major) with the factor from {@link cholesky}. */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  checkSquare(L, n, 'the factor');
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m must be a non-negative integer, got ${m}`);
  if (b.length !== n * m) throw new ShapeMismatchError(`the right-hand side has ${b.length} entries, expected ${n}×${m}`);
  if (m === 0) return new Float64Array(0);
  for (let i = 0; i < n; i++) {
    const d = L[i * n + i]!;
    if (!(d > 0 && d < Infinity)) throw new NotPositiveDefiniteError(`the Cholesky factor has ${d} on its diagonal at ${i} of ${n} (expected a positive finite number)`);
  }
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i]!)) throw new NonFiniteInputError(`the right-hand side holds ${b[i]} at [${Math.floor(i / m)}, ${i % m}]`);
  }
  const rt = runtimeFor(n);
  return rt ? choleskySolveWasm(rt, L, n, b, m) : choleskySolveJs(L, n, b, m);
}

/** Eigenvalues (ascending) of a symmetric n×n matrix given row-major (the lower triangle is read). */
export function eigvalsh(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'the matrix');
  const rt = runtimeFor(n);
  return rt ? eigvalshWasm(rt, a, n) : eigvalshJs(a, n);
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric n×n matrix (row-major, the
 * lower triangle is read): `vectors` is row-major n×n with the eigenvector of values[p] in column
 * p, as NumPy's `eigh` returns it (A·V = V·diag(values)). Householder tridiagonalisation, divide
 * and conquer, blocked back-transformation.
 */
export function eigh(a: Float64Array, n: number): Eigh {
  checkSquare(a, n, 'the matrix');
  const rt = runtimeFor(n);
  return rt ? eighWasm(rt, a, n) : eighJs(a, n);
}

/** Plain-JS {@link eigh} (reference and fallback). */
export function eighJs(a: Float64Array, n: number): Eigh {
  checkSquare(a, n, 'the matrix');
  return eighJsWith(a, n, jsDenseOps);
}

/** Plain-JS unblocked Cholesky (reference and fallback of {@link cholesky}). */
export function choleskyJs(a: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j]!;
    for (let t = 0; t < j; t++) s -= L[rj + t]! * L[rj + t]!;
    if (!(s > 0 && s < Infinity)) throw notPd(j, n, s);
    const d = Math.sqrt(s);
    L[rj + j] = d;
    const inv = 1 / d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let v = a[ri + j]!;
      for (let t = 0; t < j; t++) v -= L[ri + t]! * L[rj + t]!;
      L[ri + j] = v * inv;
    }
  }
  return L;
}

/** Plain-JS {@link choleskySolve} (reference and fallback). */
export function choleskySolveJs(L: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  // Forward: L·Y = B.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const xi = i * m;
    for (let t = 0; t < i; t++) {
      const l = L[ri + t]!;
      if (l === 0) continue;
      const xt = t * m;
      for (let c = 0; c < m; c++) x[xi + c] -= l * x[xt + c]!;
    }
    const inv = 1 / L[ri + i]!;
    for (let c = 0; c < m; c++) x[xi + c] *= inv;
  }
  // Backward: Lᵀ·X = Y.
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * m;
    const inv = 1 / L[i * n + i]!;
    for (let c = 0; c < m; c++) x[xi + c] *= inv;
    for (let t = 0; t < i; t++) {
      const l = L[i * n + t]!;
      if (l === 0) continue;
      const xt = t * m;
      for (let c = 0; c < m; c++) x[xt + c] -= l * x[xi + c]!;
    }
  }
  return x;
}

/**
 * Householder reduction of a symmetric matrix (lower triangle read) to tridiagonal form:
 * returns its diagonal d (n) and sub-diagonal e (n, e[n−1] = 0). Cost (4/3)n³.
 */
export function tridiagonalize(a: Float64Array, n: number): { d: Float64Array; e: Float64Array } {
  const A = Float64Array.from(a);
  // Symmetrise from the lower triangle so row-wise access is valid.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j]!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // x = A[k+1:, k], scaled by its largest entry so that squares neither underflow nor overflow.
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(A[i * n + k]!));
    d[k] = A[k * n + k]!;
    if (scale === 0) {
      e[k] = 0;
      continue;
    }
    let alpha = 0;
    for (let i = k + 1; i < n; i++) {
      const xi = A[i * n + k]! / scale;
      v[i] = xi;
      alpha += xi * xi;
    }
    alpha = Math.sqrt(alpha);
    const x0 = v[k + 1]!;
    const sign = x0 >= 0 ? 1 : -1;
    const beta0 = -sign * alpha; // the new sub-diagonal entry, in units of `scale`
    e[k] = beta0 * scale;
    // v = x − beta0·e1, H = I − τ v vᵀ with τ = 1 / (alpha² − x0·beta0) (all scale-free)
    v[k + 1] = x0 - beta0;
    const tau = 1 / (alpha * alpha - x0 * beta0);
    // p = τ·A₂₂·v
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let j = k + 1; j < n; j++) s += A[ri + j]! * v[j]!;
      p[i] = tau * s;
    }
    // w = p − (τ/2)(pᵀv)·v
    let pv = 0;
    for (let i = k + 1; i < n; i++) pv += p[i]! * v[i]!;
    const h = 0.5 * tau * pv;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - h * v[i]!;
    // A₂₂ ← A₂₂ − v wᵀ − w vᵀ
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = k + 1; j < n; j++) A[ri + j] -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = A[(n - 2) * n + n - 2]!;
    e[n - 2] = A[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = A[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;
  return { d, e };
}

/** Eigenvalues of a symmetric tridiagonal matrix (diagonal d, sub-diagonal e), implicit QL; overwrites d and e. */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 100) throw new NonConvergenceError(`eigvalsh: implicit QL did not converge in 100 iterations for eigenvalue ${l}`, 100, Math.abs(e[l]!));
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        let underflow = false;
        for (i = m - 1; i >= l; i--) {
          let f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            e[m] = 0;
            underflow = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          f = 0;
        }
        if (underflow) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return d.sort();
}

/** Plain-JS {@link eigvalsh} (reference and fallback): unblocked Householder, implicit QL. */
export function eigvalshJs(a: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`the matrix holds ${v} at [${i}, ${j}]`);
    }
  }
  const { d, e } = tridiagonalize(a, n);
  return tridiagonalEigenvalues(d, e);
}
