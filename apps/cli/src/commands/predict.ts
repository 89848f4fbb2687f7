/**
 * `wide predict` (issue 9): the outputs of the infinitely wide network trained by gradient
 * descent, at chosen times, from an architecture and `.npy` data. The NTK Θ (or the NNGP K) of the
 * architecture on the inputs, then `@wide/solver`: on the MSE loss ½·mean((f − y)²) gradient flow
 * df/dt = −η·Θ·(f − y)/(n·k), or discrete gradient descent with momentum, at every time through
 * one eigendecomposition (t = ∞ is kernel regression); cross-entropy by integrating the same
 * function-space ODE (Dormand–Prince); with `--cov`, the infinite ensemble's test covariance
 * (Lee et al. 2019, eqs. 14–16). Written as one JSON file, all-or-nothing.
 *
 * The helpers that read architectures, inputs and labels and compute the kernel blocks are shared
 * with `wide train` (./train.ts).
 * @module
 */
import { readFileSync } from 'node:fs';
import { InvalidArchitectureError, type Kernel, type KernelName, type Layer, Rng, ShapeMismatchError, type Tensor, WideError, assertFinite, computeKernelTiled, cpuBackend, positionsOf, singleTensor } from '@wide/core';
import { readNpy, writeFilesAtomic } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { type Command, Option } from 'commander';
import { type CommonOptions, choiceOpt, intOpt, jsonOpt, numberOpt, quietOpt } from '../args.js';
import { UsageError, WideCommand } from '../command.js';
import { type Progress, makeProgress } from '../progress.js';

/** Options of `wide predict` (as parsed by {@link predictCommand}). */
export interface PredictCommandOptions extends Omit<CommonOptions, 'plotFormat'> {
  arch: string;
  xTrain: string;
  yTrain: string;
  xTest: string;
  /** `ntk` (default): every layer trained; `nngp`: only the readout layer (Θ = K). */
  kernel?: 'ntk' | 'nngp';
  /** Times (steps with `discrete`); Infinity for t = ∞. Default 0, 10, 100, 1000, ∞. */
  t?: number[];
  /** Learning rate η > 0 (default 1). */
  lr?: number;
  discrete?: boolean;
  momentum?: number;
  loss?: 'mse' | 'xent';
  /** Ridge λ: λ·mean(diag K) is added to the train kernel (default 0). */
  ridge?: number;
  cov?: boolean;
  withInit?: boolean;
  seed?: number;
  out: string;
}

/** Parses `--t`: comma-separated times ≥ 0, `inf` (or `infinity`, `∞`) for t = ∞. */
export function parseTimes(text: string, flag = '--t'): number[] {
  const times = text.split(',').map((s) => {
    const v = s.trim().toLowerCase();
    const t = v === 'inf' || v === 'infinity' || v === '∞' ? Infinity : v === '' ? NaN : Number(v);
    if (!(t >= 0)) throw new UsageError(`${flag}: expected comma-separated times ≥ 0 (inf for t = ∞), got "${s.trim()}"`);
    return t;
  });
  return times;
}

/** A time as JSON: the number, or the string "inf" for t = ∞ (JSON has no infinity). */
export const timeJson = (t: number): number | 'inf' => (t === Infinity ? 'inf' : t);

