/**
 * `wide train` (issue 9): finite networks of the architecture, at several widths, trained by
 * full-batch gradient descent (`@wide/solver` `trainNetwork`, the layers' backward rules) on the
 * same loss and learning rate as the kernel dynamics, so that step s is the time t = η·s of the
 * NTK prediction. Written side by side at the recorded steps: the NTK prediction (the mean over
 * initialisations, f₀ = 0), each network's outputs and losses, and each network's own NTK
 * prediction from its initial outputs f₀ (its linearisation, which it follows ever more closely
 * as the width grows). Optionally the figure of losses and accuracies against t.
 * @module
 */
import { Rng, type Tensor } from '@wide/core';
import { writeFilesAtomic } from '@wide/data';
import { type ValidArchitectureSpec, fromArchitecture, validateArchitecture } from '@wide/layers';
import { type Command, Option } from 'commander';
import { type CommonOptions, choiceOpt, intOpt, jsonOpt, numberOpt, quietOpt } from '../args.js';
import { UsageError, WideCommand } from '../command.js';
import type { PlotFormat } from '../plots/render.js';
import { makeProgress } from '../progress.js';
import { inCliTerms, kernelBlocks, loadLabels, loadTrainTest, nested, readArchitectureJson } from './predict.js';

/** Options of `wide train` (as parsed by {@link trainCommand}). */
export interface TrainCommandOptions extends Omit<CommonOptions, 'plotFormat'> {
  arch: string;
  xTrain: string;
  yTrain: string;
  xTest: string;
  yTest?: string;
  /** Hidden widths of the finite networks (every trainable layer but the readout). */
  widths: number[];
  /** Learning rate η (default half the largest stable one of the NTK, η_max = 2·n·k/λ_max). */
  lr?: number;
  /** Steps at which outputs are recorded; training runs to the last. Default 0, 10, 100. */
  steps?: number[];
  loss?: 'mse' | 'xent';
  /** Seed of the initialisations: the network of width w is drawn from Rng(seed).fork(w). Default 0. */
  seed?: number;
  out: string;
  /** The figure (.svg, .png or .json for the vega-lite spec). */
  plot?: string;
}

/** Parses a comma-separated list of integers ≥ min for `flag`. */
export function parseIntegers(text: string, flag: string, min: number): number[] {
  return text.split(',').map((s) => {
    const v = Number(s.trim());
    if (s.trim() === '' || !Number.isSafeInteger(v) || v < min) throw new UsageError(`${flag}: expected comma-separated integers ≥ ${min}, got "${s.trim()}"`);
    return v;
  });
}

/** The `wide train` command: its options, help and action. */
export function trainCommand(): Command {
  return new WideCommand('train')
    .summary('finite networks of several widths trained by gradient descent, next to the NTK prediction')
    .description(
      'Trains finite networks of the architecture, with every trainable layer but the readout set to each width of --widths, by full-batch gradient descent on ½·mean((f − y)²) (or softmax cross-entropy) with learning rate η, and writes at each step of --steps (t = η·step) their losses and outputs next to the NTK prediction at the same t: the mean over initialisations (discrete gradient descent with the same η; for xent, gradient flow) and each network\'s own NTK prediction from its initial outputs f₀.',
    )
    .requiredOption('--arch <ARCH.json>', 'architecture JSON (conventions §2); its readout width must be the number of label columns')
    .requiredOption('--x-train <X.npy>', 'training inputs, shape (n, d) or (n, …, C)')
    .requiredOption('--y-train <Y.npy>', 'training labels, shape (n, k) or (n,)')
    .requiredOption('--x-test <T.npy>', 'test inputs, the per-sample shape of --x-train')
    .option('--y-test <Y.npy>', 'test labels, shape (m, k): adds test losses (and accuracies when k ≥ 2)')
    .addOption(new Option('--widths <w1,w2>', 'hidden widths of the finite networks, comma-separated').argParser((v: string) => parseIntegers(v, '--widths', 1)).makeOptionMandatory())
    .addOption(numberOpt('--lr <η>', 'learning rate η > 0 (default: half the largest stable one, 2·n·k/λ_max of the NTK)', undefined, 0))
    .addOption(new Option('--steps <s1,s2>', 'steps at which outputs are recorded, comma-separated; training runs to the last').argParser((v: string) => parseIntegers(v, '--steps', 0)).default([0, 10, 100], '0,10,100'))
    .addOption(choiceOpt('--loss <loss>', 'mse or xent (softmax cross-entropy; labels are class probabilities)', ['mse', 'xent'], 'mse'))
    .addOption(intOpt('--seed <S>', 'seed of the initialisations (width w: Rng(S).fork(w))', 0, 0))
    .requiredOption('--out <OUT.json>', 'the JSON file written')
    .option('--plot <P.svg>', 'also the figure of losses and accuracies against t: .svg, .png or .json (the vega-lite spec)')
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .addHelpText('after', '\nExit code 0 on success, 2 on a usage error, 1 otherwise (one line on stderr, no output file).')
    .action(async (options: TrainCommandOptions) => {
      await runTrain(options);
    });
}

