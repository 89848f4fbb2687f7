/**
 * `wide reproduce fan-wang` (Fan & Wang 2020, Figure 1 and a Figure 2 analogue on MNIST /
 * Fashion-MNIST) and `wide reproduce gu-spectra` (Gu et al. 2022, Figure 2 and Tables 1–2), from
 * @wide/reproductions: each prints the KS distances / relative errors it measured (or one JSON
 * object with --json) and writes JSON and figures (the eigenvalue histogram under the predicted
 * density; eigenvectors of K and K̃) into --out-dir, all at the end and all or nothing.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WideError } from '@wide/core';
import type { Command } from 'commander';
import { type CommonOptions, choiceOpt, intOpt, jsonOpt, listOpt, plotFormatOpt, quietOpt } from '../args.js';
import { WideCommand } from '../command.js';
import { makeProgress } from '../progress.js';

async function writeAll(outDir: string, files: [string, string | Uint8Array][]): Promise<string[]> {
  const dir = resolve(outDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new WideError('IO', `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { writeFilesAtomic } = await import('@wide/data');
  const paths = files.map(([name, content]) => [join(dir, name), content] as const);
  writeFilesAtomic(paths);
  return paths.map(([p]) => p);
}

/** Options of `wide reproduce fan-wang`. */
export interface FanWangCliOptions extends CommonOptions {
  figures?: ('1' | '2')[];
  n?: number;
  dataset?: 'mnist' | 'fashion-mnist';
  n2?: number;
  pcs?: number;
  seed?: number;
  outDir?: string;
}

/** `wide reproduce fan-wang`. */
export function fanWangCommand(): Command {
  return new WideCommand('fan-wang')
    .summary('Fan & Wang 2020: CK and NTK spectra against their limits (Figures 1, 2)')
    .description('Eigenvalues of the input Gram, the CK X_5ᵀX_5 and the exact NTK of one random 5-layer network (normalised arctan, widths 2n) against the limit laws of Theorems 3.4 and 3.7, with KS distances; Figure 1 on i.i.d. Gaussian inputs (n/d0 = 3), Figure 2 analogue on MNIST or Fashion-MNIST with the leading principal components removed. Writes fan-wang-figure{1,2}.json and fan-wang-figure{1,2}-<panel>.<format> into --out-dir.')
    .addOption(listOpt('--figures <list>', 'which figures', ['1', '2'], ['1', '2']))
    .addOption(intOpt('--n <n>', 'Figure 1: samples (d0 = n/3, widths 2n; the paper: 3000)', 1500, 10, 20000))
    .addOption(choiceOpt('--dataset <name>', 'Figure 2: the images', ['mnist', 'fashion-mnist'], 'mnist'))
    .addOption(intOpt('--n2 <n>', 'Figure 2: images (widths 2n; the paper: 5000 CIFAR-10 images)', 1500, 20, 20000))
    .addOption(intOpt('--pcs <k>', 'Figure 2: leading principal components removed', 10, 0, 100))
    .addOption(intOpt('--seed <s>', 'seed of data and weights', 1, 0))
    .option('--out-dir <DIR>', 'folder for the JSON and figure files', '.')
    .addOption(plotFormatOpt())
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .action(async (o: FanWangCliOptions) => {
      await runFanWangCli(o);
    });
}

const panelTitle: Record<string, string> = { input: 'input Gram X0ᵀX0', ck: 'CK X5ᵀX5', ntk: 'NTK (exact Jacobian)', 'ntk-lemma35': 'NTK, Lemma 3.5 matrix' };

