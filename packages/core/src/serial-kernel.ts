/**
 * The kernel rule of `serial`: layers in order, with three additions that the layers cannot do
 * alone.
 * - **Fusion.** Maximal runs of ≥ 2 layers with a {@link Layer.chainStep} (dense and conv in ntk
 *   parameterisation, activations, flatten, pooling) go to {@link Backend.chain} in one pass over
 *   memory; a run stops before an activation whose input would not be Gaussian (that layer then
 *   raises NonGaussianInputError as always) and before a conv or pooling whose window does not fit
 *   its input (that layer then reports it). A backend that declines a run (null: a rule without a
 *   native form, a layout it does not fuse) is offered its shorter prefixes, and the layers it
 *   never takes run one by one.
 * - **Non-finite results never pass silently.** After each layer (that is not itself a serial) its
 *   kernel is scanned, O(entries); fused chains report the failing step themselves. The error
 *   names the layer: `layers[i] (description): the NNGP overflows to Infinity`; serials nested in
 *   serials prefix their own index.
 * - **Memory.** An owned intermediate kernel's arrays that the next kernel does not reuse are
 *   handed back to the backend at once ({@link Backend.release}).
 * @module
 */
import type { Backend, ChainStep } from './backend.js';
import { NON_FINITE_PROBLEMS, NonFiniteKernelError, nonFiniteKind } from './errors.js';
import type { Kernel } from './kernel.js';
import type { KernelContext, KernelValue, Layer } from './layer.js';

/** Marks layers whose kernel rule checks its own layers' results (serial and what is built from it). */
export const CHECKS_ITSELF: unique symbol = Symbol('wide.checksItself');

type AnyLayer = Layer<any, any>;

const isKernel = (k: KernelValue): k is Kernel => !Array.isArray(k);

function kernelsOf(k: KernelValue, out: Kernel[] = []): Kernel[] {
  if (isKernel(k)) out.push(k);
  else for (const x of k) kernelsOf(x, out);
  return out;
}

/**
 * Length of the fusable run of layers starting at i (0 or 1: none). A run stops before an
 * activation whose input would not be Gaussian, before a conv or pooling whose spec does not take
 * the spatial shape reaching it (the layer then runs alone and reports that itself), and before a
 * pooling of a kernel stored on the spatial diagonal with several positions (an error of its own);
 * flatten passes on a Gaussian input only when it has one position. Pooling with one output
 * position, and flatten, store the kernel on the diagonal from there on.
 */
function runLength(layers: readonly AnyLayer[], i: number, k: KernelValue): number {
  if (!isKernel(k)) return 0;
  let gaussian = k.isGaussian;
  let spatial = k.spatial;
  let diagonal = k.diagonalSpatial;
  let j = i;
  for (; j < layers.length; j++) {
    const s = layers[j]!.chainStep;
    if (!s || (s.kind === 'pair' && !gaussian)) break;
    if (s.kind === 'window' || s.kind === 'pool') {
      if (s.kind === 'pool' && diagonal && spatial.some((n) => n !== 1)) break;
      const out = windowOutput(s, spatial);
      if (!out) break;
      if (s.kind === 'window') {
        spatial = out;
        gaussian = true;
      } else {
        spatial = s.global ? [] : out;
        if (out.every((n) => n === 1)) diagonal = true;
      }
    } else if (s.kind === 'flatten') {
      gaussian = gaussian && spatial.every((n) => n === 1);
      spatial = [];
      diagonal = true;
    } else gaussian = s.kind === 'affine';
  }
  return j - i;
}

/** The output spatial shape of a window or pool step on `spatial`, or null when its spec throws or does not match the input. */
function windowOutput(s: Extract<ChainStep, { kind: 'window' | 'pool' }>, spatial: readonly number[]): number[] | null {
  try {
    const spec = s.spec(spatial);
    if (spec.axes.length !== spatial.length || spec.axes.some((a, x) => a.in !== spatial[x])) return null;
    return spec.axes.map((a) => a.out);
  } catch {
    return null;
  }
}

/** A one-line description of a layer. */
function describeLayer(l: AnyLayer): string {
  return l.describe ?? l.type;
}

