/**
 * Preconditioned conjugate gradients for symmetric positive-definite systems A·x = b, with A a
 * dense row-major matrix (products on the WebAssembly runtime when available, on the worker pool
 * for large n) or any product callback — for n past what a factorisation can hold.
 * @module
 */
import { NonConvergenceError, NonFiniteInputError, NotPositiveDefiniteError, ShapeMismatchError } from '../errors.js';
import { ctxOf, run } from './linalg-wasm.js';
import { adopt, newArray, releaseArray } from './wasm/arena.js';
import { type WasmRuntime, wasmRuntime } from './wasm/runtime.js';

/** y = A·x for one vector (x and y of length n; y is to be overwritten). */
export type MatVec = (x: Float64Array, y: Float64Array) => void;

/** Options of {@link conjugateGradient}. */
export interface CgOptions {
  /** Stop when ‖b − A·x‖₂ ≤ tol·‖b‖₂ (default 1e-10). */
  tol?: number;
  /** Iteration limit per right-hand side (default max(100, 2n)). */
  maxIterations?: number;
  /** Starting guess (n × m like b; default zero). */
  x0?: Float64Array;
  /**
   * `jacobi` (default): z = r / diag(A); `none`; or a function z = M⁻¹·r of a symmetric
   * positive-definite preconditioner M.
   */
  preconditioner?: 'jacobi' | 'none' | ((r: Float64Array, z: Float64Array) => void);
  /** diag(A), needed for the Jacobi preconditioner when A is a callback. */
  diagonal?: Float64Array;
  /** Number of right-hand sides m: b and x are n×m row-major (default 1). */
  columns?: number;
}

/** Result of {@link conjugateGradient}. */
export interface CgResult {
  /** The solution, n×m row-major. */
  x: Float64Array;
  /** Iterations used (the largest over the right-hand sides). */
  iterations: number;
  /** Relative residual ‖b − A·x‖₂/‖b‖₂ reached (the largest over the right-hand sides), recomputed from x. */
  residual: number;
}

/** Minimum n for the dense product to run in WebAssembly. */
const WASM_MIN_N = 32;

function denseMatVec(a: Float64Array, n: number): { matvec: MatVec; dispose(): void } {
  const rt: WasmRuntime | null = n >= WASM_MIN_N ? wasmRuntime() : null;
  if (!rt) {
    const matvec: MatVec = (x, y) => {
      for (let i = 0; i < n; i++) {
        const r = i * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += a[r + j]! * x[j]!;
        y[i] = s;
      }
    };
    return { matvec, dispose() {} };
  }
  const c = ctxOf(rt);
  const A = adopt(rt, a);
  const buf = newArray(rt, 2 * n, false);
  const xs = buf.subarray(0, n);
  const ys = buf.subarray(n, 2 * n);
  const rows = Math.max(16, Math.ceil(n / (4 * rt.threads) / 2) * 2);
  const matvec: MatVec = (x, y) => {
    xs.set(x);
    const ap = rt.offsetOf(A);
    const bp = rt.offsetOf(buf);
    run(c, 'lin_gemv_task', [ap, n, n, bp, bp + n * 8, n, rows], Math.ceil(n / rows), n * n);
    y.set(ys);
  };
  return {
    matvec,
    dispose() {
      releaseArray(buf);
      if (A !== a) releaseArray(A);
    },
  };
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/**
 * Solves A·x = b for symmetric positive-definite A by preconditioned conjugate gradients.
 * `a` is the dense n×n matrix (row-major, all of it is used) or a {@link MatVec}. Throws
 * {@link NonConvergenceError} (with the iterations and the residual reached) when the tolerance is
 * not met within the iteration limit, and {@link NotPositiveDefiniteError} when the iteration meets
 * a direction p with pᵀ·A·p ≤ 0 (or a Jacobi diagonal entry ≤ 0).
 */
export function conjugateGradient(a: Float64Array | MatVec, b: Float64Array, n: number, options: CgOptions = {}): CgResult {
  const m = options.columns ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`columns must be a positive integer, got ${m}`);
  if (b.length !== n * m) throw new ShapeMismatchError(`b has ${b.length} entries, expected ${n}×${m}`);
  if (typeof a !== 'function' && a.length !== n * n) throw new ShapeMismatchError(`A has ${a.length} entries, expected ${n}×${n}`);
  if (options.x0 && options.x0.length !== n * m) throw new ShapeMismatchError(`x0 has ${options.x0.length} entries, expected ${n}×${m}`);
  for (const [name, v] of [['b', b], ['x0', options.x0]] as const) {
    if (!v) continue;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new NonFiniteInputError(`conjugate gradients: ${name} holds ${v[i]} at flat index ${i}`);
  }
  if (!((options.tol ?? 1e-10) > 0)) throw new RangeError(`tol must be > 0, got ${options.tol}`);
  const dense = typeof a === 'function' ? null : denseMatVec(a, n);
  const matvec: MatVec = dense ? dense.matvec : (a as MatVec);
  try {
    return cgSolve(matvec, a, b, n, m, options);
  } finally {
    dense?.dispose();
  }
}

