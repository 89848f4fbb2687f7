// The fused chain over kernels with all position pairs (CNN-GAP: conv + activation repeated, then
// global average pooling; Arora et al. 2019 §4, seed-001-cntk.md §1.4: the pooled readout mixes
// every position pair). One sample pair at a time: its P×P blocks of Σ and Θ (4.9 MB each for
// 28×28 images) go through every step in the thread's scratch, the pooled result (one number) is
// all that is written, and for x2 = x1 only the pairs j ≥ i run. Per step, at every (p, p′)
// (conventions §1; the ops the layers use, in their order, so results equal them bit for bit):
//   affine  Σ′ = w²·Σ + b²,  Θ′ = w²·Θ + Σ′
//   pair    Σ′ = rule(q1ₚ, q2ₚ′, Σₚₚ′),  Θ′ = Σ̇·Θ;  q1, q2 the diagonals of the two samples'
//           variance blocks entering the step; c = q1 on the diagonal of a sample with itself
//   window  Σ′ = s·Wt(Σ) + b²,  Θ′ = (s·Wt(Θ) + 0) + Σ′ (trained) or s·Wt(Θ) + 0, Wt the tied
//           (same tap on both positions) window sum of window.ts
//   pool    Σ′ = a²·Wp(Σ) + 0, Θ′ likewise, Wp the sum over all tap pairs
//   flatten Σ′ = (Σ_p Σₚₚ)/P in order, likewise Θ (one number per pair after it)
// The variance blocks follow the same steps as kernels of a sample with itself: {@link fullSelfTask}
// runs them first and records their diagonals before every step (the tables the pairs read).
// Step records as in cnn.ts (kind 4 = pool: a², spec offset in the window slots).
import { applyRule, ruleDot } from './rules/dispatch';
import { WINDOW_POOL, WINDOW_TIED, claimSlot, releaseSlot, windowBlock } from './window';
import { AFFINE, FLATTEN, NONE, PAIR, POOL, REC_BYTES, addBad, affineStep, failure, finish, isBad, mark, positionsAt, resetBad, tableRow } from './cnn';

/** row[p] = block[p·P + p] for p < P: the diagonal of a P×P block. */
function diagonalInto(block: usize, P: i32, row: usize): void {
  for (let p = 0; p < P; p++) store<f64>(row + (<usize>p << 3), load<f64>(block + (<usize>(p * P + p) << 3)));
}

/** The pair step over a P×P block: q1, q2 rows of P numbers; `self`: c = q1 on the diagonal p = p′. */
function pairBlock(id: i32, prm: usize, s: usize, t: usize, ntk: bool, q1: usize, q2: usize, self: bool, P: i32): void {
  let bad = f64x2.splat(0);
  const rowBytes = <usize>P << 3;
  for (let p = 0; p < P; p++) {
    const a = v128.load64_splat(q1 + (<usize>p << 3));
    const row = <usize>p * rowBytes;
    const pf = f64x2.splat(<f64>p);
    let lanes = f64x2(0, 1);
    let e = 0;
    for (; e + 2 <= P; e += 2) {
      const o = row + (<usize>e << 3);
      let c = v128.load(s + o);
      if (self) c = v128.bitselect(a, c, f64x2.eq(lanes, pf));
      const r = applyRule(id, prm, a, v128.load(q2 + (<usize>e << 3)), c);
      const d = ruleDot;
      v128.store(s + o, r);
      bad = mark(bad, r);
      if (ntk) {
        const u = f64x2.mul(d, v128.load(t + o));
        v128.store(t + o, u);
        bad = mark(bad, u);
      }
      lanes = f64x2.add(lanes, f64x2.splat(2));
    }
    if (e < P) {
      const o = row + (<usize>e << 3);
      const c = self && e == p ? a : v128.load64_splat(s + o);
      const r = applyRule(id, prm, a, v128.load64_splat(q2 + (<usize>e << 3)), c);
      const d = ruleDot;
      store<f64>(s + o, f64x2.extract_lane(r, 0));
      bad = mark(bad, r);
      if (ntk) {
        const u = f64x2.mul(d, v128.load64_splat(t + o));
        store<f64>(t + o, f64x2.extract_lane(u, 0));
        bad = mark(bad, u);
      }
    }
  }
  addBad(bad);
}

/** (Σ_p x[p·P + p]) / P summed in order (flatten's mean of a block's diagonal). */
function diagonalMean(x: usize, P: i32): f64 {
  let a = 0.0;
  for (let p = 0; p < P; p++) a += load<f64>(x + (<usize>(p * P + p) << 3));
  return a / <f64>P;
}

/**
 * Step l over the P×P blocks s (and t when ntk) in place (they have room for the largest block);
 * q1, q2 the variance-diagonal rows entering it. Returns the positions after the step.
 */
