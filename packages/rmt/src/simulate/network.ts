/**
 * Finite-width CK and NTK Gram matrices of random fully-connected networks, to compare with the
 * limits. The network is X_ℓ = σ_ℓ(W_ℓX_{ℓ−1})/√d_ℓ with i.i.d. mean-0, variance-1 weights
 * W_ℓ ∈ ℝ^{d_ℓ×d_{ℓ−1}} (Fan & Wang 2020, eq. 1; Gu et al. 2022, eq. 3) and output f = wᵀX_L, and
 *
 *   K^CK = X_LᵀX_L,   K^NTK = X_LᵀX_L + Σ_{ℓ=1}^{L} (S_ℓᵀS_ℓ) ⊙ (X_{ℓ−1}ᵀX_{ℓ−1})   (Fan & Wang §3.3)
 *
 * with S_L = diag(w)·σ′(H_L)/√d_L and S_{ℓ−1} = σ′(H_{ℓ−1}) ⊙ (W_ℓᵀS_ℓ)/√d_{ℓ−1} (the gradients of f
 * with respect to the pre-activations H_ℓ = W_ℓX_{ℓ−1}), i.e. the exact Jacobian NTK JᵀJ.
 *
 * Samples are rows (x is n×d_0, row-major). Every product goes through the backend's Gram op
 * (`gram(a, b)` = a·bᵀ, WebAssembly SIMD on the CPU backend): pre-activations H_{ℓ−1}·W_ℓᵀ, Gram
 * matrices, and the backward products S_ℓ·W_ℓ (as a Gram with W_ℓᵀ); only σ and σ′ are applied
 * entry by entry. The weights of layer ℓ in draw r come from `new Rng([seed, r]).fork(ℓ)` and are
 * drawn again for the backward pass instead of being kept (the read-out w from fork(0)).
 * @module
 */
import { type Backend, Rng, ShapeMismatchError, assertFinite, cpuBackend } from '@wide/core';
import { type ScalarActivation, derivativeOf, perLayer } from '../activation/activation.js';
import { InvalidRequestError } from '../errors.js';
import { integerAtLeast, positiveList } from '../validate.js';
import { type WeightLaw, checkWeightLaw, fillWeights } from './weights.js';

/** Options of {@link simulateNetwork}. */
export interface SimulateOptions {
  /** Inputs as rows: n×d_0, row-major. */
  x: Float64Array;
  /** n. */
  n: number;
  /** d_0. */
  d0: number;
  /** Widths d_1 … d_L. */
  widths: readonly number[];
  /** σ for every layer, or one per layer (e.g. Gu et al.'s centred activations, see `centredActivations`). */
  activations: ScalarActivation | readonly ScalarActivation[];
  /** Weight law (default `gaussian`). */
  weights?: WeightLaw;
  /** Seed of every draw. */
  seed: number;
  /** Independent networks averaged (default 1): Gu et al.'s K_CK = E_W[X_LᵀX_L] is estimated by the mean. */
  draws?: number;
  /** Also the Jacobian NTK (default false). */
  ntk?: boolean;
  /** Also X_ℓᵀX_ℓ for every ℓ = 0 … L (default false; for Lemma 3.5's stand-in, {@link lemma35Matrix}). */
  grams?: boolean;
  /** Backend (default CPU). */
  backend?: Backend;
}

/** Finite-width Gram matrices (n×n, row-major), averaged over the draws. */
export interface SimulatedKernels {
  readonly n: number;
  /** X_LᵀX_L. */
  readonly ck: Float64Array;
  /** The Jacobian NTK, when asked. */
  readonly ntk: Float64Array | null;
  /** X_ℓᵀX_ℓ for ℓ = 0 … L, when asked (or when the NTK was computed). */
  readonly grams: Float64Array[] | null;
}

