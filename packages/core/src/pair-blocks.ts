/**
 * Moving sample-pair blocks of kernel arrays: placing a tile into the assembled kernel, placing
 * its mirror image, and completing a symmetric kernel from its upper triangle. A kernel array
 * holds one block of E numbers per sample pair (i, j) at (i·n2 + j)·E: E = P on the diagonal
 * layout, E = P² (row p, column p′) on the full one. Symmetry of Σ (and Θ) for x2 = x1 reads
 * K(xⱼ, xᵢ)ₚₚ′ = K(xᵢ, xⱼ)ₚ′ₚ: the mirror of a full-layout block is its transpose.
 * @module
 */

/** Writes the bi×bj tile `src` (blocks of E numbers) into `dst` (n2 columns) at rows i0…, columns j0…. */
export function placeTile(dst: Float64Array, src: Float64Array, n2: number, E: number, i0: number, j0: number, bi: number, bj: number): void {
  for (let i = 0; i < bi; i++) dst.set(src.subarray(i * bj * E, (i + 1) * bj * E), ((i0 + i) * n2 + j0) * E);
}

/** Writes the block `src[s…]` (P×P) transposed at `dst[d…]`. */
function transposeBlock(dst: Float64Array, d: number, src: Float64Array, s: number, P: number): void {
  for (let p = 0; p < P; p++) {
    const row = s + p * P;
    for (let q = 0; q < P; q++) dst[d + q * P + p] = src[row + q]!;
  }
}

/**
 * Writes the mirror image of the bi×bj tile `src` into `dst` (n2 columns): block (i, j) of the
 * tile lands at (j0 + j, i0 + i), transposed in (p, p′) on the full layout (`full`, P positions).
 */
export function placeTileMirrored(dst: Float64Array, src: Float64Array, n2: number, P: number, full: boolean, i0: number, j0: number, bi: number, bj: number): void {
  const E = full ? P * P : P;
  // Blocked over samples: src row i (bj blocks) becomes dst column i0 + i.
  const B = 64;
  for (let ib = 0; ib < bi; ib += B) {
    for (let jb = 0; jb < bj; jb += B) {
      for (let j = jb; j < Math.min(bj, jb + B); j++) {
        const d = ((j0 + j) * n2 + i0) * E;
        for (let i = ib; i < Math.min(bi, ib + B); i++) {
          const s = (i * bj + j) * E;
          if (full) transposeBlock(dst, d + i * E, src, s, P);
          else for (let p = 0; p < E; p++) dst[d + i * E + p] = src[s + p]!;
        }
      }
    }
  }
}

/**
 * Completes a square n×n kernel from its sample blocks above the diagonal: block (j, i) becomes
 * the mirror of block (i, j) for i < j (transposed on the full layout). The diagonal blocks
 * (i, i) are left as they are.
 */
export function mirrorUpperPairs(k: Float64Array, n: number, P: number, full: boolean): void {
  const E = full ? P * P : P;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = (i * n + j) * E;
      const d = (j * n + i) * E;
      if (full) transposeBlock(k, d, k, s, P);
      else k.copyWithin(d, s, s + E);
    }
  }
}
