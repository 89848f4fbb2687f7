// Window sums over spatial positions, the native form of src/cpu/window.ts (the bulk ops of the
// convolution and pooling kernel rules, conventions §1): a window over N axes is done one axis at a
// time (separably), and every output is summed in the reference's order — tap 0, 1, … of the axis,
// from +0 — so results are bit-identical to it. (A zero of the padding is skipped there and added
// here: x + 0 = x for every partial sum, which starts at +0 and so is never −0.)
//
// Layouts (row-major, positions of the spatial shape): a same-position block is one number per
// position; a position-pair block is P × P numbers, the pair (p, p′) at p·P + p′, so its index set
// is the doubled shape (axes 0…N−1 of p, then N…2N−1 of p′). One pass sums one axis:
//   plain  y[A, o, B] = Σ_k x[A, c(o, k), B]                    (outer A, inner B)
//   tied   y[A, o, M, o′, B] = Σ_k x[A, c(o, k), M, c(o′, k), B] (a convolution of a pair block:
//          the same tap on both copies of the axis)
// with c(o, k) = o·stride + k·dilation − padBefore from the axis' tap table (−1 = padding).
// Vectors (f64x2) run along the contiguous index: B when it has ≥ 2 numbers, else the output axis
// itself (stride 1: outputs o, o + 1 read inputs c, c + 1 wherever both are inside the input).
//
// Records built by src/cpu/wasm/window.ts: a spec is i32 [N, Pin, Pout, circular] and then N axis
// records of 8 i32: in, out, size, stride, dilation, padBefore, byte offset of the tap table
// (i32, out × size: c(o, k) at o·size + k), 0.

import { addRow, addTap, allInside, padLine, sumRows, tapRows, tiedLine, tiedRows } from './window-lines';

const SPEC_HEAD: usize = 16;
const AXIS_BYTES: usize = 32;

/** The axis record a of the spec at `spec`. */
// @ts-ignore: decorator
@inline export function axisOf(spec: usize, a: i32): usize {
  return spec + SPEC_HEAD + <usize>a * AXIS_BYTES;
}

/** Π out over axes [a0, a1) of the spec. */
function prodOut(spec: usize, a0: i32, a1: i32): i32 {
  let p = 1;
  for (let a = a0; a < a1; a++) p *= load<i32>(axisOf(spec, a), 4);
  return p;
}

/** Π in over axes [a0, a1) of the spec. */
function prodIn(spec: usize, a0: i32, a1: i32): i32 {
  let p = 1;
  for (let a = a0; a < a1; a++) p *= load<i32>(axisOf(spec, a));
  return p;
}

/** Plain pass over axis `ax`: x (outer, in, inner) → y (outer, out, inner); `pad` a line buffer. */
function passPlain(src: usize, dst: usize, outer: i32, inner: i32, ax: usize, circular: bool, pad: usize): void {
  const n = load<i32>(ax);
  const out = load<i32>(ax, 4);
  const size = load<i32>(ax, 8);
  const stride = load<i32>(ax, 12);
  const dil = load<i32>(ax, 16);
  const table = <usize>load<i32>(ax, 24);
  const rowBytes = <usize>inner << 3;
  const inBytes = <usize>n * rowBytes;
  const outBytes = <usize>out * rowBytes;
  for (let a = 0; a < outer; a++) {
    const s = src + <usize>a * inBytes;
    const d = dst + <usize>a * outBytes;
    if (inner == 1) {
      // y[o] = Σ_k line[o·stride + k·dil] over the padded line (padding adds +0: bit-identical).
      padLine(s, pad, ax, circular);
      let o = 0;
      if (stride == 1) {
        for (; o + 2 <= out; o += 2) {
          let acc = f64x2.splat(0);
          for (let k = 0; k < size; k++) acc = f64x2.add(acc, v128.load(pad + (<usize>(o + k * dil) << 3)));
          v128.store(d + (<usize>o << 3), acc);
        }
      }
      for (; o < out; o++) {
        let acc = 0.0;
        for (let k = 0; k < size; k++) acc += load<f64>(pad + (<usize>(o * stride + k * dil) << 3));
        store<f64>(d + (<usize>o << 3), acc);
      }
      continue;
    }
    for (let o = 0; o < out; o++) {
      const row = d + <usize>o * rowBytes;
      if (tapRows(table, o, size, s, rowBytes)) {
        sumRows(row, size, inner);
        continue;
      }
      memory.fill(row, 0, rowBytes);
      for (let k = 0; k < size; k++) {
        const c = load<i32>(table + (<usize>(o * size + k) << 2));
        if (c >= 0) addRow(row, s + <usize>c * rowBytes, inner);
      }
    }
  }
}

/** Tied pass over axis `ax`: x (outer, in, middle, in, inner) → y (outer, out, middle, out, inner). */
function passTied(src: usize, dst: usize, outer: i32, middle: i32, inner: i32, ax: usize, zero: usize): void {
  const n = load<i32>(ax);
  const out = load<i32>(ax, 4);
  const size = load<i32>(ax, 8);
  const table = <usize>load<i32>(ax, 24);
  const rowBytes = <usize>inner << 3;
  for (let a = 0; a < outer; a++) {
    for (let o = 0; o < out; o++) {
      for (let m = 0; m < middle; m++) {
        const d = dst + (<usize>((a * out + o) * middle + m) * <usize>out) * rowBytes;
        if (inner == 1) {
          if (size <= 4 && load<i32>(ax, 12) == 1) {
            tiedLine(src, d, a, o, m, middle, ax, zero);
            continue;
          }
          memory.fill(d, 0, <usize>out * rowBytes);
          for (let k = 0; k < size; k++) {
            const c = load<i32>(table + (<usize>(o * size + k) << 2));
            if (c >= 0) addTap(d, src + ((<usize>((a * n + c) * middle + m) * <usize>n) << 3), ax, k);
          }
          continue;
        }
        for (let o2 = 0; o2 < out; o2++) {
          const row = d + <usize>o2 * rowBytes;
          if (size <= 4 && allInside(table, o, size) && allInside(table, o2, size)) {
            tiedRows(src, a, n, middle, m, table + (<usize>(o * size) << 2), table + (<usize>(o2 * size) << 2), size, rowBytes);
            sumRows(row, size, inner);
            continue;
          }
          memory.fill(row, 0, rowBytes);
          for (let k = 0; k < size; k++) {
            const c = load<i32>(table + (<usize>(o * size + k) << 2));
            const c2 = load<i32>(table + (<usize>(o2 * size + k) << 2));
            if (c >= 0 && c2 >= 0) addRow(row, src + (<usize>((a * n + c) * middle + m) * <usize>n + <usize>c2) * rowBytes, inner);
          }
        }
      }
    }
  }
}