/**
 * The architecture with every dense width and conv channel count set to `width`, except those of
 * its last trainable layer in depth-first order (the readout, whose width is the number of outputs).
 */
export function withHiddenWidth(spec: ValidArchitectureSpec, width: number): ValidArchitectureSpec {
  const copy = structuredClone(spec) as unknown as { layers: unknown[] };
  const trainable: Record<string, unknown>[] = [];
  const walk = (layers: unknown[]) => {
    for (const l of layers as Record<string, unknown>[]) {
      if (l['type'] === 'dense' || l['type'] === 'conv') trainable.push(l);
      if (Array.isArray(l['layers'])) walk(l['layers']);
      if (Array.isArray(l['branches'])) for (const b of l['branches'] as unknown[][]) walk(b);
    }
  };
  walk(copy.layers);
  if (trainable.length < 2) throw new UsageError('--widths: the architecture has no trainable layer before its readout, so there is no hidden width to set');
  for (const l of trainable.slice(0, -1)) l[l['type'] === 'dense' ? 'width' : 'channels'] = width;
  return copy as unknown as ValidArchitectureSpec;
}

/** Fraction of rows whose arg-max output is the arg-max of the label row. */
export function argmaxAccuracy(f: Float64Array, y: Float64Array, rows: number, k: number): number {
  const argmax = (a: Float64Array, i: number) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (a[i * k + c]! > a[i * k + best]!) best = c;
    return best;
  };
  let hits = 0;
  for (let i = 0; i < rows; i++) if (argmax(f, i) === argmax(y, i)) hits++;
  return hits / rows;
}

/** Outputs of one model at the recorded steps, with their losses and accuracies. */
export interface ModelCurves {
  train: Float64Array[];
  test: Float64Array[];
  trainLoss: number[];
  testLoss: number[] | null;
  trainAccuracy: number[] | null;
  testAccuracy: number[] | null;
}

/** Result of {@link runTrain} (also written to `--out`, nested). */
export interface TrainCommandResult {
  steps: number[];
  t: number[];
  learningRate: number;
  ntk: ModelCurves;
  networks: { width: number; trained: ModelCurves; ntkFromF0: ModelCurves }[];
}

