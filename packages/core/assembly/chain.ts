// The fused chain: consecutive dense (ntk parameterisation) and activation layers applied to every
// kernel entry in registers, one read and one write of Σ and Θ for the whole run (perf-feasibility
// §3.1). Per entry, step by step (conventions §1; Jacot et al. 2018, Thm 1):
//   affine  Σ′ = w²·Σ + b²,  Θ′ = w²·Θ + Σ′                 (a multiply then an add, as the JS backend)
//   pair    Σ′ = rule(q1, q2, Σ),  Θ′ = Σ̇(q1, q2, Σ)·Θ     (assembly/rules/dispatch.ts)
// where q1, q2 are the variances entering the step, from tables computed by {@link chainVarTask}
// with the same vector code (so a sample met in both batches keeps c = q bit for bit). A row runs
// in blocks of 128 entries: every step over a block while it sits in L1, so memory sees one read
// and one write per entry for the whole chain, and each step's loop holds one rule (its entries
// are independent, so the out-of-order core overlaps their long div/sqrt chains). Symmetric
// kernels: upper triangle only (the caller mirrors) and the diagonal exact (ρ = 1: c = q at every
// step). Every step's results are checked for ±∞/NaN (x·0 is NaN exactly then); a task records
// the first failing step as a code 4·step + kind (kind 0: Σ is ±∞, 1: Σ is NaN, 2: Θ is ±∞, 3: Θ
// is NaN) in flags[task].
import { applyRule, ruleDot } from './rules/dispatch';

/** Step records: 4 f64 each — kind (0 affine, 1 pair), then w², b² or rule id, params offset. */
const STEP_BYTES: usize = 32;
/** No failure. */
const NONE: i32 = 0x7fffffff;

// Per-call context (each worker has its own instance, hence its own globals).
let gSteps: usize = 0;
let gL: i32 = 0;
let gV1: usize = 0;
let gV2: usize = 0;
let gS1: usize = 0;
let gS2: usize = 0;
let gNtk: bool = false;
/** Results of {@link diagonal}. */
let gC: v128 = f64x2.splat(0);
let gT: v128 = f64x2.splat(0);

/** Code of the first non-finite lane of (c, t) after step l, or NONE. */
function failure(l: i32, c: v128, t: v128): i32 {
  let code = NONE;
  for (let k = 0; k < 2; k++) {
    const x = k == 0 ? f64x2.extract_lane(c, 0) : f64x2.extract_lane(c, 1);
    const y = k == 0 ? f64x2.extract_lane(t, 0) : f64x2.extract_lane(t, 1);
    let kind = -1;
    if (x - x != 0) kind = x != x ? 1 : 0;
    else if (gNtk && y - y != 0) kind = y != y ? 3 : 2;
    if (kind >= 0) code = min(code, l * 4 + kind);
  }
  return code;
}

/**
 * The diagonal entry with variances at byte offset oq of the V1 tables: c = q before every step
 * (ρ = 1 exactly), Θ from t. Σ (then equal to the last table's entry) in gC, Θ in gT; returns the
 * first failure code or NONE.
 */
function diagonal(t: v128, oq: usize): i32 {
  let c = f64x2.splat(0);
  for (let l = 0; l < gL; l++) {
    const rec = gSteps + <usize>l * STEP_BYTES;
    const q = v128.load64_splat(gV1 + <usize>l * gS1 + oq);
    if (load<f64>(rec) == 0) {
      c = f64x2.add(f64x2.mul(v128.load64_splat(rec + 8), q), v128.load64_splat(rec + 16));
      t = f64x2.add(f64x2.mul(v128.load64_splat(rec + 8), t), c);
    } else {
      c = applyRule(<i32>load<f64>(rec, 8), <usize>load<f64>(rec, 16), q, q, q);
      t = f64x2.mul(ruleDot, t);
    }
    const code = failure(l, c, t);
    if (code != NONE) return code;
  }
  gC = c;
  gT = t;
  return NONE;
}

/** Entries per block: a block's Σ and Θ (2 KiB) stay in L1 while every step runs over them. */
const BLOCK: i32 = 128;

