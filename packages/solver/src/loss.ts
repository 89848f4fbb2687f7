/**
 * Losses on the n×k train outputs f (row-major) against targets y, each normalised as a mean over
 * all n·k entries, as neural-tangents normalises MSE (and as its examples write cross-entropy,
 * `-np.mean(log_softmax(fx) * y)`), so a learning rate means the same for every loss:
 *
 * - MSE: L = ½·mean((f − y)²) = ‖f − y‖²/(2nk),  ∂L/∂f = (f − y)/(nk);
 * - softmax cross-entropy: L = −(1/(nk))·Σ_i Σ_c y_ic·log softmax(f_i)_c,
 *   ∂L/∂f_ic = (softmax(f_i)_c·Σ_c′ y_ic′ − y_ic)/(nk) (= (p − y)/(nk) for one-hot or probability rows);
 *   log-softmax as f_ic − max_c f_i − log Σ_c exp(f_ic − max_c f_i) (no overflow).
 * @module
 */

/** A loss of the train outputs. */
export interface Loss {
  /** A short name (`mse`, `softmaxCrossEntropy`). */
  readonly name: string;
  /** L(f) for f, y of n×k entries. */
  value(f: Float64Array, y: Float64Array, n: number, k: number): number;
  /** Writes ∂L/∂f (n×k) into `out`. */
  gradient(f: Float64Array, y: Float64Array, n: number, k: number, out: Float64Array): void;
}

/** ½·mean((f − y)²) over all n·k entries. */
export const mse: Loss = {
  name: 'mse',
  value(f, y, n, k) {
    let s = 0;
    for (let i = 0; i < n * k; i++) s += (f[i]! - y[i]!) ** 2;
    return s / (2 * n * k);
  },
  gradient(f, y, n, k, out) {
    const inv = 1 / (n * k);
    for (let i = 0; i < n * k; i++) out[i] = (f[i]! - y[i]!) * inv;
  },
};

/** −mean(y ⊙ log softmax(f)) over all n·k entries (softmax over each row's k outputs). */
export const softmaxCrossEntropy: Loss = {
  name: 'softmaxCrossEntropy',
  value(f, y, n, k) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const lse = logSumExp(f, i * k, k);
      for (let c = 0; c < k; c++) s -= y[i * k + c]! * (f[i * k + c]! - lse);
    }
    return s / (n * k);
  },
  gradient(f, y, n, k, out) {
    const inv = 1 / (n * k);
    for (let i = 0; i < n; i++) {
      const lse = logSumExp(f, i * k, k);
      let ySum = 0;
      for (let c = 0; c < k; c++) ySum += y[i * k + c]!;
      for (let c = 0; c < k; c++) out[i * k + c] = (Math.exp(f[i * k + c]! - lse) * ySum - y[i * k + c]!) * inv;
    }
  },
};

/** log Σ_c exp(x[o + c]) for c < k, shifted by the maximum. */
function logSumExp(x: Float64Array, o: number, k: number): number {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, x[o + c]!);
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(x[o + c]! - max);
  return max + Math.log(s);
}