/** Runs `wide train`: writes `--out` (and `--plot`), prints a table (or one JSON object with `json`). */
export async function runTrain(o: TrainCommandOptions): Promise<TrainCommandResult> {
  const steps = o.steps ?? [0, 10, 100];
  const loss = o.loss ?? 'mse';
  if (o.lr !== undefined && !(o.lr > 0)) throw new UsageError(`--lr: expected a number > 0, got "${o.lr}"`);
  if (steps.length === 0) throw new UsageError('--steps: expected at least one step');
  const plotFormat = o.plot === undefined ? null : plotFormatOf(o.plot);
  const [solver, plots] = await Promise.all([import('@wide/solver'), import('../plots/index.js')]);
  if (plotFormat) await plots.checkPlotFormat(plotFormat);
  const progress = makeProgress({ quiet: o.quiet });

  let tick = progress.stage('reading the architecture and data');
  const spec = validateArchitecture(readArchitectureJson(o.arch));
  const widthSpecs = o.widths.map((w) => withHiddenWidth(spec, w));
  const { xTrain, xTest, n, m, y, k } = loadTrainTest(o);
  const yTest = o.yTest !== undefined ? loadLabels(o.yTest, '--y-test', m, '--x-test') : null;
  if (yTest && yTest.k !== k) throw new UsageError(`--y-test has ${yTest.k} columns but --y-train ${k}`);
  tick(1);

  const ntk = kernelBlocks(fromArchitecture(spec), xTrain, xTest, ['ntk'], false, progress).ntk!;
  const eta = o.lr ?? 0.5 * inCliTerms(() => solver.maxLearningRate(ntk.train, n * k));
  const lossFn = loss === 'mse' ? solver.mse : solver.softmaxCrossEntropy;
  // The kernel dynamics on the step axis: discrete gradient descent with the network's η (MSE), gradient flow (xent).
  const dynamics = inCliTerms(() =>
    loss === 'mse' ? solver.gradientDescentMse(ntk.train, y.data, { learningRate: eta, discrete: true }) : solver.gradientDescent(lossFn, ntk.train, y.data, { learningRate: eta }),
  );
  const curves = (train: Float64Array[], test: Float64Array[], trainLoss: number[]): ModelCurves => ({
    train,
    test,
    trainLoss,
    testLoss: yTest ? test.map((f) => lossFn.value(f, yTest.data, m, k)) : null,
    trainAccuracy: k >= 2 ? train.map((f) => argmaxAccuracy(f, y.data, n, k)) : null,
    testAccuracy: yTest && k >= 2 ? test.map((f) => argmaxAccuracy(f, yTest.data, m, k)) : null,
  });
  const kernelCurves = (start: { fxTrain0: Float64Array; fxTest0: Float64Array } | null): ModelCurves => {
    const r = inCliTerms(() => dynamics.predict(steps, { kTestTrain: ntk.testTrain, ...(start ?? {}) }));
    return curves(r.map((p) => p.train as Float64Array), r.map((p) => p.test as Float64Array), r.map((p) => p.trainLoss));
  };
  tick = progress.stage(`NTK prediction at ${steps.length} steps (η = ${eta.toPrecision(4)})`);
  const result: TrainCommandResult = { steps, t: steps.map((s) => s * eta), learningRate: eta, ntk: kernelCurves(null), networks: [] };
  tick(1);

  const last = Math.max(...steps);
  const recordSteps = [...new Set([0, ...steps])].sort((a, b) => a - b);
  o.widths.forEach((width, i) => {
    const net = fromArchitecture(widthSpecs[i]);
    const { params } = net.init(new Rng(o.seed ?? 0).fork(width), xTrain.shape.slice(1), {});
    const step = progress.stage(`training width ${width} (${last} steps of η = ${eta.toPrecision(4)}, ${n} points)`, 'steps');
    const run = solver.trainNetwork(net, params, xTrain as Tensor, y.data, { learningRate: eta, record: recordSteps.map((s) => s * eta), xTest, loss, onStep: (s) => step(s + 1, last) });
    const at = (s: number) => run.records[recordSteps.indexOf(s)]!;
    const f0 = at(0);
    result.networks.push({
      width,
      trained: curves(steps.map((s) => at(s).train), steps.map((s) => at(s).test!), steps.map((s) => at(s).trainLoss)),
      ntkFromF0: kernelCurves({ fxTrain0: f0.train, fxTest0: f0.test! }),
    });
  });
  progress.end();

  const modelJson = (c: ModelCurves) => ({
    train_loss: c.trainLoss,
    ...(c.testLoss ? { test_loss: c.testLoss } : {}),
    ...(c.trainAccuracy ? { train_accuracy: c.trainAccuracy } : {}),
    ...(c.testAccuracy ? { test_accuracy: c.testAccuracy } : {}),
    train: c.train.map((f) => nested(f, n, k)),
    test: c.test.map((f) => nested(f, m, k)),
  });
  const json = {
    steps,
    t: result.t,
    learning_rate: eta,
    loss,
    seed: o.seed ?? 0,
    ntk: modelJson(result.ntk),
    networks: result.networks.map((w) => ({ width: w.width, ...modelJson(w.trained), ntk_from_f0: modelJson(w.ntkFromF0) })),
  };
  const files: [string, string | Uint8Array][] = [[o.out, JSON.stringify(json) + '\n']];
  if (o.plot !== undefined) {
    const values = (c: ModelCurves) => ({ trainLoss: c.trainLoss, ...(c.testLoss ? { testLoss: c.testLoss } : {}), ...(c.trainAccuracy ? { trainAccuracy: c.trainAccuracy } : {}), ...(c.testAccuracy ? { testAccuracy: c.testAccuracy } : {}) });
    const series = [{ name: 'NTK (mean over initialisations)', t: result.t, values: values(result.ntk) }];
    for (const w of result.networks) series.push({ name: `width ${w.width}`, t: result.t, values: values(w.trained) }, { name: `width ${w.width}`, t: result.t, values: values(w.ntkFromF0), dashed: true } as (typeof series)[number]);
    const spec = plots.trainingDynamicsPlot({ title: `Gradient descent (${loss}, η = ${eta.toPrecision(4)}, ${n} training points): NTK prediction and finite networks`, series });
    files.push([o.plot, await plots.renderPlot(spec, plotFormat!)]);
  }
  writeFilesAtomic(files);
  printSummary(o, result, json.loss);
  return result;
}

