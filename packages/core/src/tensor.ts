/**
 * Dense float64 tensors in row-major (C) order with the batch axis first.
 * @module
 */
import { ShapeMismatchError } from './errors.js';

/** A row-major float64 tensor; `shape[0]` is the batch axis, the last axis the channel axis. */
export interface Tensor {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Makes a tensor, checking that `data` has as many elements as `shape` says. */
export function tensor(data: Float64Array | ArrayLike<number>, shape: readonly number[]): Tensor {
  const arr = data instanceof Float64Array ? data : Float64Array.from(data);
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new ShapeMismatchError(`invalid shape [${shape.join(', ')}]`);
  }
  if (arr.length !== sizeOf(shape)) {
    throw new ShapeMismatchError(`data has ${arr.length} elements but shape [${shape.join(', ')}] needs ${sizeOf(shape)}`);
  }
  return { data: arr, shape: [...shape] };
}

/** A tensor from nested arrays of numbers (rows of equal length), e.g. `fromRows([[1, 2], [3, 4]])`. */
export function fromRows(rows: readonly (readonly number[])[]): Tensor {
  const n = rows.length;
  const d = n > 0 ? rows[0]!.length : 0;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new ShapeMismatchError(`row ${i} has ${r.length} entries, row 0 has ${d}`);
    data.set(r, i * d);
  });
  return { data, shape: [n, d] };
}

/** Layout of a batch: n samples, P spatial positions, C channels. */
export interface BatchLayout {
  readonly n: number;
  readonly spatial: readonly number[];
  readonly positions: number;
  readonly channels: number;
}

/** Splits a tensor shape (n, ...spatial, C) into batch, spatial and channel parts. */
export function batchLayout(shape: readonly number[]): BatchLayout {
  if (shape.length < 2) throw new ShapeMismatchError(`inputs need at least 2 axes (batch, channels), got shape [${shape.join(', ')}]`);
  const spatial = shape.slice(1, -1);
  return { n: shape[0]!, spatial, positions: sizeOf(spatial), channels: shape[shape.length - 1]! };
}

/** Rows [start, end) of the batch axis (a view, no copy). */
export function sliceBatch(t: Tensor, start: number, end: number): Tensor {
  const per = sizeOf(t.shape.slice(1));
  return { data: t.data.subarray(start * per, end * per), shape: [end - start, ...t.shape.slice(1)] };
}
