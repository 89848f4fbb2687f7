// The line and row primitives of the window sums (assembly/window.ts): the sums of one output row
// or line over the taps of a window axis, in the reference's order (tap 0, 1, … from +0), by
// f64x2 vectors along the contiguous index, with the partial sums in registers where every tap lies
// inside the input and by the tap table (c(o, k), −1 for padding) elsewhere. Axis records as in
// window.ts: in, out, size, stride, dilation, padBefore, tap-table offset (i32 each).

/** dst[i] += src[i] for i < len. */
// @ts-ignore: decorator
@inline export function addRow(dst: usize, src: usize, len: i32): void {
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
  }
  if (i < len) {
    const o = <usize>i << 3;
    store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o));
  }
}

/**
 * dst[o] += src[c(o, k)] for every output o of axis `ax` at tap k, src a line of `in` numbers
 * (padding skipped): by vectors where stride is 1 and both inputs lie inside, else by the table.
 */
export function addTap(dst: usize, src: usize, ax: usize, k: i32): void {
  const n = load<i32>(ax);
  const out = load<i32>(ax, 4);
  const size = load<i32>(ax, 8);
  const table = <usize>load<i32>(ax, 24) + (<usize>k << 2);
  let lo = out;
  let hi = out;
  let shift = 0;
  if (load<i32>(ax, 12) == 1) {
    // c = o + shift is inside [0, in) for o in [lo, hi).
    shift = k * load<i32>(ax, 16) - load<i32>(ax, 20);
    lo = min(out, max(0, -shift));
    hi = max(lo, min(out, n - shift));
  }
  for (let o = 0; o < lo; o++) {
    const c = load<i32>(table + (<usize>(o * size) << 2));
    if (c >= 0) store<f64>(dst + (<usize>o << 3), load<f64>(dst + (<usize>o << 3)) + load<f64>(src + (<usize>c << 3)));
  }
  let o = lo;
  for (; o + 2 <= hi; o += 2) {
    const d = dst + (<usize>o << 3);
    v128.store(d, f64x2.add(v128.load(d), v128.load(src + (<usize>(o + shift) << 3))));
  }
  if (o < hi) store<f64>(dst + (<usize>o << 3), load<f64>(dst + (<usize>o << 3)) + load<f64>(src + (<usize>(o + shift) << 3)));
  for (o = hi; o < out; o++) {
    const c = load<i32>(table + (<usize>(o * size) << 2));
    if (c >= 0) store<f64>(dst + (<usize>o << 3), load<f64>(dst + (<usize>o << 3)) + load<f64>(src + (<usize>c << 3)));
  }
}

/** The rows {@link sumRows} adds (set by {@link tapRows} or {@link tiedRows}). */
let gP0: usize = 0;
let gP1: usize = 0;
let gP2: usize = 0;
let gP3: usize = 0;

/**
 * Sets the rows of {@link sumRows} to the taps of output o (byte offsets of `src` rows of rowBytes)
 * and returns true when all `size` ≤ 4 of them lie inside the input; else false (the caller takes
 * the general path).
 */
export function tapRows(table: usize, o: i32, size: i32, src: usize, rowBytes: usize): bool {
  if (size > 4) return false;
  const t = table + (<usize>(o * size) << 2);
  const c0 = load<i32>(t);
  const c1 = size > 1 ? load<i32>(t, 4) : 0;
  const c2 = size > 2 ? load<i32>(t, 8) : 0;
  const c3 = size > 3 ? load<i32>(t, 12) : 0;
  if ((c0 | c1 | c2 | c3) < 0) return false;
  gP0 = src + <usize>c0 * rowBytes;
  gP1 = src + <usize>c1 * rowBytes;
  gP2 = src + <usize>c2 * rowBytes;
  gP3 = src + <usize>c3 * rowBytes;
  return true;
}

/** dst[b] = ((0 + r0[b]) + r1[b]) + … over the `size` ≤ 4 rows of {@link tapRows}, in registers. */
export function sumRows(dst: usize, size: i32, len: i32): void {
  const p0 = gP0;
  const p1 = gP1;
  const p2 = gP2;
  const p3 = gP3;
  let b = 0;
  for (; b + 2 <= len; b += 2) {
    const o = <usize>b << 3;
    let acc = f64x2.add(f64x2.splat(0), v128.load(p0 + o));
    if (size > 1) acc = f64x2.add(acc, v128.load(p1 + o));
    if (size > 2) acc = f64x2.add(acc, v128.load(p2 + o));
    if (size > 3) acc = f64x2.add(acc, v128.load(p3 + o));
    v128.store(dst + o, acc);
  }
  if (b < len) {
    const o = <usize>b << 3;
    let acc = 0.0 + load<f64>(p0 + o);
    if (size > 1) acc += load<f64>(p1 + o);
    if (size > 2) acc += load<f64>(p2 + o);
    if (size > 3) acc += load<f64>(p3 + o);
    store<f64>(dst + o, acc);
  }
}

/**
 * The input line of axis `ax` at src as the window sees it, into `pad`: position u holds input
 * coordinate u − padBefore (wrapped when circular, zero outside the input otherwise), for u below
 * (out − 1)·stride + (size − 1)·dilation + 1.
 */
