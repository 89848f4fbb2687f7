// The fused chain over same-position kernels of images (CNN-V: conv + activation repeated, then
// flatten + dense; Arora et al. 2019 §4, seed-001-cntk.md §1.7: a flatten readout needs only the
// offset-0 diagonal, P numbers per pair). One sample pair at a time: its P-vectors of Σ and Θ stay
// in L1 while every step runs over them, so memory sees one read of the input kernel and one write
// of the output per pair. Per step, at every position p (conventions §1; Jacot et al. 2018):
//   affine  Σ′ = w²·Σ + b²,  Θ′ = w²·Θ + Σ′
//   pair    Σ′ = rule(q1ₚ, q2ₚ, Σₚ),  Θ′ = Σ̇·Θ                 (assembly/rules/dispatch.ts)
//   window  Σ′ = s·W(Σ) + b²,  Θ′ = (s·W(Θ) + 0) + Σ′ (trainable) or s·W(Θ) + 0, where
//           W(x)ₒ = Σ_t x_{c(o,t)} is a same-position window sum (assembly/window.ts; s = σ_w²/|F|)
//   flatten Σ′ = (Σ_p Σₚ)/P, likewise Θ, summed in order p = 0, 1, … (one number per pair after it)
// with q1, q2 the variances entering the step (tables computed first by {@link cnnVarTask}, the
// same code on (q, q, q), so the diagonal pair of a symmetric kernel reproduces them bit for bit:
// there c = q1 at every pair step). The order of every sum and product is that of the plain-JS
// ops the layers use, so the fused chain equals the layers one by one bit for bit.
//
// Step records (f64 × 8, built by src/cpu/wasm/cnn.ts): kind, four parameters (affine: w², b²;
// pair: rule id, params offset; window: s, b², trainable, spec offset), the positions entering the
// step, and the byte offsets of the variance tables entering it (x1's, x2's; n·P numbers each).
// Record L holds the positions and tables after the last step.
import { applyRule, ruleDot } from './rules/dispatch';
import { WINDOW_SAME, claimSlot, releaseSlot, windowBlock } from './window';

/** Bytes of a step record, and the step kinds (kind 4, pool, only in cnn-full.ts). */
export const REC_BYTES: usize = 64;
export const AFFINE: i32 = 0;
export const PAIR: i32 = 1;
export const WINDOW: i32 = 2;
export const FLATTEN: i32 = 3;
export const POOL: i32 = 4;
/** No failure. */
export const NONE: i32 = 0x7fffffff;

/** Lanes where a step produced ±∞ or NaN (x·0 is NaN exactly then), or-ed over the step's results. */
let gBad: v128 = f64x2.splat(0);

/** Clears the step's non-finite lanes. */
export function resetBad(): void {
  gBad = f64x2.splat(0);
}

/** Whether the step since {@link resetBad} produced a non-finite number. */
export function isBad(): bool {
  return v128.any_true(gBad);
}

/** Or-s a step's non-finite lanes into the record. */
// @ts-ignore: decorator
@inline export function addBad(bad: v128): void {
  gBad = v128.or(gBad, bad);
}

/** `bad` with the lanes of x that are not finite set (or-ed: a latency-1 chain; kept in a local, a global per entry would cost a store and a load). */
// @ts-ignore: decorator
@inline export function mark(bad: v128, x: v128): v128 {
  const m = f64x2.mul(x, f64x2.splat(0));
  return v128.or(bad, f64x2.ne(m, m));
}

/** Positions entering step l (record l; l = L: after the last). */
// @ts-ignore: decorator
@inline export function positionsAt(steps: usize, l: i32): i32 {
  return <i32>load<f64>(steps + <usize>l * REC_BYTES, 40);
}

/** Byte offset of row `row` of the variance table entering step l (which = 0: x1's, 1: x2's). */
// @ts-ignore: decorator
@inline export function tableRow(steps: usize, l: i32, which: i32, row: i32): usize {
  const rec = steps + <usize>l * REC_BYTES;
  return <usize>load<f64>(rec + 48 + (<usize>which << 3)) + (<usize>row * <usize>positionsAt(steps, l) << 3);
}

/** Code 4·l + kind of the first non-finite entry among s (and t) of P numbers (kind 0: Σ ±∞, 1: Σ NaN, 2: Θ ±∞, 3: Θ NaN), or NONE. */
export function failure(l: i32, s: usize, t: usize, ntk: bool, P: i32): i32 {
  let code = NONE;
  for (let p = 0; p < P; p++) {
    const x = load<f64>(s + (<usize>p << 3));
    const y = ntk ? load<f64>(t + (<usize>p << 3)) : 0.0;
    let kind = -1;
    if (x - x != 0) kind = x != x ? 1 : 0;
    else if (y - y != 0) kind = y != y ? 3 : 2;
    if (kind >= 0) code = min(code, l * 4 + kind);
  }
  return code;
}