/** The `wide predict` command: its options, help and action. */
export function predictCommand(): Command {
  return new WideCommand('predict')
    .summary('outputs of the infinitely wide network trained by gradient descent, at any times')
    .description(
      'Computes the NTK (or NNGP) of the architecture on the inputs and the outputs of the infinitely wide network trained on (--x-train, --y-train) at each time of --t, on the training and test inputs: gradient flow on the MSE loss ½·mean((f − y)²), i.e. df/dt = −η·Θ·(f − y)/(n·k), through one eigendecomposition (t = inf: kernel regression); discrete gradient descent with --discrete (t counts steps); softmax cross-entropy with --loss xent. Writes {"t": […], "mean_train": (times, n, k), "mean_test": (times, m, k), "train_loss": […], "cov_test": (times, m, m) or null} to --out.',
    )
    .requiredOption('--arch <ARCH.json>', 'architecture JSON (conventions §2)')
    .requiredOption('--x-train <X.npy>', 'training inputs, shape (n, d) or (n, …, C)')
    .requiredOption('--y-train <Y.npy>', 'training labels, shape (n, k) or (n,); class probabilities (e.g. one-hot rows) for --loss xent')
    .requiredOption('--x-test <T.npy>', 'test inputs, the per-sample shape of --x-train')
    .addOption(choiceOpt('--kernel <kernel>', 'ntk: every layer trained; nngp: only the readout layer (Θ = the NNGP)', ['ntk', 'nngp'], 'ntk'))
    .addOption(new Option('--t <times>', 'times, comma-separated; inf for t = ∞ (steps with --discrete)').argParser((v: string) => parseTimes(v)).default([0, 10, 100, 1000, Infinity], '0,10,100,1000,inf'))
    .addOption(numberOpt('--lr <η>', 'learning rate η > 0 (gradient flow: time runs as η·t)', 1, 0))
    .option('--discrete', 'discrete gradient descent: --t counts steps of size η, which must be below the stable limit 2(1+μ)·n·k/λ_max')
    .addOption(numberOpt('--momentum <μ>', 'heavy-ball momentum μ ∈ [0, 1) of --discrete (default 0)', undefined, 0))
    .addOption(choiceOpt('--loss <loss>', 'mse (closed form) or xent (softmax cross-entropy, integrated; no t = inf, --discrete or --cov)', ['mse', 'xent'], 'mse'))
    .addOption(numberOpt('--ridge <λ>', 'adds λ·mean(diag K) to the diagonal of the train kernel', 0, 0))
    .option('--cov', 'also cov_test: the covariance over initialisations of the test outputs (m×m per time, the same for every output; needs the NNGP too; gradient flow on MSE)')
    .option('--with-init', 'start from the initial outputs f₀ of one finite network of the architecture at its stated widths, drawn with --seed (default: f₀ = 0, the mean over initialisations)')
    .addOption(intOpt('--seed <S>', 'seed of the network drawn for --with-init (default 0)', undefined, 0))
    .requiredOption('--out <OUT.json>', 'the JSON file written')
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .addHelpText(
      'after',
      '\nmean_* are the mean over initialisations (f₀ = 0; for xent, the network started at zero outputs), or with --with-init the outputs of the linearised network started at that network\'s f₀. t = ∞ is written as "inf". Exit code 0 on success, 2 on a usage error, 1 otherwise (one line on stderr, no output file).',
    )
    .action(async (options: PredictCommandOptions) => {
      await runPredict(options);
    });
}

