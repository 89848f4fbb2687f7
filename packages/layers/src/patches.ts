/**
 * The finite-width side of window layers, on NHWC-like batches (n, …spatial, C) through the
 * gather table of ./window-geometry.ts (input position per output position and tap, −1 = padding):
 * - im2col: the patch rows of a conv, (n·Pout) × (|F|·C), tap-major then channel, so that a conv
 *   is a dense layer applied to them; col2im, its adjoint, sums patch gradients back onto the input;
 * - window sums over taps (pooling) and their adjoint.
 * @module
 */

/** Patch rows: out[(i·Pout + O)·|F|·C + T·C + c] = x[(i·Pin + table[O, T])·C + c], 0 in the padding. */
export function im2col(x: Float64Array, n: number, pin: number, channels: number, table: Int32Array, pout: number, taps: number): Float64Array {
  const row = taps * channels;
  const out = new Float64Array(n * pout * row);
  for (let i = 0; i < n; i++) {
    for (let O = 0; O < pout; O++) {
      const dst = (i * pout + O) * row;
      for (let T = 0; T < taps; T++) {
        const p = table[O * taps + T]!;
        if (p < 0) continue;
        const src = (i * pin + p) * channels;
        out.set(x.subarray(src, src + channels), dst + T * channels);
      }
    }
  }
  return out;
}

/** The adjoint of {@link im2col}: gx[(i·Pin + table[O, T])·C + c] += cols[(i·Pout + O)·|F|·C + T·C + c]. */
export function col2im(cols: Float64Array, n: number, pin: number, channels: number, table: Int32Array, pout: number, taps: number): Float64Array {
  const row = taps * channels;
  const gx = new Float64Array(n * pin * channels);
  for (let i = 0; i < n; i++) {
    for (let O = 0; O < pout; O++) {
      const src = (i * pout + O) * row;
      for (let T = 0; T < taps; T++) {
        const p = table[O * taps + T]!;
        if (p < 0) continue;
        const dst = (i * pin + p) * channels;
        const s = src + T * channels;
        for (let c = 0; c < channels; c++) gx[dst + c] += cols[s + c]!;
      }
    }
  }
  return gx;
}

/** Pooling: y[(i·Pout + O)·C + c] = scale · Σ_T x[(i·Pin + table[O, T])·C + c] (padding reads 0). */
export function poolForward(x: Float64Array, n: number, pin: number, channels: number, table: Int32Array, pout: number, taps: number, scale: number): Float64Array {
  const y = new Float64Array(n * pout * channels);
  for (let i = 0; i < n; i++) {
    for (let O = 0; O < pout; O++) {
      const dst = (i * pout + O) * channels;
      for (let T = 0; T < taps; T++) {
        const p = table[O * taps + T]!;
        if (p < 0) continue;
        const src = (i * pin + p) * channels;
        for (let c = 0; c < channels; c++) y[dst + c] += x[src + c]!;
      }
      for (let c = 0; c < channels; c++) y[dst + c] *= scale;
    }
  }
  return y;
}

/** The adjoint of {@link poolForward}: gx[(i·Pin + table[O, T])·C + c] += scale · gy[(i·Pout + O)·C + c]. */
export function poolBackward(gy: Float64Array, n: number, pin: number, channels: number, table: Int32Array, pout: number, taps: number, scale: number): Float64Array {
  const gx = new Float64Array(n * pin * channels);
  for (let i = 0; i < n; i++) {
    for (let O = 0; O < pout; O++) {
      const src = (i * pout + O) * channels;
      for (let T = 0; T < taps; T++) {
        const p = table[O * taps + T]!;
        if (p < 0) continue;
        const dst = (i * pin + p) * channels;
        for (let c = 0; c < channels; c++) gx[dst + c] += scale * gy[src + c]!;
      }
    }
  }
  return gx;
}
