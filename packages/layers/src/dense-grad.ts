/**
 * The factorised parameter-gradient record of an affine map applied at every spatial position
 * (dense, and conv as dense on patches): per sample, ∂f/∂W = wF·Σ_p δ_p ⊗ h_p and
 * ∂f/∂b = bF·Σ_p δ_p, where h_p is the input row at position p (the patch of a conv) and δ_p the
 * gradient of the output there. The empirical NTK contribution of two batches is then
 * Σ_{p,p′} (δa_p·δb_p′)·(wF²·ha_p·hb_p′ + bF²), contracted with two Gram matrices and no
 * per-sample gradient ever formed.
 *
 * Every product here and in the finite forward and backward passes of ./dense.ts is one call of
 * the backend's Gram op (A·Bᵀ = the Gram matrix of the rows of A with the rows of B; on the CPU
 * backend WebAssembly SIMD, blocked, on worker threads), through {@link productABt}.
 * @module
 */
import { type Backend, type GradRecord, ShapeMismatchError, cpuBackend } from '@wide/core';

/**
 * C = scale·A·Bᵀ for A m×k and B n×k, row-major, by the backend's Gram op, returned as a plain
 * array: the backend's result (a view on its WebAssembly memory on the CPU backend) is copied and
 * released at once, since training runs thousands of products in one synchronous loop, during
 * which no finaliser could give that memory back.
 */
export function productABt(backend: Backend, a: Float64Array, b: Float64Array, m: number, n: number, k: number, scale = 1): Float64Array {
  if (m === 0 || n === 0) return new Float64Array(m * n);
  const g = backend.gram(a, b, m, n, 1, k, scale);
  const out = g.slice();
  backend.release?.(g);
  return out;
}

/** The transpose (cols × rows) of x (rows × cols, row-major). */
export function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = x[r + j]!;
  }
  return out;
}

/** Factorised per-sample gradients of an affine layer: ∂f/∂W = wF·δ·hᵀ, ∂f/∂b = bF·δ (summed over positions). */
export class DenseGrad implements GradRecord {
  /**
   * @param delta gradient w.r.t. the layer output, (n·positions) × width, row-major
   * @param h the layer input rows (patches for a conv), (n·positions) × fanIn
   * @param wF factor of W in the forward pass (σ_w/√fanIn under ntk, 1 under standard)
   * @param bF factor of b (σ_b under ntk, 1 or 0 under standard)
   * @param parameters the layer's [W, b] in its params tree (GradRecord.parameters), if known
   */
  constructor(
    readonly delta: Float64Array,
    readonly h: Float64Array,
    readonly n: number,
    readonly positions: number,
    readonly width: number,
    readonly fanIn: number,
    readonly wF: number,
    readonly bF: number,
    readonly parameters?: readonly Float64Array[],
  ) {}

  contract(other: GradRecord, backend: Backend): Float64Array {
    if (!(other instanceof DenseGrad)) throw new ShapeMismatchError('dense: gradient records of different layers cannot be contracted');
    const P = this.positions;
    const Q = other.positions;
    const ra = this.n * P;
    const rb = other.n * Q;
    const dd = productABt(backend, this.delta, other.delta, ra, rb, this.width);
    const hh = productABt(backend, this.h, other.h, ra, rb, this.fanIn);
    const w2 = this.wF * this.wF;
    const b2 = this.bF * this.bF;
    const out = new Float64Array(this.n * other.n);
    // Σ_{p,p′} (δa_p·δb_p′)·(wF²·ha_p·hb_p′ + bF²)
    for (let i = 0; i < this.n; i++) {
      for (let j = 0; j < other.n; j++) {
        let s = 0;
        for (let p = 0; p < P; p++) {
          const row = (i * P + p) * rb + j * Q;
          for (let q = 0; q < Q; q++) s += dd[row + q]! * (w2 * hh[row + q]! + b2);
        }
        out[i * other.n + j] = s;
      }
    }
    return out;
  }

  /** [∂L/∂W, ∂L/∂b] = [wF·δᵀ·h, bF·Σ_rows δ], the weight gradient as one Gram product of δᵀ and hᵀ. */
  gradient(): Float64Array[] {
    const rows = this.n * this.positions;
    const gW = productABt(cpuBackend, transpose(this.delta, rows, this.width), transpose(this.h, rows, this.fanIn), this.width, this.fanIn, rows, this.wF);
    const gb = new Float64Array(this.width);
    for (let r = 0; r < rows; r++) {
      const dr = r * this.width;
      for (let o = 0; o < this.width; o++) gb[o] += this.delta[dr + o]!;
    }
    for (let o = 0; o < this.width; o++) gb[o] *= this.bF;
    return [gW, gb];
  }
}