/** `e` with the layer named: unnamed errors get layers[index], named ones (from a nested serial) the prefix layers[outer]. */
function named(e: unknown, layers: readonly AnyLayer[], outer: number, index: number): unknown {
  if (!(e instanceof NonFiniteKernelError)) return e;
  if (!e.path) return new NonFiniteKernelError(`layers[${index}]`, describeLayer(layers[index]!), e.problem);
  const type = layers[outer]!.type;
  // repeat(n, …) is serial(block × n) and residual(…) serial(fanOut, parallel(identity, serial(…)), fanInSum):
  // map their inner paths back onto the JSON's `layers[outer].layers[k]`.
  const rep = type === 'repeat' ? /^layers\[(\d+)\]\.(.*)$/.exec(e.path) : null;
  if (rep) return new NonFiniteKernelError(`layers[${outer}].${rep[2]}`, `${e.description}, repetition ${Number(rep[1]) + 1}`, e.problem);
  const res = type === 'residual' ? /^layers\[1\]\.(.*)$/.exec(e.path) : null;
  if (res) return new NonFiniteKernelError(`layers[${outer}].${res[1]}`, e.description, e.problem);
  if (type === 'residual') return new NonFiniteKernelError(`layers[${outer}]`, 'residual', e.problem);
  return new NonFiniteKernelError(`layers[${outer}].${e.path}`, e.description, e.problem);
}

/** The problem of the first non-finite array of a kernel value (variances count as NNGP), or null. */
export function kernelProblem(k: KernelValue, backend: Backend): string | null {
  const scan = (a: Float64Array) => (backend.nonFinite ? backend.nonFinite(a) : nonFiniteKind(a));
  for (const x of kernelsOf(k)) {
    for (const a of [x.var1, x.var2, x.nngp]) {
      const bad = scan(a);
      if (bad) return NON_FINITE_PROBLEMS[bad - 1]!;
    }
    if (x.ntk) {
      const bad = scan(x.ntk);
      if (bad) return NON_FINITE_PROBLEMS[bad + 1]!;
    }
  }
  return null;
}

function overlaps(a: Float64Array, b: Float64Array): boolean {
  const shared = a.buffer === b.buffer || (a.buffer instanceof SharedArrayBuffer && b.buffer instanceof SharedArrayBuffer);
  return shared && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** Releases the arrays of `prev` (if owned) that `next` does not use. */
function releaseDropped(prev: KernelValue, next: KernelValue, backend: Backend): void {
  if (!backend.release || !isKernel(prev) || !prev.owned) return;
  const kept: Float64Array[] = [];
  for (const x of kernelsOf(next)) kept.push(x.nngp, x.var1, x.var2, ...(x.ntk ? [x.ntk] : []));
  for (const a of new Set([prev.nngp, prev.ntk, prev.var1, prev.var2])) {
    if (a && a.length > 0 && !kept.some((b) => overlaps(a, b))) backend.release(a);
  }
}

/**
 * The longest fusable run of layers from i that the backend accepts (it declines, cheaply, runs
 * holding a rule without a native form, so a shorter prefix may still fuse): the new kernel and
 * the number of layers consumed, or null.
 */
function fuse(layers: readonly AnyLayer[], i: number, k: KernelValue, backend: Backend): { k: Kernel; run: number } | null {
  for (let run = backend.chain ? runLength(layers, i, k) : 0; run >= 2; run--) {
    const steps: ChainStep[] = layers.slice(i, i + run).map((l) => l.chainStep!);
    let r: Kernel | null;
    try {
      r = backend.chain!(steps, k as Kernel);
    } catch (e) {
      throw e instanceof NonFiniteKernelError && !e.path ? named(e, layers, i, i + (e.step ?? 0)) : e;
    }
    if (r) return { k: r, run };
  }
  return null;
}

/** The kernel rule of serial(...layers): see the module comment. */
export function serialKernel(layers: readonly AnyLayer[], k: KernelValue, ctx: KernelContext): KernelValue {
  const backend = ctx.backend;
  let out = k;
  let i = 0;
  while (i < layers.length) {
    const fused = fuse(layers, i, out, backend);
    if (fused) {
      releaseDropped(out, fused.k, backend);
      out = fused.k;
      i += fused.run;
      continue;
    }
    const layer = layers[i]!;
    let r: KernelValue;
    try {
      r = layer.kernel(out, ctx);
    } catch (e) {
      throw named(e, layers, i, i);
    }
    if (!(layer as { [CHECKS_ITSELF]?: boolean })[CHECKS_ITSELF]) {
      const problem = kernelProblem(r, backend);
      if (problem) throw new NonFiniteKernelError(`layers[${i}]`, describeLayer(layer), problem);
    }
    releaseDropped(out, r, backend);
    out = r;
    i++;
  }
  return out;
}