/** Runs `wide reproduce fan-wang`. */
export async function runFanWangCli(o: FanWangCliOptions = {}): Promise<{ command: string; figures: unknown[]; files: string[] }> {
  const figures = o.figures ?? ['1', '2'];
  const format = o.plotFormat ?? 'svg';
  const [repro, plots] = await Promise.all([import('@wide/reproductions'), import('../plots/index.js')]);
  await plots.checkPlotFormat(format);
  const progress = makeProgress({ quiet: o.quiet });
  const command = `wide reproduce fan-wang --figures ${figures.join(',')} --n ${o.n ?? 1500} --dataset ${o.dataset ?? 'mnist'} --n2 ${o.n2 ?? 1500} --pcs ${o.pcs ?? 10} --seed ${o.seed ?? 1}`;
  const files: [string, string | Uint8Array][] = [];
  const printed: string[] = [];
  const out: unknown[] = [];
  for (const fig of figures) {
    const f = repro.runFanWangFigure(fig === '1' ? { data: 'gaussian', n: o.n, seed: o.seed, progress } : { data: o.dataset ?? 'mnist', n: o.n2, pcs: o.pcs, seed: o.seed, progress });
    const json = {
      paper: `Fan & Wang 2020, Figure ${fig}${fig === '2' ? ' (analogue)' : ''}`,
      command,
      ...f,
      panels: f.panels.map((p) => ({ kernel: p.kernel, ks: p.ks, converged: p.predicted.converged, atoms: p.predicted.atoms, eigenvalues: Array.from(p.eigenvalues), x: Array.from(p.predicted.x), density: Array.from(p.predicted.density) })),
    };
    out.push(json);
    files.push([`fan-wang-figure${fig}.json`, JSON.stringify(json) + '\n']);
    const what = fig === '1' ? `i.i.d. Gaussian, n = ${f.n}, d0 = ${f.d0}` : `${f.data}, ${f.pcs} PCs removed, n = ${f.n}`;
    for (const p of f.panels) {
      const spec = plots.densityOverlayPlot({
        title: `Fan & Wang Figure ${fig}${fig === '2' ? ' analogue' : ''}: ${panelTitle[p.kernel]} (${what}, widths ${f.widths[0]}), KS = ${p.ks.toFixed(4)}`,
        values: p.eigenvalues,
        density: { x: p.predicted.x, y: p.predicted.density },
        bins: 80,
        names: ['eigenvalues (one network)', 'limit density'],
      });
      files.push([`fan-wang-figure${fig}-${p.kernel}.${format}`, await plots.renderPlot(spec, format)]);
    }
    printed.push(repro.formatFanWang(f));
  }
  progress.end();
  const paths = await writeAll(o.outDir ?? '.', files);
  if (o.json) process.stdout.write(JSON.stringify({ command, ks: out.map((f) => (f as { panels: { kernel: string; ks: number }[] }).panels.map((p) => ({ kernel: p.kernel, ks: p.ks }))), files: paths }) + '\n');
  else process.stdout.write([command, '', printed.join('\n\n'), '', `files: ${paths.join(', ')}`].join('\n') + '\n');
  return { command, figures: out, files: paths };
}

/** Options of `wide reproduce gu-spectra`. */
export interface GuCliOptions extends CommonOptions {
  gmmN?: number;
  mnistN?: number;
  draws?: number;
  seed?: number;
  outDir?: string;
}

/** `wide reproduce gu-spectra`. */
export function guSpectraCommand(): Command {
  return new WideCommand('gu-spectra')
    .summary('Gu et al. 2022: CK vs its equivalent K̃ (Figure 2), coefficients (Tables 1–2)')
    .description('Tables 1–2: (α₁, α₂, α₃, τ) at layer 3 for the ten activations, beside the printed values. Figure 2: eigenvalues and top eigenvectors of the averaged CK K_CK of random networks against K̃_CK of Theorem 1, on two-class GMM data (ReLU ×3, Gaussian W) and MNIST 6 vs 8 ([0.2t² + t, ReLU, ReLU], Bernoulli W). Writes gu-tables.json, gu-figure2.json and gu-figure2-{gmm,mnist}-{eigenvalues,eigenvectors}.<format> into --out-dir.')
    .addOption(intOpt('--gmm-n <n>', 'GMM samples (p = 4n, widths 2n, 2n, n; the paper: n = 2000); 0 skips the panel', 500, 0, 10000))
    .addOption(intOpt('--mnist-n <n>', 'MNIST 6-vs-8 samples (widths 2n, 2n, n; the paper: 3200); 0 skips the panel', 600, 0, 10000))
    .addOption(intOpt('--draws <k>', 'networks averaged into K_CK (the paper: 1000)', 10, 1, 10000))
    .addOption(intOpt('--seed <s>', 'seed of data and weights', 1, 0))
    .option('--out-dir <DIR>', 'folder for the JSON and figure files', '.')
    .addOption(plotFormatOpt())
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .action(async (o: GuCliOptions) => {
      await runGuCli(o);
    });
}

