/**
 * Helpers to unwrap and combine the values (tensors, kernels, shapes, or lists of them) that
 * flow between layers.
 * @module
 */
import { ShapeMismatchError } from './errors.js';
import type { Kernel } from './kernel.js';
import type { KernelValue, ShapeValue, Value } from './layer.js';
import type { Tensor } from './tensor.js';

const notSingle = (where: string, branches: number) => new ShapeMismatchError(`${where} takes one input but got ${branches} branches (add a fanIn layer first)`);
const notList = (where: string) => new ShapeMismatchError(`${where} takes a list of branches (use fanOut first) but got a single input`);

function single<T>(v: T | readonly unknown[], where: string): T {
  if (Array.isArray(v)) throw notSingle(where, v.length);
  return v as T;
}

function list<T>(v: T | readonly T[], where: string): T[] {
  if (!Array.isArray(v)) throw notList(where);
  return v as T[];
}

/** The single kernel in `k`, or a ShapeMismatchError naming `where`. */
export function singleKernel(k: KernelValue, where: string): Kernel {
  return single<Kernel>(k, where);
}

/** The list of kernels in `k` (one per branch), or a ShapeMismatchError naming `where`. */
export function kernelList(k: KernelValue, where: string): KernelValue[] {
  return list<KernelValue>(k as KernelValue | KernelValue[], where);
}

/** The single tensor in `v`. */
export function singleTensor(v: Value, where: string): Tensor {
  return single<Tensor>(v, where);
}

/** The list of values in `v`. */
export function valueList(v: Value, where: string): Value[] {
  return list<Value>(v as Value | Value[], where);
}

/** The single shape in `s`. */
export function singleShape(s: ShapeValue, where: string): readonly number[] {
  if (s.length > 0 && Array.isArray(s[0])) throw notSingle(where, s.length);
  return s as readonly number[];
}

/** The list of shapes in `s`. */
export function shapeList(s: ShapeValue, where: string): ShapeValue[] {
  if (!(s.length > 0 && Array.isArray(s[0]))) throw notList(where);
  return s as ShapeValue[];
}

/** Elementwise sum of two values of the same structure. */
export function addValues(a: Value, b: Value): Value {
  if (Array.isArray(a) || Array.isArray(b)) {
    const la = valueList(a, 'addValues');
    const lb = valueList(b, 'addValues');
    if (la.length !== lb.length) throw new ShapeMismatchError(`cannot add ${la.length} branches to ${lb.length}`);
    return la.map((x, i) => addValues(x, lb[i]!));
  }
  if (a.data.length !== b.data.length) throw new ShapeMismatchError(`cannot add tensors of shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! + b.data[i]!;
  return { data: out, shape: a.shape };
}

/** Checks that all kernels share batch sizes, spatial shape and layout; returns the first. */
export function sameLayout(ks: readonly Kernel[], where: string): Kernel {
  const k0 = ks[0];
  if (!k0) throw new ShapeMismatchError(`${where} got no branches`);
  for (const k of ks) {
    if (k.n1 !== k0.n1 || k.n2 !== k0.n2 || k.diagonalSpatial !== k0.diagonalSpatial || k.spatial.join() !== k0.spatial.join()) {
      throw new ShapeMismatchError(`${where}: branches have different batch sizes or spatial shapes`);
    }
    if ((k.ntk === null) !== (k0.ntk === null)) throw new ShapeMismatchError(`${where}: some branches carry an NTK and some do not`);
  }
  return k0;
}
