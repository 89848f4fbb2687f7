/**
 * Plain-TypeScript float64 dense kernels: strided A·Bᵀ (the Gram kernel), A·B and Aᵀ·B.
 * Register-blocked 2×2 micro-kernels with local loop bounds (V8 keeps them in registers).
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
 * for i < m, j < n (j ≥ i only, when `upper`).
 */
export function dotBlock(A: Strided, B: Strided, m: number, n: number, k: number, scale: number, out: Float64Array, oOff: number, oRow: number, oCol: number, upper: boolean): void {
  const a = A.data;
  const b = B.data;
  const as = A.stride;
  const bs = B.stride;
  const k2 = k - (k % 2);
  for (let i = 0; i < m; i += 2) {
    const i1 = i + 1 < m;
    const ra0 = A.offset + i * as;
    const ra1 = i1 ? ra0 + as : ra0;
    for (let j = upper ? i - (i % 2) : 0; j < n; j += 2) {
      const j1 = j + 1 < n;
      const rb0 = B.offset + j * bs;
      const rb1 = j1 ? rb0 + bs : rb0;
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0;
      let d00 = 0, d01 = 0, d10 = 0, d11 = 0;
      let t = 0;
      for (; t < k2; t += 2) {
        const x0 = a[ra0 + t]!, x1 = a[ra1 + t]!, y0 = b[rb0 + t]!, y1 = b[rb1 + t]!;
        c00 += x0 * y0; c01 += x0 * y1; c10 += x1 * y0; c11 += x1 * y1;
        const u0 = a[ra0 + t + 1]!, u1 = a[ra1 + t + 1]!, w0 = b[rb0 + t + 1]!, w1 = b[rb1 + t + 1]!;
        d00 += u0 * w0; d01 += u0 * w1; d10 += u1 * w0; d11 += u1 * w1;
      }
      if (t < k) {
        const x0 = a[ra0 + t]!, x1 = a[ra1 + t]!, y0 = b[rb0 + t]!, y1 = b[rb1 + t]!;
        c00 += x0 * y0; c01 += x0 * y1; c10 += x1 * y0; c11 += x1 * y1;
      }
      const o = oOff + i * oRow + j * oCol;
      out[o] = (c00 + d00) * scale;
      if (j1) out[o + oCol] = (c01 + d01) * scale;
      if (i1) {
        out[o + oRow] = (c10 + d10) * scale;
        if (j1) out[o + oRow + oCol] = (c11 + d11) * scale;
      }
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
const TILE = 96;

/** Same-position Gram tensor, see {@link Backend.gram}. */
export function gram(a: Float64Array, b: Float64Array | null, n1: number, n2: number, P: number, C: number, scale: number): Float64Array {
  const out = new Float64Array(n1 * n2 * P);
  const sym = b === null;
  const bb = b ?? a;
  for (let p = 0; p < P; p++) {
    for (let i0 = 0; i0 < n1; i0 += TILE) {
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
  }
  if (sym) mirrorUpper(out, n1, P);
  return out;
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
