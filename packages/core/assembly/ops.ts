// Elementwise kernels of the backend (affine, combine, multiply) and the non-finite scan, each task
// a block of 1 << 16 doubles. Arithmetic is exactly the plain-JS backend's (a multiply then an add,
// never fused), so both kernel sets give bit-equal results for these ops.

const BLOCK: i32 = 1 << 16;

/** out = alpha·x + beta on block `task` of n doubles. */
export function affineTask(x: usize, out: usize, n: i32, alpha: f64, beta: f64, task: i32): void {
  const start = task * BLOCK;
  const end = min(n, start + BLOCK);
  const a = f64x2.splat(alpha);
  const b = f64x2.splat(beta);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.add(f64x2.mul(a, v128.load(x + o)), b));
  }
  if (i < end) store<f64>(out + (<usize>i << 3), alpha * load<f64>(x + (<usize>i << 3)) + beta);
}

/** out = a·x + b·y on block `task` of n doubles. */
export function combineTask(x: usize, y: usize, out: usize, n: i32, a: f64, b: f64, task: i32): void {
  const start = task * BLOCK;
  const end = min(n, start + BLOCK);
  const va = f64x2.splat(a);
  const vb = f64x2.splat(b);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.add(f64x2.mul(va, v128.load(x + o)), f64x2.mul(vb, v128.load(y + o))));
  }
  if (i < end) {
    const o = <usize>i << 3;
    store<f64>(out + o, a * load<f64>(x + o) + b * load<f64>(y + o));
  }
}

/** out = x ⊙ y on block `task` of n doubles. */
export function multiplyTask(x: usize, y: usize, out: usize, n: i32, task: i32): void {
  const start = task * BLOCK;
  const end = min(n, start + BLOCK);
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  if (i < end) {
    const o = <usize>i << 3;
    store<f64>(out + o, load<f64>(x + o) * load<f64>(y + o));
  }
}

/**
 * Scans block `task` of n doubles: flags[task] (i32) = 0 when all are finite, else 1 when the first
 * non-finite one is ±Infinity, 2 when it is NaN. (x·0 is ±0 for finite x and NaN otherwise.)
 */
export function scanTask(x: usize, n: i32, flags: usize, task: i32): void {
  const start = task * BLOCK;
  const end = min(n, start + BLOCK);
  const zero = f64x2.splat(0);
  let bad = zero;
  let i = start;
  for (; i + 2 <= end; i += 2) bad = f64x2.add(bad, f64x2.mul(v128.load(x + (<usize>i << 3)), zero));
  let s = f64x2.extract_lane(bad, 0) + f64x2.extract_lane(bad, 1);
  if (i < end) s += load<f64>(x + (<usize>i << 3)) * 0;
  let flag = 0;
  if (s != s) {
    for (let k = start; k < end; k++) {
      const v = load<f64>(x + (<usize>k << 3));
      if (v - v != 0) {
        flag = v != v ? 2 : 1;
        break;
      }
    }
  }
  store<i32>(flags + (<usize>task << 2), flag);
}

/** Number of tasks of the kernels above for n doubles. */
export function blockTasks(n: i32): i32 {
  return (n + BLOCK - 1) / BLOCK;
}