/** The figure format from the file name's extension. */
function plotFormatOf(path: string): PlotFormat {
  const ext = /\.(svg|png|json)$/i.exec(path)?.[1]?.toLowerCase();
  if (!ext) throw new UsageError(`--plot: expected a file name ending in .svg, .png or .json, got "${path}"`);
  return ext as PlotFormat;
}

function printSummary(o: TrainCommandOptions, r: TrainCommandResult, loss: string): void {
  const models: [string, ModelCurves][] = [['NTK', r.ntk], ...r.networks.map((w): [string, ModelCurves] => [`width ${w.width}`, w.trained])];
  if (o.json) {
    const metrics = (c: ModelCurves) => ({ train_loss: c.trainLoss, test_loss: c.testLoss, train_accuracy: c.trainAccuracy, test_accuracy: c.testAccuracy });
    process.stdout.write(JSON.stringify({ out: o.out, plot: o.plot ?? null, steps: r.steps, t: r.t, learning_rate: r.learningRate, ntk: metrics(r.ntk), networks: r.networks.map((w) => ({ width: w.width, ...metrics(w.trained), ntk_from_f0: metrics(w.ntkFromF0) })) }) + '\n');
    return;
  }
  const withTest = r.ntk.testAccuracy !== null;
  const head = models.map(([name]) => `${name} train loss${withTest ? ` | ${name} test acc.` : ''}`);
  const lines = [`wide train: ${loss}, η = ${r.learningRate.toPrecision(4)} (t = η·step)`, '', `| step | t | ${head.join(' | ')} |`, `|${'---|'.repeat(2 + head.length * (withTest ? 2 : 1))}`];
  r.steps.forEach((s, i) => {
    const cells = models.flatMap(([, c]) => [c.trainLoss[i]!.toExponential(3), ...(withTest ? [`${(100 * c.testAccuracy![i]!).toFixed(1)} %`] : [])]);
    lines.push(`| ${s} | ${r.t[i]!.toPrecision(4)} | ${cells.join(' | ')} |`);
  });
  lines.push('', `written: ${o.out}${o.plot ? `, ${o.plot}` : ''}`);
  process.stdout.write(lines.join('\n') + '\n');
}
