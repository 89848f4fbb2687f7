/**
 * Gu et al. (2022), Figure 2 and Tables 1–2 at sizes that run in about a minute.
 *
 * - Figure 2: the last-layer CK K_CK = E_W[X_3ᵀX_3] (estimated by the mean over `draws` networks;
 *   the paper: 1,000) against its equivalent K̃_CK of Theorem 1 (@wide/rmt `ckEquivalent`, the
 *   corrected variant): eigenvalues (zeros dropped, as in the paper's footnote) and the top
 *   eigenvectors. Left panel: two-class GMM, μ_a = 8·e_{8(a−1)+1}, C_a = (1 + 8(a−1)/√p)·I_p,
 *   p = 4n (the paper: p = 8,000, n = 2,000), ReLU ×3, Gaussian W. Right panel: MNIST 6 vs 8 centred
 *   and scaled to mean ‖x‖² = 1, [0.2t² + t, ReLU, ReLU], symmetric Bernoulli W. Widths
 *   (d, d, d/2) with d = 2n as the paper's (2000, 2000, 1000).
 *   For MNIST the statistics of Theorem 1 are estimated from the data: μ_a/√p the class mean,
 *   C_a/p the class covariance, τ_0² = Σ_a (n_a/n)·tr C_a/p, t_a = √p·(tr C_a − tr C°)/p,
 *   T_ab = p·tr(S_aS_b) with S_a = C_a/p, ψ_i = ‖x_i − μ_a/√p‖² − tr C_a/p.
 * - Tables 1–2: (α₁, α₂, α₃, τ) at layer 3 for the ten activations of the paper, three layers of
 *   the same activation, from τ_0 = 1.0021 (Table 1, MNIST) and 1.0693 (Table 2, GMM), with the
 *   printed values beside them (the two misprinted rows are explained in @wide/rmt's README).
 * @module
 */
import { cpuBackend } from '@wide/core';
import { loadMnist } from '@wide/data';
import {
  type GaussianMixture, type ScalarActivation, type WeightLaw, activations as A, basisMean, ckEquivalent, gaussianMixture, guCoefficients, simulateNetwork, spectralNorm,
} from '@wide/rmt';
import { type ProgressReporter, secondsSince, silentProgress } from '../arora/progress.js';

/** The defaults of {@link runGuFigure2}. */
export const guDefaults = { gmmN: 500, mnistN: 600, draws: 10, seed: 1 } as const;

/** One panel of Figure 2. */
export interface GuPanel {
  readonly data: 'gmm' | 'mnist';
  readonly n: number;
  readonly p: number;
  readonly widths: number[];
  readonly activations: string[];
  readonly weights: string;
  readonly draws: number;
  readonly tau0: number;
  /** Eigenvalues (ascending) of K_CK and K̃_CK. */
  readonly eigenvalues: { k: Float64Array; kTilde: Float64Array };
  /** The top two eigenvectors of each (signs aligned to K's). */
  readonly vectors: { k: Float64Array[]; kTilde: Float64Array[] };
  /** ‖K − K̃‖/‖K‖ (spectral norms). */
  readonly relativeError: number;
  /** |⟨v_i(K), v_i(K̃)⟩| for the top two eigenvectors. */
  readonly alignment: number[];
  /** Two-sample KS distance between the nonzero eigenvalues of K and K̃. */
  readonly ks: number;
}

