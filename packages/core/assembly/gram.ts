// The same-position Gram tensor G[(i·n2 + j)·P + p] = scale·⟨a[i, p, :], b[j, p, :]⟩ (perf-feasibility
// §2, §8): rows are packed in pairs, [k/2][row of the pair][2 lanes], C padded to an even count and
// the row count to a multiple of 4 with zeros; a 4×2 register-blocked f64x2 micro-kernel (8
// accumulators, `madd` = FMA in the relaxed build) runs over tiles of rows × columns listed by the
// caller, each tile one task of the runtime's queue. Every entry is summed in one fixed order, lane
// 0 over even t and lane 1 over odd t, then lane 0 + lane 1, whatever its place in a tile, so equal
// rows give equal dot products and {@link rowNormsTask} (same order) gives c = q bit for bit.
import { madd } from './math';

/** Rows per packing task. */
const PACK_ROWS: i32 = 64;

/**
 * Packs rows [task·64, …) (cycling over positions: task = p·blocks + block) of `src` (n rows of P·C
 * doubles, position p at column offset p·C) into `dst`: position p at p·nPad·Cp doubles, row pair g
 * at g·2·Cp, k-step s at 4s: (x[2g][2s], x[2g][2s+1], x[2g+1][2s], x[2g+1][2s+1]). Rows ≥ n and the
 * odd column (when C is odd) are zeros. nPad = n rounded up to a multiple of 4, Cp = C rounded up to
 * an even count.
 */
export function gramPackTask(src: usize, n: i32, P: i32, C: i32, dst: usize, task: i32): void {
  const nPad = (n + 3) & ~3;
  const Cp = (C + 1) & ~1;
  const blocks = (nPad + PACK_ROWS - 1) / PACK_ROWS;
  const p = task / blocks;
  const r0 = (task % blocks) * PACK_ROWS;
  const r1 = min(nPad, r0 + PACK_ROWS);
  const base = dst + (<usize>p * <usize>nPad * <usize>Cp << 3);
  const half = C >> 1;
  for (let r = r0; r < r1; r++) {
    // Row r goes to pair r/2, slot r%2: k-step s at byte (pair·2·Cp + 4s + 2·slot)·8.
    let d = base + ((<usize>(r >> 1) * <usize>(2 * Cp) + <usize>((r & 1) << 1)) << 3);
    if (r >= n) {
      for (let s = 0; s < Cp >> 1; s++) {
        v128.store(d, f64x2.splat(0));
        d += 32;
      }
      continue;
    }
    const row = src + (<usize>(r * P + p) * <usize>C << 3);
    for (let s = 0; s < half; s++) {
      v128.store(d, v128.load(row + (<usize>s << 4)));
      d += 32;
    }
    if (C & 1) v128.store(d, v128.load64_zero(row + (<usize>(C - 1) << 3)));
  }
}

/** Number of {@link gramPackTask} tasks for n rows at P positions. */
export function gramPackTasks(n: i32, P: i32): i32 {
  return P * ((((n + 3) & ~3) + PACK_ROWS - 1) / PACK_ROWS);
}

/** (c.lane0 + c.lane1, d.lane0 + d.lane1). */
// @ts-ignore: decorator
@inline function hsum2(c: v128, d: v128): v128 {
  return f64x2.add(f64x2.shuffle(c, d, 0, 2), f64x2.shuffle(c, d, 1, 3));
}

/** Writes the two entries (row, j) and (row, j + 1) of the pair v, those inside n1 × n2. */
// @ts-ignore: decorator
@inline function put(out: usize, v: v128, row: i32, j: i32, n1: i32, n2: i32, P: i32, p: i32): void {
  if (row >= n1) return;
  const at = out + (<usize>((row * n2 + j) * P + p) << 3);
  if (P == 1 && j + 1 < n2) {
    v128.store(at, v);
    return;
  }
  store<f64>(at, f64x2.extract_lane(v, 0));
  if (j + 1 < n2) store<f64>(at + (<usize>P << 3), f64x2.extract_lane(v, 1));
}

