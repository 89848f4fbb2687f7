/**
 * Train and test outputs at many times from per-mode factors (./spectral.ts), with the products
 * batched over times:
 *   f_train(t) = Y + V·(e(t) ⊙ r̂),   f_test(t) = f₀,test − Θ_td·V·(g(t) ⊙ r̂),   r̂ = Vᵀ·(f₀ − Y),
 * where e(t) ⊙ r̂ scales row i of r̂ (n×k) by e_i(t). The scaled blocks of all T times are laid side
 * by side, [e(t₁)⊙r̂ | … | e(t_T)⊙r̂ | g(t₁)⊙r̂ | …] (n × 2Tk), so V multiplies them in one product
 * of wide rows. The test outputs then take the cheaper of two orders:
 *   Θ_td·(V·[g ⊙ r̂])  (m·n·Tk more, the V product already done), or
 *   (Θ_td·V)·[g ⊙ r̂]  (m·n² once for B = Θ_td·V, then m·n·Tk), chosen when m < T·k.
 * Times are processed in chunks of at most {@link CHUNK_ENTRIES} scaled entries.
 * @module
 */
import { type LinalgOptions, matmul } from './linalg.js';
import { type ModeFactors } from './spectral.js';

/** Most numbers in one chunk's side-by-side block (64 MiB of float64). */
export const CHUNK_ENTRIES = 1 << 23;

/** Outputs at each time: `train[q]` n×k, `test[q]` m×k (null without a test kernel). */
export function outputsAtTimes(
  vectors: Float64Array,
  rHat: Float64Array,
  y: Float64Array,
  n: number,
  k: number,
  test: { data: Float64Array; m: number; f0: Float64Array | null } | null,
  factors: readonly ModeFactors[],
  o: LinalgOptions,
): { train: Float64Array[]; test: Float64Array[] | null } {
  const T = factors.length;
  const m = test ? test.m : 0;
  const viaB = test !== null && m < T * k;
  const B = viaB ? matmul(test.data, vectors, m, n, n, o) : null;
  const chunk = Math.max(1, Math.floor(CHUNK_ENTRIES / (2 * n * k)));
  const train: Float64Array[] = [];
  const out: Float64Array[] | null = test ? [] : null;
  for (let q0 = 0; q0 < T; q0 += chunk) {
    const q1 = Math.min(T, q0 + chunk);
    const cols = (q1 - q0) * k;
    const both = test !== null && !viaB; // g ⊙ r̂ goes through V too
    const width = both ? 2 * cols : cols;
    const S = new Float64Array(n * width);
    const G = viaB ? new Float64Array(n * cols) : null;
    for (let q = q0; q < q1; q++) {
      const { decay, growth } = factors[q]!;
      const c0 = (q - q0) * k;
      for (let i = 0; i < n; i++) {
        const d = decay[i]!;
        const g = growth[i]!;
        for (let c = 0; c < k; c++) {
          const r = rHat[i * k + c]!;
          S[i * width + c0 + c] = d * r;
          if (both) S[i * width + cols + c0 + c] = g * r;
          else if (G) G[i * cols + c0 + c] = g * r;
        }
      }
    }
    const P = matmul(vectors, S, n, n, width, o);
    for (let q = q0; q < q1; q++) {
      const c0 = (q - q0) * k;
      const f = new Float64Array(n * k);
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) f[i * k + c] = y[i * k + c]! + P[i * width + c0 + c]!;
      train.push(f);
    }
    if (test && out) {
      let D: Float64Array; // Θ_td·V·(g ⊙ r̂), m × cols
      if (G) {
        D = matmul(B!, G, m, n, cols, o);
      } else {
        const W = new Float64Array(n * cols);
        for (let i = 0; i < n; i++) W.set(P.subarray(i * width + cols, (i + 1) * width), i * cols);
        D = matmul(test.data, W, m, n, cols, o);
      }
      for (let q = q0; q < q1; q++) {
        const c0 = (q - q0) * k;
        const f = new Float64Array(m * k);
        for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) f[i * k + c] = (test.f0 ? test.f0[i * k + c]! : 0) - D[i * cols + c0 + c]!;
        out.push(f);
      }
    }
  }
  return { train, test: out };
}