/** Data in Gu et al.'s form from samples (rows, ordered by class) with the statistics estimated (module comment). */
export function empiricalMixture(x: Float64Array, labels: Int32Array, n: number, p: number, classes: number): GaussianMixture {
  const sizes = new Array<number>(classes).fill(0);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  const mean = Array.from({ length: classes }, () => new Float64Array(p));
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) mean[labels[i]!]![k]! += x[i * p + k]! / sizes[labels[i]!]!;
  const noise = new Float64Array(n * p);
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < p; k++) noise[i * p + k] = x[i * p + k]! - mean[labels[i]!]![k]!;
    for (let k = 0; k < p; k++) sq[i]! += noise[i * p + k]! ** 2;
  }
  const trS = new Array<number>(classes).fill(0); // tr C_a/p = mean ‖e_i‖² in class a
  for (let i = 0; i < n; i++) trS[labels[i]!]! += sq[i]! / sizes[labels[i]!]!;
  const trS0 = trS.reduce((s, v, a) => s + (sizes[a]! / n) * v, 0);
  const t = Float64Array.from(trS, (v) => Math.sqrt(p) * (v - trS0));
  // T_ab = p·tr(S_aS_b) = p·‖E_aE_bᵀ‖_F²/(n_a n_b), E_a the class's noise rows.
  const g = cpuBackend.gram(noise, null, n, n, 1, p, 1);
  const T = new Float64Array(classes * classes);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) T[labels[i]! * classes + labels[j]!]! += (p * g[i * n + j]! ** 2) / (sizes[labels[i]!]! * sizes[labels[j]!]!);
  const psi = Float64Array.from(sq, (v, i) => v - trS[labels[i]!]!);
  return { x, n, p, classes, labels, classSizes: sizes, stats: { tau0: Math.sqrt(trS0), t, T, psi } };
}