/** Reads the architecture JSON text of `path` as a value (not yet validated). */
export function readArchitectureJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new WideError('IO', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InvalidArchitectureError('', `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Inputs from a `.npy` file of shape (n, …), checked finite; `flag` names the option in errors. */
export function loadInputs(path: string, flag: string): Tensor {
  const a = readNpy(path, { alloc: cpuBackend.zeros });
  if (a.shape.length < 2 || a.shape[0] === 0) throw new ShapeMismatchError(`${flag} ${path}: expected shape (n, d) or (n, …, C) with n ≥ 1, got [${a.shape.join(', ')}]`);
  assertFinite(a.data, `${flag} ${path}`, a.shape);
  return { data: a.data, shape: a.shape };
}

/** Labels (n, k) or (n,) from a `.npy` file, checked against the n samples of `inputs`. */
export function loadLabels(path: string, flag: string, n: number, inputs: string): { data: Float64Array; k: number } {
  const a = readNpy(path);
  if ((a.shape.length !== 1 && a.shape.length !== 2) || a.shape[0] !== n || a.shape[1] === 0) {
    throw new ShapeMismatchError(`${flag} ${path} has shape [${a.shape.join(', ')}], expected (${n}, k) or (${n},): one row per sample of ${inputs}`);
  }
  assertFinite(a.data, `${flag} ${path}`, a.shape);
  return { data: Float64Array.from(a.data), k: a.shape[1] ?? 1 };
}

/** Checks that test inputs have the per-sample shape of the training inputs. */
export function checkSameSampleShape(train: Tensor, test: Tensor, flags: [string, string]): void {
  const a = train.shape.slice(1);
  const b = test.shape.slice(1);
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
    throw new ShapeMismatchError(`${flags[1]} has samples of shape [${b.join(', ')}] but ${flags[0]} of shape [${a.join(', ')}]`);
  }
}

/** The training and test inputs (same per-sample shape) and the training labels of `--x-train`, `--x-test`, `--y-train`. */
export function loadTrainTest(o: { xTrain: string; xTest: string; yTrain: string }): { xTrain: Tensor; xTest: Tensor; n: number; m: number; y: { data: Float64Array; k: number }; k: number } {
  const xTrain = loadInputs(o.xTrain, '--x-train');
  const xTest = loadInputs(o.xTest, '--x-test');
  checkSameSampleShape(xTrain, xTest, ['--x-train', '--x-test']);
  const n = xTrain.shape[0]!;
  const m = xTest.shape[0]!;
  const y = loadLabels(o.yTrain, '--y-train', n, '--x-train');
  return { xTrain, xTest, n, m, y, k: y.k };
}

/** The kernel blocks of one kind: train n×n, test–train m×n, and test–test m×m when computed. */
export interface Blocks {
  train: Float64Array;
  testTrain: Float64Array;
  testTest?: Float64Array;
}

function flat(k: Kernel): Kernel {
  if (positionsOf(k) !== 1) throw new ShapeMismatchError(`the network output still has spatial shape [${k.spatial.join(', ')}]; end it with flatten (or a pooling layer) before the readout`);
  return k;
}

/** The kernels `get` on (train, train) and (test, train), and the NNGP on (test, test) when `testTest`; progress per tile. */
export function kernelBlocks(net: Layer<any, any>, xTrain: Tensor, xTest: Tensor, get: KernelName[], testTest: boolean, progress: Progress): Partial<Record<KernelName, Blocks>> {
  const n = xTrain.shape[0]!;
  const m = xTest.shape[0]!;
  const names = get.map((g) => g.toUpperCase()).join(' and ');
  const kTrain = flat(computeKernelTiled(net, xTrain, null, { get, onProgress: progress.stage(`${names} train×train (${n}×${n})`, 'tiles') }));
  const kTest = flat(computeKernelTiled(net, xTest, xTrain, { get, onProgress: progress.stage(`${names} test×train (${m}×${n})`, 'tiles') }));
  const out: Partial<Record<KernelName, Blocks>> = {};
  for (const g of get) out[g] = { train: g === 'nngp' ? kTrain.nngp : kTrain.ntk!, testTrain: g === 'nngp' ? kTest.nngp : kTest.ntk! };
  if (testTest) out.nngp!.testTest = flat(computeKernelTiled(net, xTest, null, { get: ['nngp'], onProgress: progress.stage(`NNGP test×test (${m}×${m})`, 'tiles') })).nngp;
  return out;
}

/** The outputs (n, k) of a finite network on x, checked against k. */
export function networkOutputs(net: Layer<any, any>, params: unknown, x: Tensor, k: number, what: string): Float64Array {
  const y = singleTensor(net.forward(params, x).y, 'the network output');
  if (y.shape.length !== 2) throw new ShapeMismatchError(`the network output on ${what} has shape [${y.shape.join(', ')}], expected (samples, outputs): end the network with flatten and a dense readout`);
  if (y.shape[1] !== k) throw new ShapeMismatchError(`the network's readout gives ${y.shape[1]} outputs per sample but the labels have ${k} columns`);
  return Float64Array.from(y.data);
}

/** Rows of a row-major rows×cols block as nested arrays (for JSON). */
export function nested(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => data[i * cols + j]!));
}

