// Packed GEMM core: C ± A·Bᵀ with both operands packed into "P2" strips.
//
// P2 layout of a logical R×K matrix M (R rows, K the contraction index): strip s holds rows 2s and
// 2s+1; for each pair of k (2p, 2p+1) it stores the 4 doubles M[2s][2p], M[2s][2p+1],
// M[2s+1][2p], M[2s+1][2p+1]. A strip is K2·32 bytes with K2 = ⌈K/2⌉; rows ≥ R and k ≥ K are
// zero. Pointers are byte offsets into the shared memory, leading dimensions are in elements.
import { hpair, lmadd } from './simd';

/** Bytes of one P2 strip of K columns. */
@inline export function stripBytes(K2: i32): usize {
  return <usize>K2 << 5;
}

/**
 * Packs strips [s0, s1) of M (R×K) into P2 at dst; transposed = 0: M[r][k] = src[r·ld + k],
 * transposed = 1: M[r][k] = src[k·ld + r].
 */
export function lin_pack(src: usize, ld: i32, R: i32, K: i32, transposed: i32, dst: usize, s0: i32, s1: i32): void {
  const K2 = (K + 1) >> 1;
  const ldb = <usize>ld << 3;
  const sb = stripBytes(K2);
  const zero = f64x2.splat(0);
  if (transposed == 0) {
    for (let s = s0; s < s1; s++) {
      const r0 = s << 1;
      let d = dst + <usize>s * sb;
      const p0 = src + <usize>r0 * ldb;
      const p1 = p0 + ldb;
      const Ke = <usize>(K & ~1) << 3;
      if (r0 + 1 < R) {
        let k: usize = 0;
        for (; k < Ke; k += 16) {
          v128.store(d, v128.load(p0 + k));
          v128.store(d, v128.load(p1 + k), 16);
          d += 32;
        }
        if (K & 1) {
          v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p0 + k)));
          v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p1 + k)), 16);
        }
      } else if (r0 < R) {
        let k: usize = 0;
        for (; k < Ke; k += 16) {
          v128.store(d, v128.load(p0 + k));
          v128.store(d, zero, 16);
          d += 32;
        }
        if (K & 1) {
          v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p0 + k)));
          v128.store(d, zero, 16);
        }
      } else {
        memory.fill(d, 0, sb);
      }
    }
  } else {
    // Rows of M are columns of src: for each k pair read 2×2 blocks and transpose them.
    for (let s = s0; s < s1; s++) {
      const r0 = s << 1;
      let d = dst + <usize>s * sb;
      let p = src + (<usize>r0 << 3);
      if (r0 + 1 < R) {
        let k = 0;
        for (; k + 2 <= K; k += 2) {
          const a = v128.load(p), b = v128.load(p + ldb);
          v128.store(d, f64x2.shuffle(a, b, 0, 2));
          v128.store(d, f64x2.shuffle(a, b, 1, 3), 16);
          d += 32;
          p += ldb << 1;
        }
        if (k < K) {
          v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p)));
          v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p, 8)), 16);
        }
      } else if (r0 < R) {
        let k = 0;
        for (; k + 2 <= K; k += 2) {
          v128.store(d, f64x2.replace_lane(f64x2.splat(load<f64>(p)), 1, load<f64>(p + ldb)));
          v128.store(d, zero, 16);
          d += 32;
          p += ldb << 1;
        }
        if (k < K) {
          v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p)));
          v128.store(d, zero, 16);
        }
      } else {
        memory.fill(d, 0, sb);
      }
    }
  }
}

/** Pack task over strips: task t packs strips [t·per, min((t+1)·per, S)). */
export function lin_pack_task(src: usize, ld: i32, R: i32, K: i32, transposed: i32, dst: usize, S: i32, per: i32, task: i32): void {
  const s0 = task * per;
  const s1 = min(S, s0 + per);
  if (s0 < s1) lin_pack(src, ld, R, K, transposed, dst, s0, s1);
}

/** Number of k pairs in one cache block of the inner loop. */
const KC: i32 = 128;

/**
 * C[i][j] += alpha · Σ_k A[i][k]·B[j][k] for i ∈ [i0, i1), j ∈ [j0, j1), A and B packed (P2, K2
 * pairs; A has whole strips up to ⌈i1/4⌉·4 rows). i0 ≡ 0 (mod 4), j0 even. mode 0: every entry;
 * 1: only j ≤ i; 2: only j ≥ i.
 */