/** Two-sample Kolmogorov–Smirnov distance sup_x |F_a(x) − F_b(x)| of sorted samples. */
export function twoSampleKs(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

const nonzero = (values: Float64Array, scale: number) => values.filter((v) => v > 1e-8 * scale);

function topVectors(vectors: Float64Array, n: number, count: number): Float64Array[] {
  return Array.from({ length: count }, (_, k) => Float64Array.from({ length: n }, (_, i) => vectors[i * n + (n - 1 - k)]!));
}

function panelOf(data: GuPanel['data'], mix: GaussianMixture, acts: ScalarActivation[], names: string[], weights: WeightLaw, draws: number, seed: number): GuPanel {
  const { n, p } = mix;
  const widths = [2 * n, 2 * n, n];
  const coef = guCoefficients(acts, mix.stats.tau0, { ntk: false });
  const k = simulateNetwork({ x: mix.x, n, d0: p, widths, activations: coef.activations, weights, seed, draws }).ck;
  const kTilde = ckEquivalent(mix, coef);
  const ek = cpuBackend.eigh(k, n);
  const et = cpuBackend.eigh(kTilde, n);
  const vk = topVectors(ek.vectors, n, 2);
  const vt = topVectors(et.vectors, n, 2).map((v, i) => {
    const dot = v.reduce((s, x, j) => s + x * vk[i]![j]!, 0);
    return dot < 0 ? v.map((x) => -x) : v;
  });
  const alignment = vt.map((v, i) => Math.abs(v.reduce((s, x, j) => s + x * vk[i]![j]!, 0)));
  const diff = Float64Array.from(k, (v, i) => v - kTilde[i]!);
  const relativeError = spectralNorm(diff, n, { tol: 1e-8 }) / spectralNorm(k, n, { tol: 1e-8 });
  const top = ek.values[n - 1]!;
  const eigenvalues = { k: nonzero(ek.values, top), kTilde: nonzero(et.values, top) };
  return {
    data, n, p, widths, activations: names, weights: typeof weights === 'string' ? weights : 'custom', draws, tau0: mix.stats.tau0,
    eigenvalues, vectors: { k: vk, kTilde: vt }, relativeError, alignment, ks: twoSampleKs(eigenvalues.k, eigenvalues.kTilde),
  };
}

/** Options of {@link runGuFigure2}. */
export interface GuFigure2Options {
  /** GMM samples n (p = 4n; default 500). 0 skips the panel. */
  gmmN?: number;
  /** MNIST 6-vs-8 samples n (half each; default 600). 0 skips the panel. */
  mnistN?: number;
  /** Networks averaged into K_CK (default 10; the paper: 1,000). */
  draws?: number;
  seed?: number;
  progress?: ProgressReporter;
}

/** Figure 2's two panels (module comment). */
export function runGuFigure2(options: GuFigure2Options = {}): { panels: GuPanel[]; seconds: number } {
  const t0 = performance.now();
  const progress = options.progress ?? silentProgress;
  const draws = options.draws ?? guDefaults.draws;
  const seed = options.seed ?? guDefaults.seed;
  const gmmN = options.gmmN ?? guDefaults.gmmN;
  const mnistN = options.mnistN ?? guDefaults.mnistN;
  const panels: GuPanel[] = [];
  if (gmmN > 0) {
    progress.stage(`Gu Figure 2, GMM: n = ${gmmN}, p = ${4 * gmmN}, ${draws} networks`);
    const p = 4 * gmmN;
    const half = Math.floor(gmmN / 2);
    const mix = gaussianMixture({ p, classSizes: [half, gmmN - half], means: [basisMean(p, 0, 8), basisMean(p, 8, 8)], covariances: [1, 1 + 8 / Math.sqrt(p)], seed });
    panels.push(panelOf('gmm', mix, [A.relu(), A.relu(), A.relu()], ['ReLU', 'ReLU', 'ReLU'], 'gaussian', draws, seed + 1));
  }
  if (mnistN > 0) {
    progress.stage(`Gu Figure 2, MNIST 6 vs 8: n = ${mnistN}, ${draws} networks`);
    const half = Math.floor(mnistN / 2);
    const sixes = loadMnist({ split: 'train', classes: [6], count: half });
    const eights = loadMnist({ split: 'train', classes: [8], count: mnistN - half });
    const p = 784;
    const x = new Float64Array(mnistN * p);
    x.set(sixes.x.data as Float64Array, 0);
    x.set(eights.x.data as Float64Array, half * p);
    // Centred (global mean) and scaled to mean ‖x‖² = 1, as the authors' code does.
    const mu = new Float64Array(p);
    for (let i = 0; i < mnistN; i++) for (let k = 0; k < p; k++) mu[k]! += x[i * p + k]! / mnistN;
    let ss = 0;
    for (let i = 0; i < mnistN; i++) for (let k = 0; k < p; k++) ss += (x[i * p + k]! -= mu[k]!) ** 2;
    const s = 1 / Math.sqrt(ss / mnistN);
    for (let i = 0; i < x.length; i++) x[i]! *= s;
    const labels = Int32Array.from({ length: mnistN }, (_, i) => (i < half ? 0 : 1));
    const mix = empiricalMixture(x, labels, mnistN, p, 2);
    panels.push(panelOf('mnist', mix, [A.polynomial([0, 1, 0.2]), A.relu(), A.relu()], ['0.2t² + t', 'ReLU', 'ReLU'], 'bernoulli', draws, seed + 1));
  }
  progress.end();
  return { panels, seconds: secondsSince(t0) };
}

/** The ten activations of Tables 1–2 (the LReLU row as the authors computed it, `vRelu(0.1, 1)`), with the printed (α₁, α₂, α₃, τ). */
export const guTableRows: { name: string; act: () => ScalarActivation; table1: number[]; table2: number[] }[] = [
  { name: 'max(0, t)', act: A.relu, table1: [0.0156, 0.0105, 0.0112, 0.1994], table2: [0.0156, 0.0092, 0.0099, 0.2128] },
  { name: '0.1·max(t, 0) + max(−t, 0) ("LReLU")', act: () => A.vRelu(0.1, 1), table1: [0.0083, 0.0097, 0.0081, 0.175], table2: [0.0083, 0.0085, 0.0071, 0.1867] },
  { name: '1{t ≥ 0}', act: A.step, table1: [0.0642, 0, 0, 0.5], table2: [0.0564, 0, 0, 0.5] },
  { name: 'sign t', act: A.sign, table1: [0.1779, 0, 0, 0.4689], table2: [0.2256, 0, 0, 1] },
  { name: '1/(1 + e^{−t})', act: A.sigmoid, table1: [0.0002, 0, 0, 0.0129], table2: [0.0002, 0, 0, 0.0135] },
  { name: 'sin t', act: A.sin, table1: [0.1779, 0, 0, 0.4689], table2: [0.1512, 0, 0, 0.4729] },
  { name: 't', act: A.identity, table1: [1, 0, 0, 1.0021], table2: [1, 0, 0, 1.0693] },
  { name: 'erf t', act: A.erf, table1: [0.2166, 0, 0, 0.5053], table2: [0.1912, 0, 0, 0.51] },
  { name: 'cos t', act: A.cos, table1: [0, 0.0003, 0, 0.0116], table2: [0, 0.0003, 0, 0.015] },
  { name: '|t|', act: A.abs, table1: [0, 0.0209, 0, 0.2195], table2: [0, 0.0184, 0, 0.2342] },
];

/** One table row: ours and the paper's (α₁, α₂, α₃, τ) at layer 3. */
export interface GuTableRow {
  readonly activation: string;
  readonly ours: number[];
  readonly printed: number[];
  readonly maxAbsDifference: number;
}

/** Tables 1 (τ_0 = 1.0021) and 2 (τ_0 = 1.0693): three layers of each activation, CK coefficients. */
export function runGuTables(): { table1: GuTableRow[]; table2: GuTableRow[]; tau0: { table1: number; table2: number } } {
  const tau0 = { table1: 1.0021, table2: 1.0693 };
  const table = (which: 'table1' | 'table2') =>
    guTableRows.map((r) => {
      const act = r.act();
      const c = guCoefficients([act, act, act], tau0[which], { ntk: false });
      const ours = [c.alpha1[2]!, c.alpha2[2]!, c.alpha3[2]!, c.tau[2]!];
      const printed = r[which];
      return { activation: r.name, ours, printed, maxAbsDifference: Math.max(...ours.map((v, i) => Math.abs(v - printed[i]!))) };
    });
  return { table1: table('table1'), table2: table('table2'), tau0 };
}

/** The tables and Figure 2's measurements as text. */
export function formatGu(tables: ReturnType<typeof runGuTables>, figure: { panels: GuPanel[] } | null): string {
  const f = (v: number) => v.toFixed(4).padStart(7);
  const lines: string[] = [];
  for (const which of ['table1', 'table2'] as const) {
    lines.push(`Gu et al. ${which === 'table1' ? 'Table 1 (MNIST)' : 'Table 2 (GMM)'}, τ0 = ${tables.tau0[which]}: (α₁, α₂, α₃, τ) at layer 3, ours | printed`);
    for (const r of tables[which]) lines.push(`  ${r.activation.padEnd(38)} ${r.ours.map(f).join('')} | ${r.printed.map(f).join('')}${r.maxAbsDifference > 6e-5 ? '   ← differs' : ''}`);
  }
  for (const p of figure?.panels ?? []) {
    lines.push(
      `Gu et al. Figure 2 (${p.data === 'gmm' ? 'two-class GMM' : 'MNIST 6 vs 8'}, n = ${p.n}, p = ${p.p}, widths ${p.widths.join('/')}, [${p.activations.join(', ')}], ${p.weights} W, ${p.draws} networks, τ0 = ${p.tau0.toFixed(4)}): ‖K − K̃‖/‖K‖ = ${p.relativeError.toFixed(3)}, KS(eigenvalues) = ${p.ks.toFixed(3)}, |⟨v₁, ṽ₁⟩| = ${p.alignment[0]!.toFixed(3)}, |⟨v₂, ṽ₂⟩| = ${p.alignment[1]!.toFixed(3)}`,
    );
  }
  return lines.join('\n');
}
