/**
 * Argument checks shared by the package: each throws an {@link InvalidRequestError} naming the
 * parameter, the expectation and the value.
 * @module
 */
import { InvalidRequestError } from './errors.js';

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `an array of length ${v.length}` : String(v));

/** A finite number > 0. */
export function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new InvalidRequestError(name, `expected a number > 0, got ${show(v)}`);
  return v;
}

/** A finite number ≥ 0. */
export function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v >= 0)) throw new InvalidRequestError(name, `expected a number ≥ 0, got ${show(v)}`);
  return v;
}

/** A finite number. */
export function finite(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidRequestError(name, `expected a finite number, got ${show(v)}`);
  return v;
}

/** An integer ≥ `min`. */
export function integerAtLeast(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InvalidRequestError(name, `expected an integer ≥ ${min}, got ${show(v)}`);
  return v;
}

/** A non-empty list of finite numbers > 0. */
export function positiveList(name: string, v: unknown): number[] {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new InvalidRequestError(name, `expected a list of numbers > 0, got ${show(v)}`);
  const list = Array.from(v as ArrayLike<unknown>);
  if (list.length === 0) throw new InvalidRequestError(name, 'expected at least one number > 0, got an empty list');
  return list.map((x, i) => positive(`${name}[${i}]`, x));
}

/** A list of finite numbers (any length ≥ `min`). */
export function finiteList(name: string, v: unknown, min = 0): Float64Array {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new InvalidRequestError(name, `expected a list of numbers, got ${show(v)}`);
  const list = v as ArrayLike<unknown>;
  if (list.length < min) throw new InvalidRequestError(name, `expected at least ${min} numbers, got ${list.length}`);
  const out = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = finite(`${name}[${i}]`, list[i]);
  return out;
}