/** The pair step over P entries: q1, q2 rows of P numbers; `diag` (a sample with itself): c = q1. */
function pairStep(id: i32, prm: usize, s: usize, t: usize, ntk: bool, q1: usize, q2: usize, diag: bool, P: i32): void {
  let bad = f64x2.splat(0);
  let p = 0;
  for (; p + 2 <= P; p += 2) {
    const o = <usize>p << 3;
    const a = v128.load(q1 + o);
    const c = applyRule(id, prm, a, v128.load(q2 + o), diag ? a : v128.load(s + o));
    const d = ruleDot;
    v128.store(s + o, c);
    bad = mark(bad, c);
    if (ntk) {
      const u = f64x2.mul(d, v128.load(t + o));
      v128.store(t + o, u);
      bad = mark(bad, u);
    }
  }
  if (p < P) {
    const o = <usize>p << 3;
    const a = v128.load64_splat(q1 + o);
    const c = applyRule(id, prm, a, v128.load64_splat(q2 + o), diag ? a : v128.load64_splat(s + o));
    const d = ruleDot;
    store<f64>(s + o, f64x2.extract_lane(c, 0));
    bad = mark(bad, c);
    if (ntk) {
      const u = f64x2.mul(d, v128.load64_splat(t + o));
      store<f64>(t + o, f64x2.extract_lane(u, 0));
      bad = mark(bad, u);
    }
  }
  addBad(bad);
}

/** The affine step over P entries. */
export function affineStep(w2: f64, b2: f64, s: usize, t: usize, ntk: bool, P: i32): void {
  let bad = f64x2.splat(0);
  const w = f64x2.splat(w2);
  const b = f64x2.splat(b2);
  let p = 0;
  for (; p + 2 <= P; p += 2) {
    const o = <usize>p << 3;
    const c = f64x2.add(f64x2.mul(w, v128.load(s + o)), b);
    v128.store(s + o, c);
    bad = mark(bad, c);
    if (ntk) {
      const u = f64x2.add(f64x2.mul(w, v128.load(t + o)), c);
      v128.store(t + o, u);
      bad = mark(bad, u);
    }
  }
  if (p < P) {
    const o = <usize>p << 3;
    const c = f64x2.add(f64x2.mul(w, v128.load64_splat(s + o)), b);
    store<f64>(s + o, f64x2.extract_lane(c, 0));
    bad = mark(bad, c);
    if (ntk) {
      const u = f64x2.add(f64x2.mul(w, v128.load64_splat(t + o)), c);
      store<f64>(t + o, f64x2.extract_lane(u, 0));
      bad = mark(bad, u);
    }
  }
  addBad(bad);
}

/** out[i] = (scale·y[i] + shift) (+ add[i] unless add is 0) for i < n: windowSum's finish, and combine(1, ·, 1, Σ′) for a trained Θ. */
export function finish(y: usize, out: usize, n: i32, scale: f64, shift: f64, add: usize): void {
  let bad = f64x2.splat(0);
  const a = f64x2.splat(scale);
  const b = f64x2.splat(shift);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    let v = f64x2.add(f64x2.mul(a, v128.load(y + o)), b);
    if (add) v = f64x2.add(v, v128.load(add + o));
    v128.store(out + o, v);
    bad = mark(bad, v);
  }
  if (i < n) {
    const o = <usize>i << 3;
    let v = f64x2.add(f64x2.mul(a, v128.load64_splat(y + o)), b);
    if (add) v = f64x2.add(v, v128.load64_splat(add + o));
    store<f64>(out + o, f64x2.extract_lane(v, 0));
    bad = mark(bad, v);
  }
  addBad(bad);
}

/** (x₀ + x₁ + … ) / P, summed in order (flatten's mean). */
function mean(x: usize, P: i32): f64 {
  let a = 0.0;
  for (let p = 0; p < P; p++) a += load<f64>(x + (<usize>p << 3));
  return a / <f64>P;
}

/**
 * Step l of the chain over s (and t when ntk), P numbers each, in place (the result may be longer:
 * s and t have room for the largest); q1, q2 the variance rows entering it; bufA, bufB, pad the
 * window scratch. Returns the positions after the step; adds its results' non-finite lanes ({@link addBad}).
 */
function runStep(steps: usize, l: i32, s: usize, t: usize, ntk: bool, q1: usize, q2: usize, diag: bool, bufA: usize, bufB: usize, pad: usize): i32 {
  const rec = steps + <usize>l * REC_BYTES;
  const kind = <i32>load<f64>(rec);
  const P = positionsAt(steps, l);
  if (kind == AFFINE) {
    affineStep(load<f64>(rec, 8), load<f64>(rec, 16), s, t, ntk, P);
    return P;
  }
  if (kind == PAIR) {
    pairStep(<i32>load<f64>(rec, 8), <usize>load<f64>(rec, 16), s, t, ntk, q1, q2, diag, P);
    return P;
  }
  if (kind == WINDOW) {
    const scale = load<f64>(rec, 8);
    const spec = <usize>load<f64>(rec, 32);
    const out = load<i32>(spec, 8);
    finish(windowBlock(s, spec, WINDOW_SAME, bufA, bufB, pad), s, out, scale, load<f64>(rec, 16), 0);
    if (ntk) finish(windowBlock(t, spec, WINDOW_SAME, bufA, bufB, pad), t, out, scale, 0, load<f64>(rec, 24) != 0 ? s : 0);
    return out;
  }
  // FLATTEN
  store<f64>(s, mean(s, P));
  addBad(mark(f64x2.splat(0), v128.load64_splat(s)));
  if (ntk) {
    store<f64>(t, mean(t, P));
    addBad(mark(f64x2.splat(0), v128.load64_splat(t)));
  }
  return 1;
}