/**
 * Step l over entries [e0, e1) of the row at byte `row` of os/ot, in place (they hold the step's
 * input): q1 lanes from the V1 table row at q1Row (entry e has position (e % P), first p0 = e0 % P),
 * q2 from the V2 table at entry e. Returns the first failure code of the block at this step, or NONE.
 */
function blockStep(os: usize, ot: usize, row: usize, q1Row: usize, e0: i32, e1: i32, p0: i32, P: i32, l: i32): i32 {
  const rec = gSteps + <usize>l * STEP_BYTES;
  const ntk = gNtk;
  const zero = f64x2.splat(0);
  let bad = zero;
  const pS = os + row;
  const pT = ot + row;
  if (load<f64>(rec) == 0) {
    const w2 = v128.load64_splat(rec + 8);
    const b2 = v128.load64_splat(rec + 16);
    let e = e0;
    for (; e + 2 <= e1; e += 2) {
      const o = <usize>e << 3;
      const c = f64x2.add(f64x2.mul(w2, v128.load(pS + o)), b2);
      v128.store(pS + o, c);
      bad = f64x2.add(bad, f64x2.mul(c, zero));
      if (ntk) {
        const t = f64x2.add(f64x2.mul(w2, v128.load(pT + o)), c);
        v128.store(pT + o, t);
        bad = f64x2.add(bad, f64x2.mul(t, zero));
      }
    }
    if (e < e1) {
      const o = <usize>e << 3;
      const c = f64x2.add(f64x2.mul(w2, v128.load64_splat(pS + o)), b2);
      store<f64>(pS + o, f64x2.extract_lane(c, 0));
      bad = f64x2.add(bad, f64x2.mul(c, zero));
      if (ntk) {
        const t = f64x2.add(f64x2.mul(w2, v128.load64_splat(pT + o)), c);
        store<f64>(pT + o, f64x2.extract_lane(t, 0));
        bad = f64x2.add(bad, f64x2.mul(t, zero));
      }
    }
  } else {
    const id = <i32>load<f64>(rec, 8);
    const prm = <usize>load<f64>(rec, 16);
    const t1 = gV1 + <usize>l * gS1 + q1Row;
    const t2 = gV2 + <usize>l * gS2;
    let e = e0;
    let p = p0;
    const q1u = v128.load64_splat(t1);
    for (; e + 2 <= e1; e += 2) {
      const o = <usize>e << 3;
      let q1 = q1u;
      if (P != 1) {
        const pb = p + 1 == P ? 0 : p + 1;
        q1 = f64x2.replace_lane(v128.load64_splat(t1 + (<usize>p << 3)), 1, load<f64>(t1 + (<usize>pb << 3)));
        p = pb + 1 == P ? 0 : pb + 1;
      }
      const c = applyRule(id, prm, q1, v128.load(t2 + o), v128.load(pS + o));
      const d = ruleDot;
      v128.store(pS + o, c);
      bad = f64x2.add(bad, f64x2.mul(c, zero));
      if (ntk) {
        const t = f64x2.mul(d, v128.load(pT + o));
        v128.store(pT + o, t);
        bad = f64x2.add(bad, f64x2.mul(t, zero));
      }
    }
    if (e < e1) {
      const o = <usize>e << 3;
      const q1 = v128.load64_splat(t1 + (<usize>p << 3));
      const c = applyRule(id, prm, q1, v128.load64_splat(t2 + o), v128.load64_splat(pS + o));
      const d = ruleDot;
      store<f64>(pS + o, f64x2.extract_lane(c, 0));
      bad = f64x2.add(bad, f64x2.mul(c, zero));
      if (ntk) {
        const t = f64x2.mul(d, v128.load64_splat(pT + o));
        store<f64>(pT + o, f64x2.extract_lane(t, 0));
        bad = f64x2.add(bad, f64x2.mul(t, zero));
      }
    }
  }
  if (!v128.any_true(f64x2.ne(bad, bad))) return NONE;
  // Rare: the kind of the first non-finite entry of the block.
  let code = NONE;
  for (let e = e0; e < e1; e++) {
    const o = <usize>e << 3;
    const c = v128.load64_splat(pS + o);
    code = min(code, failure(l, c, ntk ? v128.load64_splat(pT + o) : zero));
  }
  return code;
}

