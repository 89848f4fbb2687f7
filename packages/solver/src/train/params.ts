/**
 * The trainable parameters of a finite network, found generically in its params tree and lined up
 * with the gradient records of its backward pass.
 *
 * A params tree is whatever the layers' `init` returned: lists (serial, parallel, repeat,
 * residual), plain objects (dense `{W, b, fanIn, width}`, conv `{dense, geometry, table,
 * channelsIn}`), null and numbers. Its parameter arrays are the `Float64Array` leaves, read depth
 * first (lists by index, objects in key order; integer tables such as conv's `Int32Array` gather
 * table are not parameters). The backward pass lists one {@link GradRecord} per trainable layer in
 * the same depth-first order, and `GradRecord.gradient()` gives that layer's arrays in its
 * parameter order (dense and conv: [∂L/∂W, ∂L/∂b]). Layers whose parameters are frozen
 * (`trainable: false`) keep arrays in the tree but record no gradient. A record that names its
 * parameter arrays (`GradRecord.parameters`, as dense and conv do) is placed on them directly, so
 * frozen layers are simply skipped ({@link alignRecords}). Records without that reference are
 * matched to the leaves as a subsequence: each record takes a run of consecutive leaves of the
 * same lengths. When more than one matching exists (a frozen layer of the same shapes next to a
 * trained one) the gradients cannot be placed and {@link alignGradients} says so rather than guess.
 * @module
 */
import { type GradRecord, ShapeMismatchError, UnsupportedError } from '@wide/core';

/** The `Float64Array` leaves of a params tree, depth first (see the module comment). */
export function parameterLeaves(params: unknown): Float64Array[] {
  const out: Float64Array[] = [];
  const seen = new Set<Float64Array>();
  const walk = (v: unknown): void => {
    if (v instanceof Float64Array) {
      // An array met twice would be a shared weight: its two gradients would need summing.
      if (seen.has(v)) throw new UnsupportedError('the params tree holds the same Float64Array twice (shared weights), which training does not support');
      seen.add(v);
      out.push(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (isPlainObject(v)) {
      for (const key of Object.keys(v)) walk(v[key]);
    }
  };
  walk(params);
  return out;
}

/**
 * A deep copy of a params tree: every `Float64Array` copied, lists and plain objects rebuilt,
 * anything else (numbers, integer tables, geometry) shared, since training never writes it.
 */
export function cloneParams<P>(params: P): P {
  const copy = (v: unknown): unknown => {
    if (v instanceof Float64Array) return Float64Array.from(v);
    if (Array.isArray(v)) return v.map(copy);
    if (isPlainObject(v)) {
      const o: Record<string, unknown> = {};
      for (const key of Object.keys(v)) o[key] = copy(v[key]);
      return o;
    }
    return v;
  };
  return copy(params) as P;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Where each gradient record's arrays go: for record r, the indices into `leaves` of its
 * gradient arrays, in order. `gradLengths[r]` lists the lengths of record r's arrays.
 * Throws ShapeMismatchError when no placement exists and UnsupportedError when several do.
 */
export function alignGradients(leaves: readonly Float64Array[], gradLengths: readonly (readonly number[])[]): number[][] {
  const L = leaves.length;
  const R = gradLengths.length;
  const fits = (r: number, i: number): boolean => {
    const g = gradLengths[r]!;
    if (i + g.length > L) return false;
    for (let a = 0; a < g.length; a++) if (leaves[i + a]!.length !== g[a]) return false;
    return true;
  };
  // ways[r][i]: number of placements (capped at 2) of records r.. in leaves i.. (a subsequence count).
  const ways: number[][] = Array.from({ length: R + 1 }, () => new Array<number>(L + 1).fill(0));
  for (let i = 0; i <= L; i++) ways[R]![i] = 1;
  for (let r = R - 1; r >= 0; r--) {
    for (let i = L; i >= 0; i--) {
      const skip = i < L ? ways[r]![i + 1]! : 0;
      const take = fits(r, i) ? ways[r + 1]![i + gradLengths[r]!.length]! : 0;
      ways[r]![i] = Math.min(2, skip + take);
    }
  }
  const total = ways[0]![0]!;
  const shapes = `parameter arrays of lengths [${leaves.map((l) => l.length).join(', ')}], gradient arrays of lengths [${gradLengths.map((g) => g.join(', ')).join(' | ')}]`;
  if (total === 0) throw new ShapeMismatchError(`the gradients of the backward pass do not fit the parameter arrays of the params tree (${shapes})`);
  if (total > 1) {
    throw new UnsupportedError(
      `cannot tell which parameter arrays the gradients belong to: a layer with frozen parameters (trainable: false) has the same shapes as a trained one (${shapes})`,
    );
  }
  const out: number[][] = [];
  let i = 0;
  for (let r = 0; r < R; r++) {
    while (!(fits(r, i) && ways[r + 1]![i + gradLengths[r]!.length]! > 0)) i++;
    out.push(gradLengths[r]!.map((_, a) => i + a));
    i += gradLengths[r]!.length;
  }
  return out;
}

/**
 * Where each gradient record's arrays go, as {@link alignGradients}: when every record names its
 * parameter arrays (`GradRecord.parameters`), by those references, checked against the tree and
 * the gradient lengths (frozen layers, which record nothing, are skipped whatever their shapes);
 * otherwise by lengths through {@link alignGradients}. `gradLengths[r]` lists the lengths of
 * record r's gradient arrays.
 */
export function alignRecords(leaves: readonly Float64Array[], records: readonly GradRecord[], gradLengths: readonly (readonly number[])[]): number[][] {
  if (records.length === 0 || !records.every((r) => r.parameters)) return alignGradients(leaves, gradLengths);
  const index = new Map(leaves.map((leaf, i) => [leaf, i] as const));
  const taken = new Set<number>();
  return records.map((record, r) => {
    const arrays = record.parameters!;
    const lengths = gradLengths[r]!;
    if (arrays.length !== lengths.length) {
      throw new ShapeMismatchError(`gradient record ${r} gives ${lengths.length} gradient arrays for its ${arrays.length} parameter arrays`);
    }
    return arrays.map((array, j) => {
      const i = index.get(array);
      if (i === undefined) throw new ShapeMismatchError(`gradient record ${r} names a parameter array (length ${array.length}) that is not in the params tree`);
      if (array.length !== lengths[j]) throw new ShapeMismatchError(`gradient record ${r}: gradient array ${j} has length ${lengths[j]} but its parameter array ${array.length}`);
      if (taken.has(i)) throw new UnsupportedError('two gradient records name the same parameter array (shared weights), which training does not support');
      taken.add(i);
      return i;
    });
  });
}
