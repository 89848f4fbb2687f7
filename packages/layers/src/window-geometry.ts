/**
 * The geometry shared by conv and pooling layers: a window (filter) of `size[a]` taps per spatial
 * axis a, sliding with `stride[a]`, taps `dilation[a]` apart, over an input padded as
 *
 * - `VALID`: no padding; out = ⌊(in − (f−1)·d − 1)/s⌋ + 1, an error when the dilated window
 *   (f−1)·d + 1 is larger than the input;
 * - `SAME` (neural-tangents and JAX/XLA): out = ⌈in/s⌉, total padding
 *   max((out−1)·s + (f−1)·d + 1 − in, 0), ⌊total/2⌋ of it before the first position, zeros;
 * - `CIRCULAR`: SAME's output size and offsets, but coordinates wrap around the input.
 *
 * As a core {@link WindowSpec}, output coordinate o reads input coordinate o·s + t·d − padBefore
 * at tap t. The same spec drives the kernel rules (backend window sums) and the finite networks
 * (the gather table below), so both see the same positions.
 * @module
 */
import { type WindowAxis, type WindowSpec, InvalidArchitectureError, ShapeMismatchError } from '@wide/core';

/** Padding of a conv or pooling window. */
export type Padding = 'SAME' | 'VALID' | 'CIRCULAR';

/** The paddings, in the order error messages list them. */
export const paddings: readonly Padding[] = ['SAME', 'VALID', 'CIRCULAR'];

/** `[3, 3]`. */
export const shapeText = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

/** `1 spatial axis`, `2 spatial axes`. */
const axesText = (n: number) => `${n} spatial ${n === 1 ? 'axis' : 'axes'}`;

/**
 * Checks a per-axis list of integers ≥ 1 given to a factory (`filter`, `stride`, …): with `rank`,
 * it must have that many entries. Throws InvalidArchitectureError naming the field.
 */
export function checkAxes(field: string, values: readonly number[], rank?: number, of = ''): readonly number[] {
  const ok = Array.isArray(values) && values.length > 0 && values.every((v) => Number.isInteger(v) && v >= 1);
  if (!ok || (rank !== undefined && values.length !== rank)) {
    const count = rank === undefined ? 'a non-empty array of integers' : `${rank} integer${rank === 1 ? '' : 's'}`;
    const got = Array.isArray(values) ? shapeText(values) : String(values);
    throw new InvalidArchitectureError(field, `expected ${count} ≥ 1${rank === undefined ? '' : ` (one per axis of ${of})`}, got ${got}`);
  }
  return [...values];
}

/** Checks a padding name given to a factory. */
export function checkPadding(padding: string): Padding {
  if (!(paddings as readonly string[]).includes(padding)) {
    throw new InvalidArchitectureError('padding', `expected one of ${paddings.map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(padding)}`);
  }
  return padding as Padding;
}

/** A window's parameters, per spatial axis. */
export interface Window {
  /** Taps per axis (filter or pooling window shape). */
  readonly size: readonly number[];
  /** Stride per axis. */
  readonly stride: readonly number[];
  /** Dilation per axis (distance between taps). */
  readonly dilation: readonly number[];
  /** How the input is padded. */
  readonly padding: Padding;
}

/** A window placed on an input: the core spec, the output spatial shape and the taps per output. */
export interface WindowGeometry {
  /** The window as the backend's window sums take it. */
  readonly spec: WindowSpec;
  /** Spatial shape of the input. */
  readonly inSpatial: readonly number[];
  /** Spatial shape of the output ([] for global pooling). */
  readonly outSpatial: readonly number[];
  /** |F| = Π size: taps per output position. */
  readonly taps: number;
}

/**
 * The geometry of window `w` on an input of spatial shape `inSpatial`; `what` names the layer and
 * its window in errors (`conv filter [3, 3]`). Throws ShapeMismatchError when the input is flat,
 * has another spatial rank, or is smaller than a VALID window.
 */
export function windowGeometry(what: string, w: Window, inSpatial: readonly number[]): WindowGeometry {
  const rank = w.size.length;
  if (inSpatial.length !== rank) {
    const input = inSpatial.length === 0 ? 'the input has no spatial axes (flat (n, d) data; images are (n, …spatial, C))' : `the input has ${axesText(inSpatial.length)} (spatial shape ${shapeText(inSpatial)})`;
    throw new ShapeMismatchError(`${what} is ${rank}-D but ${input}`);
  }
  const axes: WindowAxis[] = inSpatial.map((n, a) => {
    const f = w.size[a]!;
    const s = w.stride[a]!;
    const d = w.dilation[a]!;
    const span = (f - 1) * d + 1;
    if (w.padding === 'VALID') {
      if (span > n) {
        const dil = d > 1 ? ` with dilation ${d}` : '';
        throw new ShapeMismatchError(`${what} spans ${span} positions${dil} along spatial axis ${a}, more than the ${n} of the VALID (unpadded) input (spatial shape ${shapeText(inSpatial)})`);
      }
      return { in: n, out: Math.floor((n - span) / s) + 1, size: f, stride: s, dilation: d, padBefore: 0 };
    }
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + span - n, 0);
    return { in: n, out, size: f, stride: s, dilation: d, padBefore: Math.floor(total / 2) };
  });
  return { spec: { axes, circular: w.padding === 'CIRCULAR' }, inSpatial: [...inSpatial], outSpatial: axes.map((x) => x.out), taps: w.size.reduce((a, b) => a * b, 1) };
}

/** Global pooling: one window over the whole input, one output (spatial shape []). */
export function globalGeometry(what: string, inSpatial: readonly number[]): WindowGeometry {
  if (inSpatial.length === 0) throw new ShapeMismatchError(`${what} needs spatial axes, but the input has none (flat (n, d) data; images are (n, …spatial, C))`);
  const axes: WindowAxis[] = inSpatial.map((n) => ({ in: n, out: 1, size: n, stride: 1, dilation: 1, padBefore: 0 }));
  return { spec: { axes, circular: false }, inSpatial: [...inSpatial], outSpatial: [], taps: inSpatial.reduce((a, b) => a * b, 1) };
}

/**
 * For output position O and tap T (both row-major over the spatial axes), the input position read
 * (row-major), or −1 for a zero of the padding: a table of Pout·|F| entries (the finite networks'
 * im2col and pooling gather from it).
 */
export function gatherTable(g: WindowGeometry): Int32Array {
  const { axes, circular } = g.spec;
  let table = Int32Array.of(0); // positions of the empty prefix of axes
  let outs = 1;
  let taps = 1;
  axes.forEach((ax) => {
    const next = new Int32Array(outs * ax.out * taps * ax.size);
    for (let O = 0; O < outs; O++) {
      for (let o = 0; o < ax.out; o++) {
        for (let T = 0; T < taps; T++) {
          const prev = table[O * taps + T]!;
          for (let t = 0; t < ax.size; t++) {
            let c = o * ax.stride + t * ax.dilation - ax.padBefore;
            if (circular) c = ((c % ax.in) + ax.in) % ax.in;
            const inside = c >= 0 && c < ax.in && prev >= 0;
            next[(O * ax.out + o) * taps * ax.size + T * ax.size + t] = inside ? prev * ax.in + c : -1;
          }
        }
      }
    }
    table = next;
    outs *= ax.out;
    taps *= ax.size;
  });
  return table;
}