function cgSolve(matvec: MatVec, a: Float64Array | MatVec, b: Float64Array, n: number, m: number, options: CgOptions): CgResult {
  const tol = options.tol ?? 1e-10;
  const maxIt = options.maxIterations ?? Math.max(100, 2 * n);
  // Preconditioner.
  const pre = options.preconditioner ?? 'jacobi';
  let apply: (r: Float64Array, z: Float64Array) => void;
  if (pre === 'none') {
    apply = (r, z) => z.set(r);
  } else if (pre === 'jacobi') {
    let diag = options.diagonal;
    if (!diag) {
      if (typeof a === 'function') throw new ShapeMismatchError('the Jacobi preconditioner needs options.diagonal when A is a callback (or use preconditioner: "none")');
      diag = new Float64Array(n);
      for (let i = 0; i < n; i++) diag[i] = a[i * n + i]!;
    }
    if (diag.length !== n) throw new ShapeMismatchError(`diagonal has ${diag.length} entries, expected ${n}`);
    const inv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!(diag[i]! > 0 && diag[i]! < Infinity)) {
        throw new NotPositiveDefiniteError(`conjugate gradients: diagonal entry ${i} of ${n} is ${diag[i]} (the Jacobi preconditioner needs a positive diagonal)`);
      }
      inv[i] = 1 / diag[i]!;
    }
    apply = (r, z) => {
      for (let i = 0; i < n; i++) z[i] = r[i]! * inv[i]!;
    };
  } else {
    apply = pre;
  }
  const x = new Float64Array(n * m);
  let iterations = 0;
  let worst = 0;
  const xc = new Float64Array(n);
  const bc = new Float64Array(n);
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  for (let col = 0; col < m; col++) {
    for (let i = 0; i < n; i++) {
      bc[i] = b[i * m + col]!;
      xc[i] = options.x0 ? options.x0[i * m + col]! : 0;
    }
    const bnorm = norm(bc);
    const target = tol * bnorm;
    // r = b − A·x0.
    const residual = () => {
      matvec(xc, q);
      for (let i = 0; i < n; i++) r[i] = bc[i]! - q[i]!;
      return norm(r);
    };
    let rn = options.x0 ? residual() : (r.set(bc), bnorm);
    if (!Number.isFinite(rn)) throw new NonConvergenceError(`conjugate gradients: the initial residual is ${rn} (column ${col}): A·x0 is not finite`, 0, rn);
    let it = 0;
    if (bnorm === 0) {
      xc.fill(0);
      rn = 0;
    }
    while (rn > target) {
      // (Re)start from the current residual.
      apply(r, z);
      p.set(z);
      let rz = dot(r, z);
      let converged = false;
      while (it < maxIt) {
        matvec(p, q);
        const pq = dot(p, q);
        if (!(pq > 0)) {
          if (pq !== pq) throw new NonConvergenceError(`conjugate gradients: NaN after ${it} iterations (column ${col})`, it, NaN);
          throw new NotPositiveDefiniteError(`conjugate gradients: pᵀ·A·p = ${pq} ≤ 0 at iteration ${it} (column ${col}): the matrix is not positive definite`);
        }
        const alpha = rz / pq;
        for (let i = 0; i < n; i++) {
          xc[i] = xc[i]! + alpha * p[i]!;
          r[i] = r[i]! - alpha * q[i]!;
        }
        it++;
        if (norm(r) <= target) {
          converged = true;
          break;
        }
        apply(r, z);
        const rz2 = dot(r, z);
        const beta = rz2 / rz;
        rz = rz2;
        for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
      }
      // The recurrence drifts from the true residual; check it and restart if needed.
      rn = residual();
      if (!converged || it >= maxIt) {
        if (rn <= target) break;
        throw new NonConvergenceError(
          `conjugate gradients did not converge: relative residual ${(rn / bnorm).toExponential(3)} after ${it} iterations (tolerance ${tol}, column ${col}); raise maxIterations, loosen tol, or precondition better`,
          it,
          rn / bnorm,
        );
      }
    }
    iterations = Math.max(iterations, it);
    worst = Math.max(worst, bnorm === 0 ? 0 : rn / bnorm);
    for (let i = 0; i < n; i++) x[i * m + col] = xc[i]!;
  }
  return { x, iterations, residual: worst };
}