/** The scratch of a slot: s, t (maxP numbers each), two window buffers of slotDoubles, a padded line of padDoubles. */
// @ts-ignore: decorator
@inline function slotBase(scratch: usize, slot: i32, maxP: i32, slotDoubles: i32, padDoubles: i32): usize {
  return scratch + <usize>slot * (<usize>(2 * maxP + 2 * slotDoubles + padDoubles) << 3);
}

/**
 * Task `task` of a fused CNN chain: sample pairs (i, j) with i = task / blocks and j in column block
 * task % blocks of J columns (blocks = ⌈n2/J⌉; only j ≥ i when `sym`), from Σ at s and Θ at t (0:
 * no NTK; P₀ numbers per pair) to os, ot (P_L numbers per pair; they may be s and t when
 * P_L = P₀). `steps` holds L + 1 records (see the module comment). flags[task] (i32) receives the
 * first failure code (4·step + kind) or 0x7fffffff. Scratch as in window.ts' windowTask.
 */
export function cnnTask(s: usize, t: usize, os: usize, ot: usize, n1: i32, n2: i32, sym: i32, steps: usize, L: i32, flags: usize, J: i32, scratch: usize, maxP: i32, slotDoubles: i32, padDoubles: i32, slots: usize, count: i32, task: i32): void {
  const blocks = (n2 + J - 1) / J;
  const i = task / blocks;
  let j0 = (task % blocks) * J;
  const j1 = min(n2, j0 + J);
  if (sym) j0 = max(j0, i);
  const ntk = t != 0;
  const P0 = positionsAt(steps, 0);
  const PL = positionsAt(steps, L);
  let code = NONE;
  if (j0 < j1) {
    const slot = claimSlot(slots, count);
    const vs = slotBase(scratch, slot, maxP, slotDoubles, padDoubles);
    const vt = vs + (<usize>maxP << 3);
    const bufA = vt + (<usize>maxP << 3);
    const bufB = bufA + (<usize>slotDoubles << 3);
    const pad = bufB + (<usize>slotDoubles << 3);
    for (let j = j0; j < j1; j++) {
      const diag = sym != 0 && i == j;
      const pair = <usize>i * <usize>n2 + <usize>j;
      memory.copy(vs, diag ? tableRow(steps, 0, 0, i) : s + (pair * <usize>P0 << 3), <usize>P0 << 3);
      if (ntk) memory.copy(vt, t + (pair * <usize>P0 << 3), <usize>P0 << 3);
      let P = P0;
      for (let l = 0; l < L; l++) {
        resetBad();
        P = runStep(steps, l, vs, vt, ntk, tableRow(steps, l, 0, i), tableRow(steps, l, sym ? 0 : 1, j), diag, bufA, bufB, pad);
        if (isBad()) {
          code = min(code, failure(l, vs, vt, ntk, P));
          break;
        }
      }
      memory.copy(os + (pair * <usize>PL << 3), vs, <usize>PL << 3);
      if (ntk) memory.copy(ot + (pair * <usize>PL << 3), vt, <usize>PL << 3);
    }
    releaseSlot(slots, slot);
  }
  store<i32>(flags + (<usize>task << 2), code);
}

/**
 * The variance tables of a fused CNN chain for samples [task·rowsPerTask, …) of n: table l + 1
 * (of batch `which`: 0 x1, 1 x2) = step l applied to table l's row as a pair of a sample with
 * itself (c = q). Same code as {@link cnnTask}, so its diagonal pairs reproduce the tables bit for bit.
 */
export function cnnVarTask(steps: usize, L: i32, which: i32, n: i32, rowsPerTask: i32, scratch: usize, maxP: i32, slotDoubles: i32, padDoubles: i32, slots: usize, count: i32, task: i32): void {
  const slot = claimSlot(slots, count);
  const vs = slotBase(scratch, slot, maxP, slotDoubles, padDoubles);
  const bufA = vs + (<usize>(2 * maxP) << 3);
  const bufB = bufA + (<usize>slotDoubles << 3);
  const pad = bufB + (<usize>slotDoubles << 3);
  const iEnd = min(n, (task + 1) * rowsPerTask);
  for (let i = task * rowsPerTask; i < iEnd; i++) {
    memory.copy(vs, tableRow(steps, 0, which, i), <usize>positionsAt(steps, 0) << 3);
    for (let l = 0; l < L; l++) {
      const q = tableRow(steps, l, which, i);
      const P = runStep(steps, l, vs, 0, false, q, q, true, bufA, bufB, pad);
      memory.copy(tableRow(steps, l + 1, which, i), vs, <usize>P << 3);
    }
  }
  releaseSlot(slots, slot);
}