/**
 * One tile of the Gram tensor: the task's record in `tiles` (5 i32: p, i0, i1, j0, j1; i0 a multiple
 * of 4, j0 even) gives position p, rows [i0, i1) of the packed `pa` and columns [j0, j1) of the
 * packed `pb` (both from {@link gramPackTask}, with n1Pad and n2Pad rows per position). With `sym`,
 * only 4×2 blocks reaching the upper triangle (j + 1 ≥ i) are computed. For each column pair the
 * tile's row quads are swept while the pair's packed rows stay in L1 and the row panel in L2.
 */
export function gramTask(pa: usize, pb: usize, out: usize, n1: i32, n2: i32, P: i32, C: i32, scale: f64, sym: i32, tiles: usize, task: i32): void {
  const rec = tiles + (<usize>task * 20);
  const p = load<i32>(rec);
  const i0 = load<i32>(rec, 4);
  const i1 = load<i32>(rec, 8);
  const j0 = load<i32>(rec, 12);
  const j1 = load<i32>(rec, 16);
  const Cp = (C + 1) & ~1;
  const group = <usize>Cp << 4; // bytes per packed row pair
  const n1Pad = (n1 + 3) & ~3;
  const n2Pad = (n2 + 3) & ~3;
  const baseA = pa + <usize>p * <usize>(n1Pad >> 1) * group;
  const baseB = pb + <usize>p * <usize>(n2Pad >> 1) * group;
  const sc = f64x2.splat(scale);
  for (let j = j0; j < j1; j += 2) {
    const pbj = baseB + <usize>(j >> 1) * group;
    const iEnd = sym ? min(i1, j + 2) : i1;
    for (let i = i0; i < iEnd; i += 4) {
      let a0 = baseA + <usize>(i >> 1) * group;
      let a1 = a0 + group;
      let b = pbj;
      const end = pbj + group;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      while (b < end) {
        const y0 = v128.load(b);
        const y1 = v128.load(b, 16);
        let x = v128.load(a0);
        c00 = madd(x, y0, c00);
        c01 = madd(x, y1, c01);
        x = v128.load(a0, 16);
        c10 = madd(x, y0, c10);
        c11 = madd(x, y1, c11);
        x = v128.load(a1);
        c20 = madd(x, y0, c20);
        c21 = madd(x, y1, c21);
        x = v128.load(a1, 16);
        c30 = madd(x, y0, c30);
        c31 = madd(x, y1, c31);
        a0 += 32;
        a1 += 32;
        b += 32;
      }
      put(out, f64x2.mul(hsum2(c00, c01), sc), i, j, n1, n2, P, p);
      put(out, f64x2.mul(hsum2(c10, c11), sc), i + 1, j, n1, n2, P, p);
      put(out, f64x2.mul(hsum2(c20, c21), sc), i + 2, j, n1, n2, P, p);
      put(out, f64x2.mul(hsum2(c30, c31), sc), i + 3, j, n1, n2, P, p);
    }
  }
}

/** Rows per {@link rowNormsTask} task. */
const NORM_ROWS: i32 = 1024;

/**
 * out[r] = scale·Σ_t x[r·C + t]² for rows [task·1024, …) of `rows`, summed exactly as
 * {@link gramTask} sums an entry (even/odd lanes with `madd`, odd column as (x, 0), then lane 0 +
 * lane 1), so that q equals the Gram diagonal bit for bit.
 */
export function rowNormsTask(x: usize, rows: i32, C: i32, scale: f64, out: usize, task: i32): void {
  const r1 = min(rows, (task + 1) * NORM_ROWS);
  const half = C >> 1;
  for (let r = task * NORM_ROWS; r < r1; r++) {
    const row = x + (<usize>r * <usize>C << 3);
    let acc = f64x2.splat(0);
    for (let s = 0; s < half; s++) {
      const v = v128.load(row + (<usize>s << 4));
      acc = madd(v, v, acc);
    }
    if (C & 1) {
      const v = v128.load64_zero(row + (<usize>(C - 1) << 3));
      acc = madd(v, v, acc);
    }
    store<f64>(out + (<usize>r << 3), (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)) * scale);
  }
}

/** Number of {@link rowNormsTask} tasks for `rows` rows. */
export function rowNormsTasks(rows: i32): i32 {
  return (rows + NORM_ROWS - 1) / NORM_ROWS;
}
