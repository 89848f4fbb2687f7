/**
 * Small dense helpers on row-major blocks (diagonal scalings, transposes), O(size) each; the
 * products go to the backend (./linalg.ts).
 * @module
 */

/** out = diag(f)·x for x n×k (row-major). */
export function scaleRows(f: Float64Array, x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < f.length; i++) {
    const s = f[i]!;
    for (let c = 0; c < k; c++) out[i * k + c] = s * x[i * k + c]!;
  }
  return out;
}

/** x·diag(f) for x rows×cols. */
export function scaleColumns(x: Float64Array, f: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = x[i * cols + j]! * f[j]!;
  return out;
}

/** The transpose of x (rows×cols). */
export function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}

/** a − b (new array). */
export function subtract(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** x ← (x + xᵀ)/2 for square x. */
export function symmetrize(x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (x[i * n + j]! + x[j * n + i]!);
      x[i * n + j] = v;
      x[j * n + i] = v;
    }
  }
}
