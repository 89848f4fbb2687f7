/**
 * Grids for densities: uniform (`a:b:k`, the CLI's `--grid`), geometric (fine near an edge, e.g.
 * the CK's spike near 0) and their union.
 * @module
 */
import { InvalidRequestError } from '../errors.js';
import { finite, integerAtLeast } from '../validate.js';

function checkInterval(a: number, b: number, name: string): void {
  finite(`${name} start`, a);
  finite(`${name} end`, b);
  if (!(a < b)) throw new InvalidRequestError(name, `expected a < b, got a = ${a}, b = ${b}`);
}

/** k points from a to b inclusive, equally spaced (a < b, k ≥ 2). */
export function linearGrid(a: number, b: number, k: number, name = 'grid'): Float64Array {
  checkInterval(a, b, name);
  integerAtLeast(`${name} points`, k, 2);
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = a + ((b - a) * i) / (k - 1);
  out[k - 1] = b;
  return out;
}

/** k points from a to b inclusive (0 < a < b), equally spaced in log x. */
export function geometricGrid(a: number, b: number, k: number, name = 'grid'): Float64Array {
  checkInterval(a, b, name);
  if (!(a > 0)) throw new InvalidRequestError(name, `a geometric grid needs a > 0, got a = ${a}`);
  integerAtLeast(`${name} points`, k, 2);
  const out = new Float64Array(k);
  const r = Math.log(b / a);
  for (let i = 0; i < k; i++) out[i] = a * Math.exp((r * i) / (k - 1));
  out[0] = a;
  out[k - 1] = b;
  return out;
}

/** The sorted union of grids, without duplicates (points closer than 1e-14 relative merged). */
export function mergeGrids(...grids: ArrayLike<number>[]): Float64Array {
  const all = grids.flatMap((g) => Array.from(g)).sort((p, q) => p - q);
  const out: number[] = [];
  for (const v of all) if (out.length === 0 || v - out[out.length - 1]! > 1e-14 * Math.max(1, Math.abs(v))) out.push(v);
  return Float64Array.from(out);
}

/** Parses `a:b:k` (the CLI's `--grid`) into k points from a to b; errors name the grid. */
export function parseGrid(text: string): Float64Array {
  const parts = text.split(':');
  if (parts.length !== 3) throw new InvalidRequestError('grid', `expected a:b:k (e.g. 0:10:2000), got ${JSON.stringify(text)}`);
  const [a, b, k] = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new InvalidRequestError('grid', `expected finite numbers a and b in a:b:k, got ${JSON.stringify(text)}`);
  if (!Number.isInteger(k) || k! < 2) throw new InvalidRequestError('grid', `expected an integer k ≥ 2 in a:b:k, got ${JSON.stringify(text)}`);
  return linearGrid(a!, b!, k!);
}

/** Throws unless `x` is strictly increasing and finite (`name` names it). */
export function checkGrid(x: ArrayLike<number>, name = 'grid'): void {
  if (x.length < 2) throw new InvalidRequestError(name, `expected at least 2 points, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new InvalidRequestError(`${name}[${i}]`, `expected a finite number, got ${x[i]}`);
    if (i > 0 && !(x[i]! > x[i - 1]!)) throw new InvalidRequestError(name, `expected strictly increasing points, got ${x[i - 1]} then ${x[i]} at index ${i}`);
  }
}