function checkOptions(o: SimulateOptions): { widths: number[]; acts: ScalarActivation[]; law: WeightLaw; draws: number } {
  const n = integerAtLeast('n', o.n, 1);
  const d0 = integerAtLeast('d0', o.d0, 1);
  if (!(o.x instanceof Float64Array)) throw new InvalidRequestError('x', 'expected a Float64Array of n×d0 numbers (samples as rows)');
  if (o.x.length !== n * d0) throw new ShapeMismatchError(`x: expected n×d0 = ${n}×${d0} = ${n * d0} numbers, got ${o.x.length}`);
  assertFinite(o.x, 'x', [n, d0]);
  const widths = positiveList('widths', o.widths).map((w, i) => integerAtLeast(`widths[${i}]`, w, 1));
  integerAtLeast('seed', o.seed, 0);
  return { widths, acts: perLayer(o.activations, widths.length), law: checkWeightLaw(o.weights ?? 'gaussian'), draws: integerAtLeast('draws', o.draws ?? 1, 1) };
}

/** W_ℓ (d_ℓ×d_{ℓ−1}, row-major) of draw `rng`. */
function weightsOf(law: WeightLaw, rng: Rng, layer: number, rows: number, cols: number, backend: Backend): Float64Array {
  return fillWeights(law, rng.fork(layer), backend.zeros(rows * cols));
}

function transpose(a: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  const B = 64;
  for (let i0 = 0; i0 < rows; i0 += B) {
    for (let j0 = 0; j0 < cols; j0 += B) {
      const iEnd = Math.min(rows, i0 + B);
      const jEnd = Math.min(cols, j0 + B);
      for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * rows + i] = a[i * cols + j]!;
    }
  }
  return out;
}

/** sum + x (a fresh copy when sum is null); x is released to the backend unless `keep`. */
function accumulate(sum: Float64Array | null, x: Float64Array, backend: Backend, keep = false): Float64Array {
  let out: Float64Array;
  if (!sum) out = Float64Array.from(x);
  else {
    for (let i = 0; i < sum.length; i++) sum[i]! += x[i]!;
    out = sum;
  }
  if (!keep) backend.release?.(x);
  return out;
}

/**
 * The CK (and optionally the Jacobian NTK and every layer's Gram) of random networks, averaged
 * over `draws` networks (see the module comment).
 */