/**
 * Rows [task·rows, …) of the chain over Σ (s) and Θ (t; 0: no NTK), written to os and ot (which may
 * be s and t): n1 × n2 entries of P same-position values, `sym` = upper triangle with an exact
 * diagonal. `steps` holds L step records; v1, v2 the L + 1 variance tables (n1·P and n2·P doubles
 * each; table l enters step l). flags[task] (i32) receives the first failure code or 0x7fffffff.
 * Each row runs in blocks of 128 entries, all steps over one block while it sits in L1.
 */
export function chainTask(s: usize, t: usize, os: usize, ot: usize, n1: i32, n2: i32, P: i32, sym: i32, steps: usize, L: i32, v1: usize, v2: usize, flags: usize, rows: i32, task: i32): void {
  gSteps = steps;
  gL = L;
  gV1 = v1;
  gV2 = v2;
  gS1 = <usize>n1 * <usize>P << 3;
  gS2 = <usize>n2 * <usize>P << 3;
  const ntk = t != 0;
  gNtk = ntk;
  const zero = f64x2.splat(0);
  const rowLen = n2 * P;
  let code = NONE;
  const iEnd = min(n1, (task + 1) * rows);
  for (let i = task * rows; i < iEnd; i++) {
    const row = <usize>i * <usize>rowLen << 3;
    const q1Row = <usize>i * <usize>P << 3;
    let e = 0;
    if (sym) {
      for (let p = 0; p < P; p++) {
        const o = row + (<usize>(i * P + p) << 3);
        const oq = q1Row + (<usize>p << 3);
        code = min(code, diagonal(ntk ? v128.load64_splat(t + o) : zero, oq));
        store<f64>(os + o, f64x2.extract_lane(gC, 0));
        if (ntk) store<f64>(ot + o, f64x2.extract_lane(gT, 0));
      }
      e = (i + 1) * P;
    }
    for (; e < rowLen; e += BLOCK) {
      const e1 = min(rowLen, e + BLOCK);
      const bytes = <usize>(e1 - e) << 3;
      const o = row + (<usize>e << 3);
      if (os != s) memory.copy(os + o, s + o, bytes);
      if (ntk && ot != t) memory.copy(ot + o, t + o, bytes);
      const p0 = e % P;
      for (let l = 0; l < L; l++) {
        const c = blockStep(os, ot, row, q1Row, e, e1, p0, P, l);
        if (c != NONE) {
          code = min(code, c);
          break;
        }
      }
    }
  }
  store<i32>(flags + (<usize>task << 2), code);
}

/** Entries per {@link chainVarTask} task. */
const VAR_BLOCK: i32 = 4096;

/**
 * The variance tables of a chain: table l + 1 = step l applied to (q, q, q) of table l, for entries
 * [task·4096, …) of m per table (tables at v + l·m·8). The same vector code as {@link chainTask}
 * so that the diagonal and c = q entries reproduce them bit for bit.
 */
export function chainVarTask(steps: usize, L: i32, v: usize, m: i32, task: i32): void {
  const k0 = task * VAR_BLOCK;
  const k1 = min(m, k0 + VAR_BLOCK);
  const stride = <usize>m << 3;
  for (let l = 0; l < L; l++) {
    const rec = steps + <usize>l * STEP_BYTES;
    const src = v + <usize>l * stride;
    const dst = src + stride;
    const affine = load<f64>(rec) == 0;
    const id = <i32>load<f64>(rec, 8);
    const prm = <usize>load<f64>(rec, 16);
    for (let k = k0; k < k1; k += 2) {
      const o = <usize>k << 3;
      const q = k + 2 <= k1 ? v128.load(src + o) : v128.load64_splat(src + o);
      const r = affine ? f64x2.add(f64x2.mul(v128.load64_splat(rec + 8), q), v128.load64_splat(rec + 16)) : applyRule(id, prm, q, q, q);
      if (k + 2 <= k1) v128.store(dst + o, r);
      else store<f64>(dst + o, f64x2.extract_lane(r, 0));
    }
  }
}

/** Number of {@link chainVarTask} tasks for m entries per table. */
export function chainVarTasks(m: i32): i32 {
  return (m + VAR_BLOCK - 1) / VAR_BLOCK;
}
