/**
 * Window sums over spatial positions, the bulk ops of convolution and pooling kernel rules
 * (plain JS, the reference the WebAssembly kernels are tested against).
 *
 * A window over several axes is the product of one window per axis, so every sum is done one axis
 * at a time (separably): a 3×3 convolution costs 3 + 3 additions per output instead of 9, and a
 * convolution of a position-pair kernel 3 + 3 instead of the 81 a 2-D filter of the 4-index tensor
 * would spend (neural-tangents' approach, anchor-neural-tangents.md §2.3).
 * @module
 */
import type { WindowAxis, WindowSpec } from '../backend.js';
import { ShapeMismatchError } from '../errors.js';
import { zeros } from './threads.js';

/** Product of sizes. */
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/**
 * For each output coordinate o and tap t, the input coordinate read (or −1: a zero of the padding),
 * as a table of out·size entries.
 */
export function tapTable(axis: WindowAxis, circular: boolean): Int32Array {
  const t = new Int32Array(axis.out * axis.size);
  for (let o = 0; o < axis.out; o++) {
    for (let k = 0; k < axis.size; k++) {
      let c = o * axis.stride + k * axis.dilation - axis.padBefore;
      if (circular) c = ((c % axis.in) + axis.in) % axis.in;
      else if (c < 0 || c >= axis.in) c = -1;
      t[o * axis.size + k] = c;
    }
  }
  return t;
}

/**
 * One axis of a separable window sum: x of shape (outer, n, inner) → (outer, out, inner) with
 * y[a, o, b] = Σ_k x[a, table[o, k], b].
 */
function sumAxis(x: Float64Array, outer: number, n: number, inner: number, table: Int32Array, out: number, size: number): Float64Array {
  const y = new Float64Array(outer * out * inner);
  for (let a = 0; a < outer; a++) {
    const xa = a * n * inner;
    const ya = a * out * inner;
    for (let o = 0; o < out; o++) {
      const yo = ya + o * inner;
      for (let k = 0; k < size; k++) {
        const c = table[o * size + k]!;
        if (c < 0) continue;
        const xc = xa + c * inner;
        for (let b = 0; b < inner; b++) y[yo + b] += x[xc + b]!;
      }
    }
  }
  return y;
}

/**
 * One axis of a tied (convolution) window sum on a position-pair tensor: x of shape
 * (outer, n, middle, n, inner) → (outer, out, middle, out, inner) with
 * y[a, o, m, o′, b] = Σ_k x[a, table[o, k], m, table[o′, k], b] (the same tap k on both copies).
 */
function sumAxisTied(x: Float64Array, outer: number, n: number, middle: number, inner: number, table: Int32Array, out: number, size: number): Float64Array {
  const y = new Float64Array(outer * out * middle * out * inner);
  const xs1 = middle * n * inner; // stride of the first copy of the axis in x
  const ys1 = middle * out * inner;
  for (let a = 0; a < outer; a++) {
    const xa = a * n * xs1;
    const ya = a * out * ys1;
    for (let o = 0; o < out; o++) {
      for (let m = 0; m < middle; m++) {
        for (let o2 = 0; o2 < out; o2++) {
          const yb = ya + o * ys1 + (m * out + o2) * inner;
          for (let k = 0; k < size; k++) {
            const c = table[o * size + k]!;
            const c2 = table[o2 * size + k]!;
            if (c < 0 || c2 < 0) continue;
            const xb = xa + c * xs1 + (m * n + c2) * inner;
            for (let b = 0; b < inner; b++) y[yb + b] += x[xb + b]!;
          }
        }
      }
    }
  }
  return y;
}

function checkSpec(spec: WindowSpec, x: Float64Array, rows: number, blockIn: number, op: string): void {
  if (x.length !== rows * blockIn) {
    throw new ShapeMismatchError(`${op}: ${x.length} numbers do not form ${rows} blocks of ${blockIn} (spatial input [${spec.axes.map((a) => a.in).join(', ')}])`);
  }
}

/** Applies scale and shift into a backend array. */
function finish(y: Float64Array, scale: number, shift: number): Float64Array {
  const out = zeros(y.length);
  for (let i = 0; i < y.length; i++) out[i] = scale * y[i]! + shift;
  return out;
}

/** See {@link Backend.windowSum}. */
export function windowSum(spec: WindowSpec, x: Float64Array, rows: number, scale: number, shift: number): Float64Array {
  const ins = spec.axes.map((a) => a.in);
  checkSpec(spec, x, rows, prod(ins), 'windowSum');
  const cur = [...ins];
  let y = x;
  spec.axes.forEach((axis, a) => {
    const outer = rows * prod(cur.slice(0, a));
    const inner = prod(cur.slice(a + 1));
    y = sumAxis(y, outer, axis.in, inner, tapTable(axis, spec.circular), axis.out, axis.size);
    cur[a] = axis.out;
  });
  return finish(y, scale, shift);
}

/** See {@link Backend.windowSumPairs}. */
export function windowSumPairs(spec: WindowSpec, x: Float64Array, rows: number, shared: boolean, scale: number, shift: number): Float64Array {
  const ins = spec.axes.map((a) => a.in);
  const P = prod(ins);
  checkSpec(spec, x, rows, P * P, 'windowSumPairs');
  const N = spec.axes.length;
  const cur = [...ins, ...ins]; // the doubled index set (p, p′)
  let y = x;
  spec.axes.forEach((axis, a) => {
    const table = tapTable(axis, spec.circular);
    if (shared) {
      const outer = rows * prod(cur.slice(0, a));
      const middle = prod(cur.slice(a + 1, N + a));
      const inner = prod(cur.slice(N + a + 1));
      y = sumAxisTied(y, outer, axis.in, middle, inner, table, axis.out, axis.size);
    } else {
      for (const ax of [a, N + a]) {
        y = sumAxis(y, rows * prod(cur.slice(0, ax)), axis.in, prod(cur.slice(ax + 1)), table, axis.out, axis.size);
        cur[ax] = axis.out;
      }
    }
    cur[a] = axis.out;
    cur[N + a] = axis.out;
  });
  return finish(y, scale, shift);
}
