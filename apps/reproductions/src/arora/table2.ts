/**
 * The Table 2 analogue of Arora et al. 2019 (their lines 404–417): on a 2-class task, test
 * accuracy of ridge-less regression with the exact CNTK (V and GAP) against the "random
 * feature" kernels of finite CNNs of the same architecture — the empirical NTK
 * ⟨∂f(x)/∂θ, ∂f(x′)/∂θ⟩ of a randomly initialised network (core `monteCarloKernel`, `samples`
 * networks averaged; the paper uses one network of 128 channels per trial and reports the
 * median of 10 trials). Several channel counts show the Monte-Carlo kernel approaching the exact
 * one; its relative Frobenius distance to the exact train kernel is reported too. Images are
 * block-averaged (default 7×7) so that finite CNNs stay cheap on a CPU.
 * @module
 */
import { type Backend, monteCarloKernel } from '@wide/core';
import { fromArchitecture } from '@wide/layers';
import { type AroraDataset, loadAroraData } from './data.js';
import { type Table1Options, sweepAccuracies } from './table1.js';
import { depthSweep } from './depth-sweep.js';
import { type AroraVariant, aroraArchitecture } from './preset.js';
import { type ProgressReporter, secondsSince, silentProgress } from './progress.js';
import { ridgelessAccuracy } from './regression.js';

/**
 * Default sizes of {@link runTable2}: a run of a few minutes on 2 cores. The default classes are a
 * pair hard enough at 7×7 for the kernels to differ (T-shirt/top vs Shirt, 4 vs 9); the paper's
 * first two classes (0 vs 1) give 100 % to every kernel here.
 */
export const table2Defaults = {
  dataset: 'fashion-mnist',
  classes: { 'fashion-mnist': [0, 6], mnist: [4, 9] },
  train: 40,
  test: 40,
  size: 7,
  depths: [3, 6],
  channels: [8, 32],
  trials: 3,
  samples: 1,
} as const;

/** Options of {@link runTable2}. */
export interface Table2Options {
  /** `fashion-mnist` (default) or `mnist`. */
  dataset?: AroraDataset;
  /** The two classes (default 0 vs 6 on Fashion-MNIST, 4 vs 9 on MNIST: see {@link table2Defaults}). */
  classes?: readonly [number, number];
  /** Training and test images of those classes (default 40 and 40). */
  train?: number;
  test?: number;
  /** Image side after block averaging: 7 (default), 14 or 28. */
  size?: number;
  /** The paper's depths (default 3, 6). */
  depths?: readonly number[];
  /** Channel counts of the finite CNNs (default 8, 32). */
  channels?: readonly number[];
  /** Random networks per channel count; the median accuracy is reported (default 3; the paper: 10). */
  trials?: number;
  /** Networks averaged into one Monte-Carlo kernel (default 1: the paper's random-feature kernel of one network). */
  samples?: number;
  /** CNTK-V and/or CNTK-GAP (default both). */
  variants?: readonly AroraVariant[];
  /** Memory limit in bytes for the exact kernels (default core's). */
  maxMemory?: number;
  /** Backend (default core's CPU backend). */
  backend?: Backend;
  /** Progress reporter (default silent). */
  progress?: ProgressReporter;
}

/** The finite-network results at one channel count. */
export interface Table2MonteCarlo {
  readonly channels: number;
  /** Median test accuracy over the trials. */
  readonly median: number;
  /** Test accuracy of each trial (seed = trial index). */
  readonly accuracies: number[];
  /** Median over trials of ‖K_mc − K‖_F / ‖K‖_F on the train kernel. */
  readonly kernelError: number;
}

/** One row: a variant at a depth. */
export interface Table2Row {
  readonly variant: AroraVariant;
  readonly depth: number;
  /** Test accuracy of the exact CNTK. */
  readonly exact: number;
  readonly monteCarlo: Table2MonteCarlo[];
}

/** The Table 2 analogue. */
export interface Table2Result {
  readonly dataset: AroraDataset;
  readonly classes: [number, number];
  readonly classNames: [string, string];
  readonly train: number;
  readonly test: number;
  /** Side of the (block-averaged) images. */
  readonly size: number;
  readonly trials: number;
  readonly samples: number;
  readonly rows: Table2Row[];
  /** Wall time, seconds. */
  readonly seconds: number;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function relativeFrobenius(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Runs the Table 2 analogue (see the module comment). */
export function runTable2(options: Table2Options = {}): Table2Result {
  const def = table2Defaults;
  const dataset = options.dataset ?? def.dataset;
  const classes = options.classes ?? def.classes[dataset];
  const size = options.size ?? def.size;
  const depths = [...(options.depths ?? def.depths)];
  const channelCounts = [...(options.channels ?? def.channels)];
  const trials = options.trials ?? def.trials;
  const samples = options.samples ?? def.samples;
  const train = options.train ?? def.train;
  const test = options.test ?? def.test;
  const variants = options.variants ?? ['vanilla', 'gap'];
  const progress = options.progress ?? silentProgress;
  const t0 = performance.now();

  let tick = progress.stage(`loading ${dataset} classes ${classes.join(' vs ')} (${train} train, ${test} test, ${size}×${size})`);
  const data = loadAroraData({ dataset, train, test, classes, size });
  tick(1);
  const image = { imageShape: data.train.shape.slice(1, -1), inputChannels: data.train.shape[3]! };
  const rows: Table2Row[] = [];
  const common: Pick<Table1Options, 'maxMemory' | 'backend'> = { maxMemory: options.maxMemory, backend: options.backend };
  for (const variant of variants) {
    const preset = (depth: number, channels?: number) => aroraArchitecture({ ...image, depth, variant, ...(channels ? { channels } : {}) });
    const timings = new Float64Array(depths.length);
    const exact = sweepAccuracies(depthSweep(preset, depths, { timings }), timings, data, depths, { ...common, label: `exact CNTK-${variant === 'gap' ? 'GAP' : 'V'}`, progress, keepTrainKernels: true });
    depths.forEach((depth, t) => {
      const kExact = exact.trainKernels![t]!;
      const monteCarlo = channelCounts.map((channels) => {
        tick = progress.stage(`Monte-Carlo CNTK-${variant === 'gap' ? 'GAP' : 'V'} depth ${depth}, ${channels} channels, ${trials} trials`, 'trials');
        const net = fromArchitecture(preset(depth, channels));
        const accuracies: number[] = [];
        const errors: number[] = [];
        for (let trial = 0; trial < trials; trial++) {
          // The same seed gives the same networks for both calls: K(train, train) and K(test, train) of one random network.
          const mc = { width: channels, samples, seed: trial, get: ['ntk'] as const, ...(common.backend ? { backend: common.backend } : {}) };
          const kTrain = monteCarloKernel(net, data.train, null, mc).ntk!;
          const kTest = monteCarloKernel(net, data.test, data.train, mc).ntk!;
          accuracies.push(ridgelessAccuracy(kTrain, kTest, data.targets, data.classes, data.testLabels).accuracy);
          errors.push(relativeFrobenius(kTrain, kExact));
          tick(trial + 1, trials);
        }
        return { channels, median: median(accuracies), accuracies, kernelError: median(errors) };
      });
      rows.push({ variant, depth, exact: exact.accuracy[t]!, monteCarlo });
    });
  }
  progress.end();
  return {
    dataset,
    classes: [classes[0], classes[1]],
    classNames: [data.classNames[0]!, data.classNames[1]!],
    train: data.train.shape[0]!,
    test: data.test.shape[0]!,
    size,
    trials,
    samples,
    rows,
    seconds: secondsSince(t0),
  };
}
