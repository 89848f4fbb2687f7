/**
 * Fan & Wang (2020), Figures 1–2 at sizes that run in about a minute: the eigenvalues of the
 * input Gram X_0ᵀX_0, of K^CK = X_LᵀX_L and of the exact Jacobian K^NTK of one random network
 * (@wide/rmt `simulateNetwork`), against the limit laws — μ_0 (Marchenko–Pastur ρ^MP_{γ0} for
 * i.i.d. N(0, 1/d_0) inputs, or the empirical spectrum of X_0ᵀX_0 for images), Theorem 3.4's CK
 * and Theorem 3.7's NTK (with Lemma 3.5's constants). The activation is arctan normalised to
 * E σ(ξ) = 0, E σ(ξ)² = 1 (Section 4.1), every width d_ℓ = n/γ with γ = ½ as in the paper
 * (n = 3000, d_ℓ = 6000), and the agreement is measured by the Kolmogorov–Smirnov distance
 * between the eigenvalues and the predicted law (atoms included).
 *
 * - Figure 1: n samples with i.i.d. N(0, 1/d_0) entries, γ_0 = n/d_0 = 3, five layers.
 * - Figure 2 analogue: n MNIST or Fashion-MNIST training images (the paper: 5,000 CIFAR-10 images),
 *   the leading k principal components removed (X ← X − U_kΣ_kV_kᵀ, the top singular directions of
 *   the n×d_0 data) and each image scaled to ‖x‖ = 1 (Fan & Wang's Assumption 3.1 needs ‖x_α‖ ≈ 1);
 *   μ_0 is the empirical spectrum of the processed X_0ᵀX_0.
 * @module
 */
import { Rng, cpuBackend } from '@wide/core';
import { loadFashionMnist, loadMnist } from '@wide/data';
import {
  type GridDensity, type SpectralLaw, activations, eigenvalues, empiricalLaw, fanWang, geometricGrid, ksDistance, lemma35Matrix, linearGrid, marchenkoPastur, mergeGrids, normalizeActivation, simulateNetwork,
} from '@wide/rmt';
import { type ProgressReporter, secondsSince, silentProgress } from '../arora/progress.js';

/** One panel: eigenvalues of a finite matrix against a limit density. */
export interface SpectrumPanel {
  /** `input`, `ck`, `ntk` (the exact Jacobian NTK) or `ntk-lemma35` (Lemma 3.5's r₊Id + Σ q_ℓX_ℓᵀX_ℓ + X_LᵀX_L of the same network). */
  readonly kernel: 'input' | 'ck' | 'ntk' | 'ntk-lemma35';
  /** The eigenvalues of the simulated matrix (ascending). */
  readonly eigenvalues: Float64Array;
  /** The predicted law on a grid (density plus atoms). */
  readonly predicted: GridDensity & { converged: boolean };
  /** KS distance sup |F_n − F| between the eigenvalues and the predicted law. */
  readonly ks: number;
}

/** Options of {@link runFanWangFigure}. */
export interface FanWangFigureOptions {
  /** `gaussian` (Figure 1) or an image set (Figure 2 analogue). */
  data: 'gaussian' | 'mnist' | 'fashion-mnist';
  /** Samples n (default 1,500). */
  n?: number;
  /** γ_0 = n/d_0 for Gaussian data (default 3, as in the paper). */
  gamma0?: number;
  /** γ = n/d_ℓ for every hidden layer (default ½, as in the paper). */
  gamma?: number;
  /** Hidden layers L (default 5). */
  depth?: number;
  /** Leading principal components removed from images (default 10, as in the paper). */
  pcs?: number;
  /** Seed of the data and weights (default 1). */
  seed?: number;
  progress?: ProgressReporter;
}

/** The defaults of {@link runFanWangFigure} for each figure. */
export const fanWangDefaults = {
  figure1: { n: 1500, gamma0: 3, gamma: 0.5, depth: 5, seed: 1 },
  figure2: { n: 1500, gamma: 0.5, depth: 5, pcs: 10, seed: 1 },
} as const;

/** The result of one figure. */
export interface FanWangFigure {
  readonly data: string;
  readonly n: number;
  readonly d0: number;
  readonly widths: number[];
  readonly pcs: number | null;
  readonly seed: number;
  /** b_σ, a_σ of the normalised arctan and r₊ of Lemma 3.5. */
  readonly constants: { b: number; a: number; rPlus: number };
  readonly panels: SpectrumPanel[];
  readonly seconds: number;
}

