// The JS-callable entries of the rules (re-exported by assembly/index.ts): a batch form of every
// rule (tests, and pair maps that are not fused) and of the vector elementary functions (tests).
import { acos, asin, exp } from '../math';
import { applyRule, ruleDot } from './dispatch';

/**
 * outN[i] = Σ′ and outD[i] = Σ̇ of rule `id` (params at p) at (q1[i], q2[i], c[i]) for i < n;
 * all pointers are byte offsets of f64 arrays (any n: an odd tail runs in lane 0).
 */
export function ruleBatch(id: i32, p: usize, q1: usize, q2: usize, c: usize, outN: usize, outD: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(outN + o, applyRule(id, p, v128.load(q1 + o), v128.load(q2 + o), v128.load(c + o)));
    v128.store(outD + o, ruleDot);
  }
  if (i < n) {
    const o = <usize>i << 3;
    const r = applyRule(id, p, v128.load_zero<f64>(q1 + o), v128.load_zero<f64>(q2 + o), v128.load_zero<f64>(c + o));
    v128.store_lane<f64>(outN + o, r, 0);
    v128.store_lane<f64>(outD + o, ruleDot, 0);
  }
}

/** Functions of mathBatch. */
export const MATH_ACOS: i32 = 0;
export const MATH_ASIN: i32 = 1;
export const MATH_EXP: i32 = 2;

/** out[i] = f(x[i]) for i < n, f = acos, asin or exp (MATH_*), byte offsets of f64 arrays. */
export function mathBatch(f: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i < n; i += 2) {
    const o = <usize>i << 3;
    const v = i + 2 <= n ? v128.load(x + o) : v128.load_zero<f64>(x + o);
    const r = f == MATH_ACOS ? acos(v) : f == MATH_ASIN ? asin(v) : exp(v);
    if (i + 2 <= n) v128.store(out + o, r);
    else v128.store_lane<f64>(out + o, r, 0);
  }
}
