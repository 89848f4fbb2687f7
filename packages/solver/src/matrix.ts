/**
 * ml-matrix interop. Every entry point of the solver takes each matrix either as an ml-matrix
 * `Matrix` (any `AbstractMatrix`, views included) or as a row-major `Float64Array` whose shape
 * follows from the others (the train kernel is n×n, labels n×k, a test–train kernel m×n), and
 * returns its matrices in the format of the labels: `Matrix` labels in, `Matrix` results out.
 * Arrays are checked on the way in: shapes ({@link ShapeMismatchError}) and NaN/±Infinity
 * ({@link NonFiniteInputError} naming the entry, e.g. `the NTK train block holds NaN at index [3, 4]`).
 * @module
 */
import { ShapeMismatchError, assertFinite } from '@wide/core';
import { AbstractMatrix, Matrix } from 'ml-matrix';

/** A matrix as the solver accepts it: an ml-matrix `Matrix` or a row-major `Float64Array`. */
export type Mat = Float64Array | AbstractMatrix;

/** The output format that goes with input `Y`: `Float64Array` for a `Float64Array`, else `Matrix`. */
export type Like<Y extends Mat> = Y extends Float64Array ? Float64Array : Matrix;

/** A row-major block and its shape (the solver's internal form). */
export interface Dense {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Whether `x` is an ml-matrix matrix (rather than a Float64Array). */
export function isMatrix(x: Mat): x is AbstractMatrix {
  return !(x instanceof Float64Array) && AbstractMatrix.isMatrix(x);
}

/**
 * Reads `x` as a rows×cols block (null: inferred from the length of a Float64Array; for a Matrix
 * the Matrix says). A square block is asked for with `rows = cols = 'square'`. Checks the shape and
 * that every entry is finite; `what` names the argument in errors. A Float64Array is used as is
 * (not copied); a Matrix is copied once.
 */
export function readMat(x: Mat, what: string, rows: number | null | 'square', cols: number | null | 'square'): Dense {
  let data: Float64Array;
  let r: number;
  let c: number;
  if (x instanceof Float64Array) {
    data = x;
    if (rows === 'square') {
      r = c = Math.round(Math.sqrt(x.length));
      if (r * r !== x.length) throw new ShapeMismatchError(`${what} has ${x.length} entries, which is not n×n for any n`);
    } else if (rows !== null && cols !== null && cols !== 'square') {
      r = rows;
      c = cols;
      if (x.length !== r * c) throw new ShapeMismatchError(`${what} has ${x.length} entries, expected ${r}×${c} = ${r * c}`);
    } else if (rows !== null) {
      r = rows;
      c = r === 0 ? 0 : x.length / r;
      if (!Number.isInteger(c)) throw new ShapeMismatchError(`${what} has ${x.length} entries, not a multiple of its ${r} rows`);
    } else if (cols !== null && cols !== 'square') {
      c = cols;
      r = c === 0 ? 0 : x.length / c;
      if (!Number.isInteger(r)) throw new ShapeMismatchError(`${what} has ${x.length} entries, not a multiple of its ${c} columns`);
    } else {
      throw new ShapeMismatchError(`${what}: give it as a Matrix, its shape cannot be inferred from a Float64Array here`);
    }
  } else if (isMatrix(x)) {
    r = x.rows;
    c = x.columns;
    if (rows === 'square' && r !== c) throw new ShapeMismatchError(`${what} is ${r}×${c}, expected a square matrix`);
    if (typeof rows === 'number' && r !== rows) throw new ShapeMismatchError(`${what} is ${r}×${c}, expected ${rows} rows`);
    if (typeof cols === 'number' && c !== cols) throw new ShapeMismatchError(`${what} is ${r}×${c}, expected ${cols} columns`);
    data = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[i * c + j] = x.get(i, j);
  } else {
    throw new ShapeMismatchError(`${what}: expected a Float64Array or an ml-matrix Matrix, got ${describe(x)}`);
  }
  assertFinite(data, what, [r, c]);
  return { data, rows: r, cols: c };
}

/**
 * A symmetric copy of a square block: the lower triangle is read and mirrored (as LAPACK's `eigh`
 * and the backend read it), so a kernel with rounding-level asymmetry is accepted.
 */
export function symmetricFromLower(a: Float64Array, n: number): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j]!;
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return s;
}

/**
 * `data` (rows×cols, row-major) in the output format `asMatrix` selects. An array on shared memory
 * (a view a WebAssembly backend returned) is copied, so results never alias the backend's arena.
 */
export function output<Y extends Mat>(data: Float64Array, rows: number, cols: number, asMatrix: boolean): Like<Y> {
  if (asMatrix) return Matrix.from1DArray(rows, cols, data) as Like<Y>;
  return (typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer ? data.slice() : data) as Like<Y>;
}

/** A row-major Float64Array copy of an ml-matrix matrix (or the array itself). */
export function toFloat64Array(x: Mat): Float64Array {
  return readMat(x, 'the matrix', null, x instanceof Float64Array ? x.length : null).data;
}

/** An ml-matrix `Matrix` from a row-major array of `rows` rows (the columns follow from the length). */
export function toMatrix(x: Float64Array, rows: number): Matrix {
  const cols = rows === 0 ? 0 : x.length / rows;
  if (!Number.isInteger(cols)) throw new ShapeMismatchError(`the array has ${x.length} entries, not a multiple of its ${rows} rows`);
  return Matrix.from1DArray(rows, cols, x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a plain array (wrap it in new Matrix(…) or Float64Array.from(…))';
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
}