/** Images as an n×784 matrix: leading `pcs` principal directions removed, rows scaled to norm 1. */
export function preprocessImages(x: Float64Array, n: number, d: number, pcs: number): Float64Array {
  const out = Float64Array.from(x);
  if (pcs > 0) {
    // X = UΣVᵀ: the top k left singular vectors u_k are the top eigenvectors of XXᵀ, and
    // X − U_kΣ_kV_kᵀ = (I − U_kU_kᵀ)X.
    const g = cpuBackend.gram(x, null, n, n, 1, d, 1);
    const { vectors } = cpuBackend.eigh(g, n); // ascending; columns of a row-major n×n matrix
    for (let k = 0; k < pcs; k++) {
      const col = n - 1 - k;
      const proj = new Float64Array(d); // u_kᵀX
      for (let i = 0; i < n; i++) {
        const u = vectors[i * n + col]!;
        for (let j = 0; j < d; j++) proj[j]! += u * x[i * d + j]!;
      }
      for (let i = 0; i < n; i++) {
        const u = vectors[i * n + col]!;
        for (let j = 0; j < d; j++) out[i * d + j]! -= u * proj[j]!;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += out[i * d + j]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) out[i * d + j]! *= inv;
  }
  return out;
}

/** A grid over the eigenvalues' range (10% margin), geometric near 0 when the range starts there. */
function gridFor(values: Float64Array, nearZero: boolean): Float64Array {
  const lo = values[0]!;
  const hi = values[values.length - 1]!;
  const margin = 0.1 * (hi - lo);
  const top = hi + margin;
  if (nearZero) return mergeGrids(geometricGrid(1e-5 * top, 0.02 * top, 150), linearGrid(0.02 * top, top, 600));
  return linearGrid(Math.max(lo - margin, 1e-9), top, 700);
}

function panel(kernel: SpectrumPanel['kernel'], eigs: Float64Array, law: SpectralLaw, grid: Float64Array): SpectrumPanel {
  const d = law.density!(grid);
  const predicted = { x: d.x, density: d.density, atoms: d.atoms, converged: d.converged };
  return { kernel, eigenvalues: eigs, predicted, ks: ksDistance(eigs, predicted).distance };
}

/** Runs one Fan–Wang figure (module comment). */
export function runFanWangFigure(options: FanWangFigureOptions): FanWangFigure {
  const t0 = performance.now();
  const progress = options.progress ?? silentProgress;
  const gaussian = options.data === 'gaussian';
  const dflt = gaussian ? fanWangDefaults.figure1 : fanWangDefaults.figure2;
  const n = options.n ?? dflt.n;
  const gamma = options.gamma ?? dflt.gamma;
  const depth = options.depth ?? dflt.depth;
  const seed = options.seed ?? dflt.seed;
  const pcs = gaussian ? null : (options.pcs ?? fanWangDefaults.figure2.pcs);

  progress.stage(`Fan–Wang ${gaussian ? 'Figure 1' : `Figure 2 (${options.data})`}: data`);
  let x: Float64Array;
  let d0: number;
  if (gaussian) {
    d0 = Math.max(1, Math.round(n / (options.gamma0 ?? fanWangDefaults.figure1.gamma0)));
    x = new Rng([seed, 0]).normals(n * d0, 1 / Math.sqrt(d0));
  } else {
    d0 = 784;
    const set = (options.data === 'mnist' ? loadMnist : loadFashionMnist)({ split: 'train', count: n });
    x = preprocessImages(set.x.data as Float64Array, n, d0, pcs!);
  }
  const width = Math.max(1, Math.round(n / gamma));
  const widths = new Array<number>(depth).fill(width);

  progress.stage(`network n = ${n}, d0 = ${d0}, ${depth} layers of width ${width} (CK and NTK)`);
  const sigma = normalizeActivation(activations.arctan()); // arctan/c − 0, E σ(ξ)² = 1
  const sim = simulateNetwork({ x, n, d0, widths, activations: sigma, seed: seed + 1, ntk: true });

  progress.stage('eigenvalues and limit densities');
  const eigInput = eigenvalues(sim.grams![0]!, n);
  const input: SpectralLaw = gaussian ? marchenkoPastur(n / d0) : empiricalLaw(eigInput, 'X0ᵀX0');
  const model = fanWang({ input, gammas: widths.map((w) => n / w), activations: sigma });
  const eigCk = eigenvalues(sim.ck, n);
  const eigNtk = eigenvalues(sim.ntk!, n);
  // The exact NTK of one network carries the read-out's random scale Σ w_i²σ′(h_i)²/d_L ≈ a_σ(1 ± O(1/√d_L))
  // in every gradient term; Lemma 3.5's matrix of the same network does not.
  const eigLemma = eigenvalues(lemma35Matrix(sim.grams!, n, model.lemma35()), n);
  const ntkLaw = model.ntk();
  const panels = [
    ...(gaussian ? [panel('input', eigInput, input, gridFor(eigInput, true))] : []),
    panel('ck', eigCk, model.ck(), gridFor(eigCk, true)),
    panel('ntk', eigNtk, ntkLaw, gridFor(eigNtk, false)),
    panel('ntk-lemma35', eigLemma, ntkLaw, gridFor(eigLemma, false)),
  ];
  progress.end();
  const { rPlus } = model.lemma35();
  return { data: options.data, n, d0, widths, pcs, seed, constants: { b: model.b[0]!, a: model.a[0]!, rPlus }, panels, seconds: secondsSince(t0) };
}

/** The figure's measured numbers as text lines. */
export function formatFanWang(f: FanWangFigure): string {
  const what = f.data === 'gaussian' ? `Figure 1 (i.i.d. Gaussian inputs, γ0 = n/d0 = ${(f.n / f.d0).toFixed(2)})` : `Figure 2 analogue (${f.data}, ${f.pcs} leading PCs removed, ‖x‖ = 1)`;
  const lines = [
    `Fan–Wang ${what}: n = ${f.n}, d0 = ${f.d0}, ${f.widths.length} layers of width ${f.widths[0]}, normalised arctan (b_σ = ${f.constants.b.toFixed(4)}, a_σ = ${f.constants.a.toFixed(4)}, r₊ = ${f.constants.rPlus.toFixed(4)}), ${f.seconds.toFixed(1)} s`,
  ];
  for (const p of f.panels) lines.push(`  ${p.kernel.padEnd(11)} KS = ${p.ks.toFixed(4)}  (eigenvalues in [${p.eigenvalues[0]!.toFixed(3)}, ${p.eigenvalues[p.eigenvalues.length - 1]!.toFixed(3)}]; limit density ${p.predicted.converged ? 'converged' : 'NOT converged'})`);
  return lines.join('\n');
}