export function lin_gemm_block(C: usize, ldc: i32, Ap: usize, Bp: usize, K2: i32, alpha: f64, i0: i32, i1: i32, j0: i32, j1: i32, mode: i32): void {
  const sb = stripBytes(K2);
  const ldcb = <usize>ldc << 3;
  const av = f64x2.splat(alpha);
  for (let kc = 0; kc < K2; kc += KC) {
    const kn = <usize>min(KC, K2 - kc) << 5;
    const koff = <usize>kc << 5;
    for (let i = i0; i < i1; i += 4) {
      const pa0 = Ap + <usize>(i >> 1) * sb + koff;
      const pa1 = pa0 + sb;
      let jlo = j0, jhi = j1;
      if (mode == 1) jhi = min(j1, i + 4);
      else if (mode == 2) jlo = max(j0, (i & ~1));
      for (let j = jlo; j < jhi; j += 2) {
        let pa = pa0, pa2 = pa1;
        let pb = Bp + <usize>(j >> 1) * sb + koff;
        const pe = pb + kn;
        let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
        let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
        while (pb < pe) {
          const b0 = v128.load(pb), b1 = v128.load(pb, 16);
          let a = v128.load(pa);
          c00 = lmadd(a, b0, c00); c01 = lmadd(a, b1, c01);
          a = v128.load(pa, 16);
          c10 = lmadd(a, b0, c10); c11 = lmadd(a, b1, c11);
          a = v128.load(pa2);
          c20 = lmadd(a, b0, c20); c21 = lmadd(a, b1, c21);
          a = v128.load(pa2, 16);
          c30 = lmadd(a, b0, c30); c31 = lmadd(a, b1, c31);
          pa += 32; pa2 += 32; pb += 32;
        }
        const r0 = hpair(c00, c01), r1 = hpair(c10, c11), r2 = hpair(c20, c21), r3 = hpair(c30, c31);
        const pc = C + <usize>i * ldcb + (<usize>j << 3);
        const full = i + 4 <= i1 && j + 2 <= j1 && (mode == 0 || (mode == 1 && j + 1 <= i) || (mode == 2 && j >= i + 3));
        if (full) {
          v128.store(pc, lmadd(r0, av, v128.load(pc)));
          v128.store(pc + ldcb, lmadd(r1, av, v128.load(pc + ldcb)));
          v128.store(pc + 2 * ldcb, lmadd(r2, av, v128.load(pc + 2 * ldcb)));
          v128.store(pc + 3 * ldcb, lmadd(r3, av, v128.load(pc + 3 * ldcb)));
        } else {
          storeEdge(pc, ldcb, r0, 0, i, j, i1, j1, mode, alpha);
          storeEdge(pc, ldcb, r1, 1, i, j, i1, j1, mode, alpha);
          storeEdge(pc, ldcb, r2, 2, i, j, i1, j1, mode, alpha);
          storeEdge(pc, ldcb, r3, 3, i, j, i1, j1, mode, alpha);
        }
      }
    }
  }
}

@inline function ok(i: i32, j: i32, i1: i32, j1: i32, mode: i32): bool {
  return i < i1 && j < j1 && (mode == 0 || (mode == 1 && j <= i) || (mode == 2 && j >= i));
}

@inline function storeEdge(pc: usize, ldcb: usize, r: v128, row: i32, i: i32, j: i32, i1: i32, j1: i32, mode: i32, alpha: f64): void {
  const p = pc + <usize>row * ldcb;
  if (ok(i + row, j, i1, j1, mode)) store<f64>(p, load<f64>(p) + alpha * f64x2.extract_lane(r, 0));
  if (ok(i + row, j + 1, i1, j1, mode)) store<f64>(p, load<f64>(p, 8) + alpha * f64x2.extract_lane(r, 1), 8);
}

/**
 * One task of a tiled GEMM: the task table at `table` holds 4 i32 per task (i0, i1, j0, j1),
 * see {@link lin_gemm_block}.
 */
export function lin_gemm_task(C: usize, ldc: i32, Ap: usize, Bp: usize, K2: i32, alpha: f64, mode: i32, table: usize, task: i32): void {
  const t = table + (<usize>task << 4);
  lin_gemm_block(C, ldc, Ap, Bp, K2, alpha, load<i32>(t), load<i32>(t, 4), load<i32>(t, 8), load<i32>(t, 12), mode);
}