function fullStep(steps: usize, l: i32, s: usize, t: usize, ntk: bool, q1: usize, q2: usize, self: bool, bufA: usize, bufB: usize, pad: usize): i32 {
  const rec = steps + <usize>l * REC_BYTES;
  const kind = <i32>load<f64>(rec);
  const P = positionsAt(steps, l);
  if (kind == AFFINE) {
    affineStep(load<f64>(rec, 8), load<f64>(rec, 16), s, t, ntk, P * P);
    return P;
  }
  if (kind == PAIR) {
    pairBlock(<i32>load<f64>(rec, 8), <usize>load<f64>(rec, 16), s, t, ntk, q1, q2, self, P);
    return P;
  }
  if (kind == FLATTEN) {
    const ms = diagonalMean(s, P);
    store<f64>(s, ms);
    addBad(mark(f64x2.splat(0), f64x2.splat(ms)));
    if (ntk) {
      const mt = diagonalMean(t, P);
      store<f64>(t, mt);
      addBad(mark(f64x2.splat(0), f64x2.splat(mt)));
    }
    return 1;
  }
  // WINDOW (tied taps) or POOL (all tap pairs).
  const spec = <usize>load<f64>(rec, 32);
  const out = load<i32>(spec, 8);
  const mode = kind == POOL ? WINDOW_POOL : WINDOW_TIED;
  const scale = load<f64>(rec, 8);
  const shift = kind == POOL ? 0.0 : load<f64>(rec, 16);
  finish(windowBlock(s, spec, mode, bufA, bufB, pad), s, out * out, scale, shift, 0);
  if (ntk) finish(windowBlock(t, spec, mode, bufA, bufB, pad), t, out * out, scale, 0, kind != POOL && load<f64>(rec, 24) != 0 ? s : 0);
  return out;
}

/** The scratch of a slot: s, t (block numbers each), two window buffers of slotDoubles, a line of padDoubles. */
// @ts-ignore: decorator
@inline function slotBase(scratch: usize, slot: i32, block: i32, slotDoubles: i32, padDoubles: i32): usize {
  return scratch + <usize>slot * (<usize>(2 * block + 2 * slotDoubles + padDoubles) << 3);
}

/**
 * The variance block of sample `task` of batch `which` (0: x1, 1: x2; P₀² numbers at src) through
 * every step as a kernel of the sample with itself: records the block's diagonal before each step
 * (and after the last) in that batch's tables, writes the last block (P_L² numbers) to dst, and
 * flags[task] (i32) the first failure code (4·step + kind) or 0x7fffffff.
 */
export function fullSelfTask(steps: usize, L: i32, which: i32, src: usize, dst: usize, flags: usize, scratch: usize, block: i32, slotDoubles: i32, padDoubles: i32, slots: usize, count: i32, task: i32): void {
  const slot = claimSlot(slots, count);
  const vs = slotBase(scratch, slot, block, slotDoubles, padDoubles);
  const bufA = vs + (<usize>(2 * block) << 3);
  const bufB = bufA + (<usize>slotDoubles << 3);
  const pad = bufB + (<usize>slotDoubles << 3);
  const P0 = positionsAt(steps, 0);
  memory.copy(vs, src + (<usize>task * <usize>(P0 * P0) << 3), <usize>(P0 * P0) << 3);
  let code = NONE;
  let P = P0;
  for (let l = 0; l < L; l++) {
    const q = tableRow(steps, l, which, task);
    diagonalInto(vs, P, q);
    resetBad();
    P = fullStep(steps, l, vs, 0, false, q, q, true, bufA, bufB, pad);
    if (isBad()) {
      code = failure(l, vs, 0, false, P * P);
      break;
    }
  }
  if (code == NONE) {
    diagonalInto(vs, P, tableRow(steps, L, which, task));
    memory.copy(dst + (<usize>task * <usize>(P * P) << 3), vs, <usize>(P * P) << 3);
  }
  store<i32>(flags + (<usize>task << 2), code);
  releaseSlot(slots, slot);
}

/**
 * Sample pair `task` = i·n2 + j of a fused full-layout chain (only j ≥ i when `sym`), from Σ at s
 * and Θ at t (0: no NTK; P₀² numbers per pair) to os, ot (P_L² numbers per pair; they may be s and
 * t when P_L = P₀), with q1, q2 from the tables {@link fullSelfTask} recorded. flags[task] (i32)
 * receives the first failure code or 0x7fffffff.
 */
export function fullPairTask(s: usize, t: usize, os: usize, ot: usize, n1: i32, n2: i32, sym: i32, steps: usize, L: i32, flags: usize, scratch: usize, block: i32, slotDoubles: i32, padDoubles: i32, slots: usize, count: i32, task: i32): void {
  const i = task / n2;
  const j = task % n2;
  let code = NONE;
  if (!sym || j >= i) {
    const slot = claimSlot(slots, count);
    const vs = slotBase(scratch, slot, block, slotDoubles, padDoubles);
    const vt = vs + (<usize>block << 3);
    const bufA = vt + (<usize>block << 3);
    const bufB = bufA + (<usize>slotDoubles << 3);
    const pad = bufB + (<usize>slotDoubles << 3);
    const ntk = t != 0;
    const self = sym != 0 && i == j;
    const P0 = positionsAt(steps, 0);
    const PL = positionsAt(steps, L);
    const pair = <usize>task;
    memory.copy(vs, s + (pair * <usize>(P0 * P0) << 3), <usize>(P0 * P0) << 3);
    if (ntk) memory.copy(vt, t + (pair * <usize>(P0 * P0) << 3), <usize>(P0 * P0) << 3);
    let P = P0;
    for (let l = 0; l < L; l++) {
      resetBad();
      P = fullStep(steps, l, vs, vt, ntk, tableRow(steps, l, 0, i), tableRow(steps, l, sym ? 0 : 1, j), self, bufA, bufB, pad);
      if (isBad()) {
        code = failure(l, vs, vt, ntk, P * P);
        break;
      }
    }
    memory.copy(os + (pair * <usize>(PL * PL) << 3), vs, <usize>(PL * PL) << 3);
    if (ntk) memory.copy(ot + (pair * <usize>(PL * PL) << 3), vt, <usize>(PL * PL) << 3);
    releaseSlot(slots, slot);
  }
  store<i32>(flags + (<usize>task << 2), code);
}
