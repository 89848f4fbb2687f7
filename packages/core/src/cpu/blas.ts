/**
 * Plain-TypeScript float64 dense kernels: strided A·Bᵀ (the Gram kernel), A·B and Aᵀ·B.
 * A register-blocked 4×2 micro-kernel with local loop bounds (V8 keeps them in registers).
 * @module
 */

/** Strided view description for {@link dotBlock}. */
interface Strided {
  data: Float64Array;
  offset: number;
  stride: number;
}

/**
 * out[oOff + i·oRow + j·oCol] = scale · Σ_t a[aOff + i·aStride + t] · b[bOff + j·bStride + t]
 * for i < m, j < n (when `upper`, only entries with j ≥ i are guaranteed; some below are written
 * too). A 4×2 register-blocked micro-kernel; every entry is summed in the same order, t = 0, 1, …,
 * so that equal rows give bit-equal dot products (see the CPU backend's rowNorms).
 */
export function dotBlock(A: Strided, B: Strided, m: number, n: number, k: number, scale: number, out: Float64Array, oOff: number, oRow: number, oCol: number, upper: boolean): void {
  const a = A.data;
  const b = B.data;
  const as = A.stride;
  const bs = B.stride;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = A.offset + i * as;
    const r1 = r0 + as;
    const r2 = r1 + as;
    const r3 = r2 + as;
    const o = oOff + i * oRow;
    for (let j = upper ? i : 0; j < n; j += 2) {
      const s0 = B.offset + j * bs;
      const pair = j + 1 < n;
      const s1 = pair ? s0 + bs : s0;
      // Two passes, even t then odd t, added at the end: the summation order of the WebAssembly
      // kernel's two f64x2 lanes, so both kernel sets give the same Gram (without FMA, bit for bit).
      const c = [0, 0, 0, 0, 0, 0, 0, 0];
      for (let start = 0; start < 2; start++) {
        let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
        for (let t = start; t < k; t += 2) {
          const y0 = b[s0 + t]!;
          const y1 = b[s1 + t]!;
          let x = a[r0 + t]!;
          c00 += x * y0; c01 += x * y1;
          x = a[r1 + t]!;
          c10 += x * y0; c11 += x * y1;
          x = a[r2 + t]!;
          c20 += x * y0; c21 += x * y1;
          x = a[r3 + t]!;
          c30 += x * y0; c31 += x * y1;
        }
        if (start === 0) {
          c[0] = c00; c[1] = c01; c[2] = c10; c[3] = c11; c[4] = c20; c[5] = c21; c[6] = c30; c[7] = c31;
        } else {
          c[0] += c00; c[1] += c01; c[2] += c10; c[3] += c11; c[4] += c20; c[5] += c21; c[6] += c30; c[7] += c31;
        }
      }
      const oj = o + j * oCol;
      out[oj] = c[0]! * scale;
      out[oj + oRow] = c[2]! * scale;
      out[oj + 2 * oRow] = c[4]! * scale;
      out[oj + 3 * oRow] = c[6]! * scale;
      if (pair) {
        out[oj + oCol] = c[1]! * scale;
        out[oj + oRow + oCol] = c[3]! * scale;
        out[oj + 2 * oRow + oCol] = c[5]! * scale;
        out[oj + 3 * oRow + oCol] = c[7]! * scale;
      }
    }
  }
  for (; i < m; i++) {
    const r0 = A.offset + i * as;
    for (let j = upper ? i : 0; j < n; j++) {
      const s0 = B.offset + j * bs;
      let even = 0;
      let odd = 0;
      for (let t = 0; t < k; t += 2) even += a[r0 + t]! * b[s0 + t]!;
      for (let t = 1; t < k; t += 2) odd += a[r0 + t]! * b[s0 + t]!;
      out[oOff + i * oRow + j * oCol] = (even + odd) * scale;
    }
  }
}

/** Copies the upper triangle of each same-position slice of a square n×n×P kernel into the lower one. */
export function mirrorUpper(k: Float64Array, n: number, positions: number): void {
  const P = positions;
  const B = 64;
  for (let ib = 0; ib < n; ib += B) {
    for (let jb = 0; jb <= ib; jb += B) {
      const iEnd = Math.min(ib + B, n);
      for (let i = ib; i < iEnd; i++) {
        const jEnd = Math.min(jb + B, i);
        for (let j = jb; j < jEnd; j++) {
          const dst = (i * n + j) * P;
          const src = (j * n + i) * P;
          for (let p = 0; p < P; p++) k[dst + p] = k[src + p]!;
        }
      }
    }
  }
}

/** Block size (rows) for the cache-tiled Gram. */
export const TILE = 96;

/** A Gram job split into row panels of {@link TILE} rows at one position: task t = p·panels + panel. */
export interface GramJob {
  a: Float64Array;
  /** null: the symmetric Gram of `a` with itself (only blocks on and above the diagonal). */
  b: Float64Array | null;
  out: Float64Array;
  n1: number;
  n2: number;
  P: number;
  C: number;
  scale: number;
}

/** Number of tasks of a {@link GramJob}. */
export function gramTasks(job: GramJob): number {
  return job.P * Math.ceil(job.n1 / TILE);
}

/**
 * Task `task` of a Gram job: one panel of TILE rows at one position against all columns (from the
 * panel's diagonal block on, when symmetric). Self-contained apart from {@link dotBlock}, so that
 * worker threads can run its source (see ./threads.ts; {@link TILE} is defined there too).
 */
export function gramPanel(job: GramJob, task: number): void {
  const { a, out, n1, n2, P, C, scale } = job;
  const sym = job.b === null;
  const bb = job.b ?? a;
  const panels = Math.ceil(n1 / TILE);
  const p = Math.floor(task / panels);
  const i0 = (task % panels) * TILE;
  const m = Math.min(TILE, n1 - i0);
  for (let j0 = sym ? i0 : 0; j0 < n2; j0 += TILE) {
    const n = Math.min(TILE, n2 - j0);
    dotBlock(
      { data: a, offset: (i0 * P + p) * C, stride: P * C },
      { data: bb, offset: (j0 * P + p) * C, stride: P * C },
      m, n, C, scale, out, (i0 * n2 + j0) * P + p, n2 * P, P, sym && i0 === j0,
    );
  }
}

/** C = scale · A·Bᵀ (A m×k, B n×k). */
export function matmulABt(a: Float64Array, b: Float64Array, m: number, n: number, k: number, scale = 1): Float64Array {
  const out = new Float64Array(m * n);
  dotBlock({ data: a, offset: 0, stride: k }, { data: b, offset: 0, stride: k }, m, n, k, scale, out, 0, n, 1, false);
  return out;
}

/** C = A·B (A m×k, B k×n), i-k-j order. */
export function matmulAB(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ro = i * n;
    for (let t = 0; t < k; t++) {
      const x = a[i * k + t]!;
      if (x === 0) continue;
      const rb = t * n;
      for (let j = 0; j < n; j++) out[ro + j] += x * b[rb + j]!;
    }
  }
  return out;
}

/** C = Aᵀ·B (A k×m, B k×n). */
export function matmulAtB(a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let t = 0; t < k; t++) {
    const ra = t * m;
    const rb = t * n;
    for (let i = 0; i < m; i++) {
      const x = a[ra + i]!;
      if (x === 0) continue;
      const ro = i * n;
      for (let j = 0; j < n; j++) out[ro + j] += x * b[rb + j]!;
    }
  }
  return out;
}