export function simulateNetwork(options: SimulateOptions): SimulatedKernels {
  const { widths, acts, law, draws } = checkOptions(options);
  const backend = options.backend ?? cpuBackend;
  const { n, d0, x } = options;
  const L = widths.length;
  const wantNtk = options.ntk ?? false;
  const wantGrams = wantNtk || (options.grams ?? false);
  const dims = [d0, ...widths];
  const derivs = acts.map(derivativeOf);
  let ck: Float64Array | null = null;
  let ntk: Float64Array | null = null;
  let grams: (Float64Array | null)[] = new Array(L + 1).fill(null);
  for (let r = 0; r < draws; r++) {
    const rng = new Rng([options.seed, r]);
    let h = x;
    const drawGrams: Float64Array[] = [];
    if (wantGrams) drawGrams.push(backend.gram(x, null, n, n, 1, d0, 1));
    const dsig: Float64Array[] = [];
    for (let l = 1; l <= L; l++) {
      const din = dims[l - 1]!;
      const d = dims[l]!;
      const w = weightsOf(law, rng, l, d, din, backend);
      const pre = backend.gram(h, w, n, d, 1, din, 1); // H_{ℓ−1}·W_ℓᵀ
      backend.release?.(w);
      const next = backend.zeros(n * d);
      const f = acts[l - 1]!.fn;
      const inv = 1 / Math.sqrt(d);
      for (let i = 0; i < next.length; i++) next[i] = f(pre[i]!) * inv;
      if (wantNtk) {
        const df = derivs[l - 1]!;
        const dl = new Float64Array(n * d);
        for (let i = 0; i < dl.length; i++) dl[i] = df(pre[i]!);
        dsig.push(dl);
      }
      backend.release?.(pre);
      if (h !== x) backend.release?.(h);
      h = next;
      if (wantGrams && l < L) drawGrams.push(backend.gram(h, null, n, n, 1, d, 1));
    }
    const ckDraw = backend.gram(h, null, n, n, 1, dims[L]!, 1);
    backend.release?.(h);
    if (wantGrams) drawGrams.push(ckDraw);
    if (wantNtk) {
      const ntkDraw = Float64Array.from(ckDraw);
      // S_L = diag(w)·σ′(H_L)/√d_L with the read-out w of this draw.
      const readout = fillWeights(law, rng.fork(0), new Float64Array(dims[L]!));
      let s = backend.zeros(n * dims[L]!);
      {
        const d = dims[L]!;
        const inv = 1 / Math.sqrt(d);
        const dl = dsig[L - 1]!;
        for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) s[i * d + k] = dl[i * d + k]! * readout[k]! * inv;
      }
      for (let l = L; l >= 1; l--) {
        const d = dims[l]!;
        const din = dims[l - 1]!;
        const ss = backend.gram(s, null, n, n, 1, d, 1);
        const g = drawGrams[l - 1]!;
        for (let i = 0; i < ntkDraw.length; i++) ntkDraw[i]! += ss[i]! * g[i]!;
        backend.release?.(ss);
        if (l === 1) break;
        // S_{ℓ−1} = σ′(H_{ℓ−1}) ⊙ (S_ℓ·W_ℓ)/√d_{ℓ−1}, with S_ℓ·W_ℓ = gram(S_ℓ, W_ℓᵀ).
        const w = weightsOf(law, rng, l, d, din, backend);
        const wt = transpose(w, d, din, backend.zeros(din * d));
        backend.release?.(w);
        const back = backend.gram(s, wt, n, din, 1, d, 1);
        backend.release?.(wt);
        backend.release?.(s);
        const dl = dsig[l - 2]!;
        const inv = 1 / Math.sqrt(din);
        s = backend.zeros(n * din);
        for (let i = 0; i < s.length; i++) s[i] = dl[i]! * back[i]! * inv;
        backend.release?.(back);
      }
      backend.release?.(s);
      ntk = accumulate(ntk, ntkDraw, backend);
    }
    if (wantGrams) grams = drawGrams.map((gm, i) => accumulate(grams[i] ?? null, gm, backend, i === L));
    ck = accumulate(ck, ckDraw, backend);
  }
  const scale = (a: Float64Array | null) => {
    if (a && draws > 1) for (let i = 0; i < a.length; i++) a[i]! /= draws;
    return a;
  };
  return { n, ck: scale(ck)!, ntk: scale(ntk), grams: wantGrams ? grams.map((g) => scale(g)!) : null };
}

/**
 * Lemma 3.5's stand-in for the NTK, r₊·Id + X_LᵀX_L + Σ_{ℓ=0}^{L−1} q_ℓ·X_ℓᵀX_ℓ, from the Grams
 * X_ℓᵀX_ℓ (ℓ = 0 … L) of {@link simulateNetwork} and the constants of `lemma35Constants`.
 */
export function lemma35Matrix(grams: readonly Float64Array[], n: number, constants: { readonly q: readonly number[]; readonly rPlus: number }): Float64Array {
  const L = grams.length - 1;
  if (constants.q.length !== L) throw new ShapeMismatchError(`lemma35Matrix: ${L + 1} Grams need ${L} constants q_0 … q_${L - 1}, got ${constants.q.length}`);
  const out = Float64Array.from(grams[L]!);
  if (out.length !== n * n) throw new ShapeMismatchError(`lemma35Matrix: expected ${n}×${n} Grams, got ${out.length} numbers`);
  for (let l = 0; l < L; l++) {
    const g = grams[l]!;
    const q = constants.q[l]!;
    for (let i = 0; i < out.length; i++) out[i]! += q * g[i]!;
  }
  for (let i = 0; i < n; i++) out[i * n + i]! += constants.rPlus;
  return out;
}