/**
 * Runs `f`, rewording the solver's errors in the CLI's terms (its options, not the library's):
 * `diagReg` → `--ridge`, `learningRate … ; lower learningRate or pass allowUnstable: true` → `--lr … ; lower --lr`.
 */
export function inCliTerms<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WideError) {
      e.message = e.message
        .replace(/; lower learningRate or pass allowUnstable: true$/, '; lower --lr')
        .replace(/^learningRate /, '--lr ')
        .replace(/\bdiagReg\b/g, '--ridge');
    }
    throw e;
  }
}

/** The option combinations that cannot work, as usage errors before any work. */
function checkOptions(o: PredictCommandOptions, times: number[], lr: number): void {
  if (!(lr > 0)) throw new UsageError(`--lr: expected a number > 0, got "${lr}"`);
  if (times.length === 0) throw new UsageError('--t: expected at least one time');
  if (o.discrete) {
    const bad = times.find((t) => t !== Infinity && !Number.isInteger(t));
    if (bad !== undefined) throw new UsageError(`--t: --discrete counts steps, expected whole numbers (or inf), got ${bad}`);
  } else if (o.momentum !== undefined) throw new UsageError('--momentum: momentum is an option of --discrete gradient descent');
  if (o.momentum !== undefined && !(o.momentum < 1)) throw new UsageError(`--momentum: expected a number in [0, 1), got ${o.momentum}`);
  if (o.loss === 'xent') {
    if (times.includes(Infinity)) throw new UsageError('--t: t = inf is defined for --loss mse only (cross-entropy outputs grow without bound)');
    if (o.discrete) throw new UsageError('--discrete: cross-entropy is integrated as gradient flow; drop --discrete or use --loss mse');
    if (o.cov) throw new UsageError('--cov: the ensemble covariance is for --loss mse');
  }
  if (o.cov && o.withInit) throw new UsageError('--cov: the covariance over initialisations describes the ensemble; it cannot be combined with --with-init (one network)');
  if (o.cov && o.discrete) throw new UsageError('--cov: the ensemble covariance is computed for gradient flow; drop --discrete');
  if (o.seed !== undefined && !o.withInit) throw new UsageError('--seed: the seed draws the network of --with-init; add --with-init');
}

/** Result of {@link runPredict} (also written to `--out`, nested). */
export interface PredictResult {
  t: number[];
  n: number;
  m: number;
  outputs: number;
  meanTrain: Float64Array[];
  meanTest: Float64Array[];
  trainLoss: number[];
  covTest: Float64Array[] | null;
}