export function padLine(src: usize, pad: usize, ax: usize, circular: bool): void {
  const n = load<i32>(ax);
  const U = (load<i32>(ax, 4) - 1) * load<i32>(ax, 12) + (load<i32>(ax, 8) - 1) * load<i32>(ax, 16) + 1;
  const before = load<i32>(ax, 20);
  const lo = min(U, before);
  const hi = min(U, before + n);
  for (let u = 0; u < lo; u++) {
    let c = u - before;
    const v = circular ? load<f64>(src + (<usize>(((c % n) + n) % n) << 3)) : 0.0;
    store<f64>(pad + (<usize>u << 3), v);
  }
  if (hi > lo) memory.copy(pad + (<usize>lo << 3), src + (<usize>(lo - before) << 3), <usize>(hi - lo) << 3);
  for (let u = hi; u < U; u++) {
    const c = u - before;
    const v = circular ? load<f64>(src + (<usize>(c % n) << 3)) : 0.0;
    store<f64>(pad + (<usize>u << 3), v);
  }
}

/** Whether every tap of output o lies inside the input. */
export function allInside(table: usize, o: i32, size: i32): bool {
  const t = table + (<usize>(o * size) << 2);
  for (let k = 0; k < size; k++) if (load<i32>(t + (<usize>k << 2)) < 0) return false;
  return true;
}

/** Byte offset of row x[a, c, m, c2, :] of a tied pass' input. */
// @ts-ignore: decorator
@inline function tiedRow(src: usize, a: i32, n: i32, middle: i32, m: i32, c: i32, c2: i32, rowBytes: usize): usize {
  return src + (<usize>((a * n + c) * middle + m) * <usize>n + <usize>c2) * rowBytes;
}

/**
 * The output line y[a, o, m, ·] of a tied pass over the last axis (inner = 1), stride 1, ≤ 4 taps:
 * y[o′] = Σ_k x[a, c(o, k), m, c(o′, k)], by vectors in registers where every c(o′, k) lies inside
 * the input (a tap whose c(o, k) is padding reads the zero line `zero`: +0 changes no sum), by
 * the table elsewhere.
 */
export function tiedLine(src: usize, d: usize, a: i32, o: i32, m: i32, middle: i32, ax: usize, zero: usize): void {
  const n = load<i32>(ax);
  const out = load<i32>(ax, 4);
  const size = load<i32>(ax, 8);
  const dil = load<i32>(ax, 16);
  const before = load<i32>(ax, 20);
  const table = <usize>load<i32>(ax, 24);
  const t1 = table + (<usize>(o * size) << 2);
  // Lines of the taps of o (the zero line for padding), moved so that output o′ reads at o′.
  const l0 = tapLine(src, a, n, middle, m, load<i32>(t1), zero) - (<usize>before << 3);
  const l1 = size > 1 ? tapLine(src, a, n, middle, m, load<i32>(t1, 4), zero) + (<usize>(dil - before) << 3) : 0;
  const l2 = size > 2 ? tapLine(src, a, n, middle, m, load<i32>(t1, 8), zero) + (<usize>(2 * dil - before) << 3) : 0;
  const l3 = size > 3 ? tapLine(src, a, n, middle, m, load<i32>(t1, 12), zero) + (<usize>(3 * dil - before) << 3) : 0;
  // Outputs o′ in [lo, hi) read inside the input at every tap.
  const lo = min(out, before);
  const hi = max(lo, min(out, n + before - (size - 1) * dil));
  for (let o2 = 0; o2 < out; o2++) {
    if (o2 == lo) {
      let e = lo;
      for (; e + 2 <= hi; e += 2) {
        const off = <usize>e << 3;
        let acc = f64x2.add(f64x2.splat(0), v128.load(l0 + off));
        if (size > 1) acc = f64x2.add(acc, v128.load(l1 + off));
        if (size > 2) acc = f64x2.add(acc, v128.load(l2 + off));
        if (size > 3) acc = f64x2.add(acc, v128.load(l3 + off));
        v128.store(d + off, acc);
      }
      o2 = e;
      if (o2 >= out) break;
    }
    // Scalar: the taps where both c(o, k) and c(o′, k) lie inside.
    let acc = 0.0;
    for (let k = 0; k < size; k++) {
      const c = load<i32>(t1 + (<usize>k << 2));
      const c2 = load<i32>(table + (<usize>(o2 * size + k) << 2));
      if (c >= 0 && c2 >= 0) acc += load<f64>(src + ((<usize>((a * n + c) * middle + m) * <usize>n + <usize>c2) << 3));
    }
    store<f64>(d + (<usize>o2 << 3), acc);
  }
}

/** The line x[a, c, m, ·] of a tied pass' input, or `zero` when c is padding. */
// @ts-ignore: decorator
@inline function tapLine(src: usize, a: i32, n: i32, middle: i32, m: i32, c: i32, zero: usize): usize {
  return c < 0 ? zero : src + ((<usize>((a * n + c) * middle + m) * <usize>n) << 3);
}


/**
 * Sets the rows of {@link sumRows} to the tied pass' input rows x[a, c(o, k), m, c(o′, k), :] of
 * the `size` ≤ 4 taps (t1, t2: the tap-table rows of o and o′, all inside the input).
 */
export function tiedRows(src: usize, a: i32, n: i32, middle: i32, m: i32, t1: usize, t2: usize, size: i32, rowBytes: usize): void {
  gP0 = tiedRow(src, a, n, middle, m, load<i32>(t1), load<i32>(t2), rowBytes);
  if (size > 1) gP1 = tiedRow(src, a, n, middle, m, load<i32>(t1, 4), load<i32>(t2, 4), rowBytes);
  if (size > 2) gP2 = tiedRow(src, a, n, middle, m, load<i32>(t1, 8), load<i32>(t2, 8), rowBytes);
  if (size > 3) gP3 = tiedRow(src, a, n, middle, m, load<i32>(t1, 12), load<i32>(t2, 12), rowBytes);
}