/** Runs `wide reproduce gu-spectra`. */
export async function runGuCli(o: GuCliOptions = {}): Promise<{ command: string; files: string[] }> {
  const format = o.plotFormat ?? 'svg';
  const [repro, plots] = await Promise.all([import('@wide/reproductions'), import('../plots/index.js')]);
  await plots.checkPlotFormat(format);
  const progress = makeProgress({ quiet: o.quiet });
  const command = `wide reproduce gu-spectra --gmm-n ${o.gmmN ?? 500} --mnist-n ${o.mnistN ?? 600} --draws ${o.draws ?? 10} --seed ${o.seed ?? 1}`;
  const tables = repro.runGuTables();
  const fig = repro.runGuFigure2({ gmmN: o.gmmN, mnistN: o.mnistN, draws: o.draws, seed: o.seed, progress });
  const files: [string, string | Uint8Array][] = [['gu-tables.json', JSON.stringify({ paper: 'Gu et al. 2022, Tables 1–2', command, ...tables }, null, 2) + '\n']];
  const figJson = {
    paper: 'Gu et al. 2022, Figure 2',
    command,
    seconds: fig.seconds,
    panels: fig.panels.map((p) => ({ ...p, eigenvalues: { k: Array.from(p.eigenvalues.k), kTilde: Array.from(p.eigenvalues.kTilde) }, vectors: { k: p.vectors.k.map((v) => Array.from(v)), kTilde: p.vectors.kTilde.map((v) => Array.from(v)) } })),
  };
  files.push(['gu-figure2.json', JSON.stringify(figJson) + '\n']);
  for (const p of fig.panels) {
    const what = p.data === 'gmm' ? `two-class GMM, n = ${p.n}, p = ${p.p}` : `MNIST 6 vs 8, n = ${p.n}`;
    const { kernelDensity, linearGrid } = await import('@wide/rmt');
    const hi = p.eigenvalues.k[p.eigenvalues.k.length - 1]!;
    const grid = linearGrid(0, hi * 1.05, 400);
    // K̃'s eigenvalues drawn as a kernel density estimate over K's histogram.
    const kde = kernelDensity(p.eigenvalues.kTilde, grid);
    const eig = plots.densityOverlayPlot({ title: `Gu et al. Figure 2 (${what}): eigenvalues of K_CK (${p.draws} networks) and K̃_CK, ‖K − K̃‖/‖K‖ = ${p.relativeError.toFixed(3)}`, values: p.eigenvalues.k, density: { x: grid, y: kde.density }, bins: 60, names: ['K_CK', 'K̃_CK (KDE)'] });
    const index = Array.from({ length: p.n }, (_, i) => i + 1);
    const vec = plots.curvesPlot({
      title: `Gu et al. Figure 2 (${what}): top eigenvectors of K_CK and K̃_CK, |⟨v₁, ṽ₁⟩| = ${p.alignment[0]!.toFixed(3)}`,
      xTitle: 'sample (class 1, then class 2)',
      yTitle: 'eigenvector entry',
      series: [
        { name: 'K_CK v₁', x: index, y: p.vectors.k[0]! },
        { name: 'K̃_CK ṽ₁', x: index, y: p.vectors.kTilde[0]! },
        { name: 'K_CK v₂', x: index, y: p.vectors.k[1]! },
        { name: 'K̃_CK ṽ₂', x: index, y: p.vectors.kTilde[1]! },
      ],
    });
    files.push([`gu-figure2-${p.data}-eigenvalues.${format}`, await plots.renderPlot(eig, format)], [`gu-figure2-${p.data}-eigenvectors.${format}`, await plots.renderPlot(vec, format)]);
  }
  progress.end();
  const paths = await writeAll(o.outDir ?? '.', files);
  const text = repro.formatGu(tables, fig);
  if (o.json) process.stdout.write(JSON.stringify({ command, tables, figure2: fig.panels.map((p) => ({ data: p.data, relativeError: p.relativeError, ks: p.ks, alignment: p.alignment })), files: paths }) + '\n');
  else process.stdout.write([command, '', text, '', `files: ${paths.join(', ')}`].join('\n') + '\n');
  return { command, files: paths };
}