/** Runs `wide predict`: writes `--out` and prints a summary (one JSON object with `json`). */
export async function runPredict(o: PredictCommandOptions): Promise<PredictResult> {
  const times = o.t ?? [0, 10, 100, 1000, Infinity];
  const lr = o.lr ?? 1;
  const kind = o.kernel ?? 'ntk';
  const loss = o.loss ?? 'mse';
  checkOptions(o, times, lr);
  const solver = await import('@wide/solver');
  const progress = makeProgress({ quiet: o.quiet });

  let tick = progress.stage('reading the architecture and data');
  const net = fromArchitecture(readArchitectureJson(o.arch));
  const { xTrain, xTest, n, m, y, k } = loadTrainTest(o);
  tick(1);

  // --cov needs the NNGP blocks (the prior covariance) besides the kernel of the dynamics.
  const get: KernelName[] = o.cov && kind === 'ntk' ? ['nngp', 'ntk'] : [kind];
  const blocks = kernelBlocks(net, xTrain, xTest, get, !!o.cov, progress);
  const dyn = blocks[kind]!;

  let f0: { train: Float64Array; test: Float64Array } | null = null;
  if (o.withInit) {
    tick = progress.stage(`initial outputs f₀ of a finite network (seed ${o.seed ?? 0})`);
    const { params } = net.init(new Rng(o.seed ?? 0), xTrain.shape.slice(1), {});
    f0 = { train: networkOutputs(net, params, xTrain, k, '--x-train'), test: networkOutputs(net, params, xTest, k, '--x-test') };
    tick(1);
  }

  tick = progress.stage(`predictions at ${times.length} time${times.length === 1 ? '' : 's'} (${kind.toUpperCase()}, ${loss})`);
  const onWarning = (w: { message: string }) => process.stderr.write(`wide: warning: ${w.message}\n`);
  const start = f0 ? { fxTrain0: f0.train, fxTest0: f0.test } : {};
  type Outputs = { train: Float64Array; test: Float64Array | null; trainLoss: number }[];
  const r = inCliTerms((): Outputs => {
    if (loss === 'xent') {
      const p = solver.gradientDescent(solver.softmaxCrossEntropy, dyn.train, y.data, { learningRate: lr, diagReg: o.ridge ?? 0 });
      return p.predict(times, { kTestTrain: dyn.testTrain, ...start });
    }
    // The means by the closed form of one network (exactly f₀ at t = 0); with --cov the same as the ensemble's mean.
    const p = solver.gradientDescentMse(dyn.train, y.data, { learningRate: lr, discrete: !!o.discrete, momentum: o.momentum ?? 0, diagReg: o.ridge ?? 0, onWarning });
    return p.predict(times, { kTestTrain: dyn.testTrain, ...start });
  });
  let covTest: Float64Array[] | null = null;
  if (o.cov) {
    const ntk = blocks.ntk ? { train: blocks.ntk.train, testTrain: blocks.ntk.testTrain } : undefined;
    const e = solver.gradientDescentMseEnsemble({ nngp: blocks.nngp!, ...(ntk ? { ntk } : {}) }, y.data, { learningRate: lr, diagReg: o.ridge ?? 0 });
    covTest = inCliTerms(() => e.predict(times, { get: kind, covariance: true }).map((x) => x.covTest!));
  }
  const result: PredictResult = { t: times, n, m, outputs: k, meanTrain: r.map((x) => x.train), meanTest: r.map((x) => x.test!), trainLoss: r.map((x) => x.trainLoss), covTest };
  tick(1);
  progress.end();

  const json = {
    t: times.map(timeJson),
    kernel: kind,
    loss,
    learning_rate: lr,
    discrete: !!o.discrete,
    ...(o.discrete ? { momentum: o.momentum ?? 0 } : {}),
    ridge: o.ridge ?? 0,
    with_init: !!o.withInit,
    ...(o.withInit ? { seed: o.seed ?? 0 } : {}),
    train_loss: result.trainLoss,
    mean_train: result.meanTrain.map((f) => nested(f, n, k)),
    mean_test: result.meanTest.map((f) => nested(f, m, k)),
    cov_test: result.covTest ? result.covTest.map((c) => nested(c, m, m)) : null,
  };
  writeFilesAtomic([[o.out, JSON.stringify(json) + '\n']]);

  if (o.json) {
    process.stdout.write(JSON.stringify({ out: o.out, n, m, outputs: k, kernel: kind, loss, t: json.t, train_loss: result.trainLoss }) + '\n');
  } else {
    const lines = [`wide predict: ${kind.toUpperCase()}, ${loss}, ${n} train / ${m} test points, ${k} output${k === 1 ? '' : 's'}, η = ${lr}${o.discrete ? ' (discrete steps)' : ''}`];
    times.forEach((t, i) => lines.push(`t = ${t === Infinity ? 'inf' : t}: train loss ${result.trainLoss[i]!.toExponential(3)}`));
    lines.push(`written: ${o.out}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return result;
}