/** Window modes: same-position blocks, pair blocks with tied taps (convolution), pair blocks with all tap pairs (pooling). */
export const WINDOW_SAME: i32 = 0;
export const WINDOW_TIED: i32 = 1;
export const WINDOW_POOL: i32 = 2;

/**
 * Every pass of a window sum over one block at `src` (unscaled), ping-ponging between bufA and
 * bufB (each large enough for every intermediate; `pad` holds a padded line, see windowPad in
 * src/cpu/wasm/window.ts); returns the one holding the result.
 */
export function windowBlock(src: usize, spec: usize, mode: i32, bufA: usize, bufB: usize, pad: usize): usize {
  const N = load<i32>(spec);
  const circular = load<i32>(spec, 12) != 0;
  // The tied passes read `pad` as a line of zeros (windowPad makes it at least as long as any input axis).
  if (mode == WINDOW_TIED) {
    let longest = 0;
    for (let a = 0; a < N; a++) longest = max(longest, load<i32>(axisOf(spec, a)));
    memory.fill(pad, 0, <usize>longest << 3);
  }
  let cur = src;
  let next = bufA;
  for (let a = 0; a < N; a++) {
    const ax = axisOf(spec, a);
    const before = prodOut(spec, 0, a);
    const after = prodIn(spec, a + 1, N);
    if (mode == WINDOW_SAME) {
      passPlain(cur, next, before, after, ax, circular, pad);
    } else if (mode == WINDOW_TIED) {
      passTied(cur, next, before, after * before, after, ax, pad);
    } else {
      // Axis a of p, then axis a of p′ (the reference's order).
      passPlain(cur, next, before, after * before * prodIn(spec, a, N), ax, circular, pad);
      cur = next;
      next = next == bufA ? bufB : bufA;
      passPlain(cur, next, before * load<i32>(ax, 4) * after * before, after, ax, circular, pad);
    }
    cur = next;
    next = next == bufA ? bufB : bufA;
  }
  return cur;
}

/** Claims a free scratch slot (an i32 flag each; at most as many tasks run at once as there are slots). */
export function claimSlot(slots: usize, count: i32): i32 {
  let i = 0;
  // A task that trapped keeps its slot: give up (trap too) rather than wait forever.
  for (let spins = 0; atomic.cmpxchg<i32>(slots + (<usize>i << 2), 0, 1) != 0; spins++) {
    if (spins > 1 << 28) unreachable();
    i = i + 1 == count ? 0 : i + 1;
  }
  return i;
}

/** Hands a slot back. */
export function releaseSlot(slots: usize, i: i32): void {
  atomic.store<i32>(slots + (<usize>i << 2), 0);
}

/** out[i] = scale·y[i] + shift for i < n (a multiply then an add, never fused: the reference's arithmetic). */
export function scaleShift(y: usize, out: usize, n: i32, scale: f64, shift: f64): void {
  const a = f64x2.splat(scale);
  const b = f64x2.splat(shift);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.add(f64x2.mul(a, v128.load(y + o)), b));
  }
  if (i < n) store<f64>(out + (<usize>i << 3), scale * load<f64>(y + (<usize>i << 3)) + shift);
}

/**
 * Rows [task·rowsPerTask, …) of a window sum: out[r] = scale·W(x[r]) + shift, blocks of Pin (mode
 * WINDOW_SAME) or Pin² numbers in, Pout or Pout² out. Scratch: `count` slots of
 * 2·slotDoubles + padDoubles doubles at `scratch`, claimed through the i32 flags at `slots`.
 */
export function windowTask(x: usize, out: usize, rows: i32, spec: usize, mode: i32, scale: f64, shift: f64, scratch: usize, slotDoubles: i32, padDoubles: i32, slots: usize, count: i32, rowsPerTask: i32, task: i32): void {
  const pin = load<i32>(spec, 4);
  const pout = load<i32>(spec, 8);
  const blockIn = mode == WINDOW_SAME ? pin : pin * pin;
  const blockOut = mode == WINDOW_SAME ? pout : pout * pout;
  const slot = claimSlot(slots, count);
  const bufA = scratch + <usize>slot * (<usize>(2 * slotDoubles + padDoubles) << 3);
  const bufB = bufA + (<usize>slotDoubles << 3);
  const pad = bufB + (<usize>slotDoubles << 3);
  const rEnd = min(rows, (task + 1) * rowsPerTask);
  for (let r = task * rowsPerTask; r < rEnd; r++) {
    const y = windowBlock(x + (<usize>r * <usize>blockIn << 3), spec, mode, bufA, bufB, pad);
    scaleShift(y, out + (<usize>r * <usize>blockOut << 3), blockOut, scale, shift);
  }
  releaseSlot(slots, slot);
}
