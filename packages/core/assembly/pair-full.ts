// The pair map on the full spatial layout (all position pairs): every entry (p, p′) of a sample
// pair's P×P block maps as Σ′ = rule(q1ₚ, q2ₚ′, Σₚₚ′), Θ′ = Σ̇·Θ (conventions §1), with q1, q2 the
// diagonals of the two samples' variance blocks, the rows of d1, d2 (n·P numbers, extracted by the
// caller). A block of a sample with itself (the (i, i) blocks of a symmetric kernel, and the
// variance blocks, which map as kernels themselves) takes c = q1 on its diagonal p = p′ (ρ = 1
// exactly), as the plain-JS pair rows (src/cpu/pair-rows.ts) do. Along p′ the entries and q2 are
// contiguous: f64x2 vectors with q1 in both lanes.
import { applyRule, ruleDot } from './rules/dispatch';

/**
 * Blocks [task·per, …) of a full-layout pair map, in place when os, ot are s, t (t = 0: no NTK).
 * mode 0: the n1 × n2 sample pairs (i, j) (block i·n2 + j), self when `sym` and i = j; mode 1: the
 * n1 variance blocks of one batch (q1 = q2 = row i of d1), all self.
 */
export function pairFullTask(id: i32, prm: usize, s: usize, t: usize, os: usize, ot: usize, d1: usize, d2: usize, n1: i32, n2: i32, P: i32, sym: i32, mode: i32, per: i32, task: i32): void {
  const blocks = mode == 0 ? n1 * n2 : n1;
  const rEnd = min(blocks, (task + 1) * per);
  const ntk = t != 0;
  const rowBytes = <usize>P << 3;
  for (let r = task * per; r < rEnd; r++) {
    const i = mode == 0 ? r / n2 : r;
    const j = mode == 0 ? r % n2 : r;
    const self = mode == 1 || (sym != 0 && i == j);
    const q2Row = (mode == 0 ? d2 : d1) + <usize>j * rowBytes;
    const base = <usize>r * <usize>P * rowBytes;
    for (let p = 0; p < P; p++) {
      const q1s = load<f64>(d1 + <usize>i * rowBytes + (<usize>p << 3));
      const q1 = f64x2.splat(q1s);
      const row = base + <usize>p * rowBytes;
      const pf = f64x2.splat(<f64>p);
      let lanes = f64x2(0, 1);
      let e = 0;
      for (; e + 2 <= P; e += 2) {
        const o = row + (<usize>e << 3);
        let c = v128.load(s + o);
        if (self) c = v128.bitselect(q1, c, f64x2.eq(lanes, pf));
        const r2 = applyRule(id, prm, q1, v128.load(q2Row + (<usize>e << 3)), c);
        const d = ruleDot;
        v128.store(os + o, r2);
        if (ntk) v128.store(ot + o, f64x2.mul(d, v128.load(t + o)));
        lanes = f64x2.add(lanes, f64x2.splat(2));
      }
      if (e < P) {
        const o = row + (<usize>e << 3);
        const c = self && e == p ? q1 : v128.load64_splat(s + o);
        const r2 = applyRule(id, prm, q1, v128.load64_splat(q2Row + (<usize>e << 3)), c);
        store<f64>(os + o, f64x2.extract_lane(r2, 0));
        if (ntk) store<f64>(ot + o, f64x2.extract_lane(ruleDot, 0) * load<f64>(t + o));
      }
    }
  }
}
