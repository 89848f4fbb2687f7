/**
 * The Table 1 analogue of Arora et al. 2019 (their lines 365–386): test accuracy against depth of
 * ridge-less kernel regression with CNTK-V, CNTK-GAP and, for comparison, the fully-connected
 * NTK of the same depth, on MNIST or Fashion-MNIST (28×28×1) instead of CIFAR-10. Each kernel
 * family computes every depth in one pass (./depth-sweep.ts); its train×train kernel uses the
 * symmetric half (tiled, within the memory limit), then test×train.
 * @module
 */
import { type Backend, type Kernel, type Layer, type Tensor, computeKernelTiled } from '@wide/core';
import { type AroraDataset, flatImages, loadAroraData } from './data.js';
import { depthSweep, kernelAtDepth } from './depth-sweep.js';
import { aroraArchitecture, fcArchitecture } from './preset.js';
import { type ProgressReporter, secondsSince, silentProgress } from './progress.js';
import { ridgelessAccuracy } from './regression.js';

/** Default sizes and depths of {@link runTable1}: small enough for a quick run on 2 cores (a few minutes). */
export const table1Defaults = { dataset: 'fashion-mnist', train: 500, test: 200, depths: [3, 5, 8, 11, 21], gapTrain: 10, gapTest: 10 } as const;

/** The kernel families of the Table 1 analogue. */
export type Table1Kernel = 'CNTK-V' | 'CNTK-GAP' | 'FC-NTK';

/** Options of {@link runTable1}. */
export interface Table1Options {
  /** `fashion-mnist` (default) or `mnist`. */
  dataset?: AroraDataset;
  /** Training images for CNTK-V and the FC NTK (default 500). */
  train?: number;
  /** Test images for CNTK-V and the FC NTK (default 200). */
  test?: number;
  /** The paper's depths (conv layers + 1), increasing (default 3, 5, 8, 11, 21). */
  depths?: readonly number[];
  /** Training images for CNTK-GAP (default 10; 0 skips GAP): GAP costs O(P²) per entry, 784× vanilla's O(P) on 28×28. */
  gapTrain?: number;
  /** Test images for CNTK-GAP (default 10). */
  gapTest?: number;
  /** Memory limit in bytes for the kernel computations (default: core's, half the machine's memory up to 8 GiB). */
  maxMemory?: number;
  /** Backend (default core's CPU backend). */
  backend?: Backend;
  /** Progress reporter (default silent). */
  progress?: ProgressReporter;
}

/** One kernel family at every depth. */
export interface Table1Run {
  readonly kernel: Table1Kernel;
  /** Training and test images used. */
  readonly train: number;
  readonly test: number;
  /** Test accuracy in [0, 1] per depth (the order of `depths`). */
  readonly accuracy: number[];
  /** Relative jitter added to the train kernel's diagonal per depth (0 = none; ./regression.ts). */
  readonly jitter: number[];
  /** Seconds the kernels of each depth would take alone (estimated from the one-pass timings; train×train + test×train). */
  readonly depthSeconds: number[];
  /** Wall time: kernels of all depths in one pass, and all the solves. */
  readonly seconds: { kernels: number; solve: number };
}

/** The Table 1 analogue. */
export interface Table1Result {
  readonly dataset: AroraDataset;
  readonly depths: number[];
  /** CNTK-V and FC-NTK at (train, test); then, when GAP runs, CNTK-GAP and CNTK-V at (gapTrain, gapTest). */
  readonly runs: Table1Run[];
  /** Pixel standardisation of the CNTK-V / FC training set. */
  readonly standardization: { mean: number; std: number };
  /** Wall time of everything, seconds. */
  readonly seconds: number;
}

/** Depths as a range for labels: `3–21`, or `3` for one. */
const depthRange = (depths: readonly number[]) => (depths.length === 1 ? `depth ${depths[0]}` : `depths ${depths[0]}–${depths[depths.length - 1]}`);

/**
 * Kernels of a depth sweep on (train, test), ridge-less regression at every depth. `label` names
 * the family in the progress lines; `keepTrainKernels` also returns the n×n train kernel of
 * each depth.
 */
export function sweepAccuracies(
  net: Layer<null, null>,
  timings: Float64Array,
  data: { train: Tensor; test: Tensor; targets: Float64Array; classes: readonly number[]; testLabels: Int32Array },
  depths: readonly number[],
  o: { label: string; maxMemory?: number; backend?: Backend; progress: ProgressReporter; keepTrainKernels?: boolean },
): { accuracy: number[]; jitter: number[]; depthSeconds: number[]; seconds: { kernels: number; solve: number }; trainKernels?: Float64Array[] } {
  const n = data.train.shape[0]!;
  const m = data.test.shape[0]!;
  const common = { get: ['ntk'] as const, ...(o.maxMemory !== undefined ? { maxMemory: o.maxMemory } : {}), ...(o.backend ? { backend: o.backend } : {}) };
  const t0 = performance.now();
  let tick = o.progress.stage(`${o.label} kernels train×train (${n}×${n}), ${depthRange(depths)}`, 'tiles');
  const kTrain: Kernel = computeKernelTiled(net, data.train, null, { ...common, onProgress: tick });
  tick = o.progress.stage(`${o.label} kernels test×train (${m}×${n}), ${depthRange(depths)}`, 'tiles');
  const kTest: Kernel = computeKernelTiled(net, data.test, data.train, { ...common, onProgress: tick });
  const kernels = secondsSince(t0);
  const t1 = performance.now();
  tick = o.progress.stage(`${o.label} ridge-less regression (n = ${n}), ${depths.length} depth${depths.length === 1 ? '' : 's'}`, 'depths');
  const accuracy: number[] = [];
  const jitter: number[] = [];
  const trainKernels: Float64Array[] = [];
  depths.forEach((_d, t) => {
    const train = kernelAtDepth(kTrain, t);
    if (o.keepTrainKernels) trainKernels.push(train);
    const r = ridgelessAccuracy(train, kernelAtDepth(kTest, t), data.targets, data.classes, data.testLabels);
    accuracy.push(r.accuracy);
    jitter.push(r.jitter);
    tick(t + 1, depths.length);
  });
  const depthSeconds: number[] = [];
  let cumulative = 0;
  for (const ms of timings) depthSeconds.push((cumulative += ms) / 1000);
  return { accuracy, jitter, depthSeconds, seconds: { kernels, solve: secondsSince(t1) }, ...(o.keepTrainKernels ? { trainKernels } : {}) };
}

/** Runs the Table 1 analogue (see the module comment); sizes and depths as in {@link Table1Options}. */
export function runTable1(options: Table1Options = {}): Table1Result {
  const def = table1Defaults;
  const dataset = options.dataset ?? def.dataset;
  const depths = [...(options.depths ?? def.depths)];
  const train = options.train ?? def.train;
  const test = options.test ?? def.test;
  const gapTrain = options.gapTrain ?? def.gapTrain;
  const gapTest = options.gapTest ?? def.gapTest;
  const progress = options.progress ?? silentProgress;
  const run = { maxMemory: options.maxMemory, backend: options.backend, progress };
  const t0 = performance.now();

  let tick = progress.stage(`loading ${dataset} (${train} train, ${test} test)`);
  const data = loadAroraData({ dataset, train, test });
  tick(1);
  const image = { imageShape: data.train.shape.slice(1, -1), inputChannels: data.train.shape[3]! };
  const runs: Table1Run[] = [];
  const family = (kernel: Table1Kernel, net: (timings: Float64Array) => Layer<null, null>, d: typeof data) => {
    const timings = new Float64Array(depths.length);
    const { accuracy, jitter, depthSeconds, seconds } = sweepAccuracies(net(timings), timings, d, depths, { ...run, label: kernel });
    runs.push({ kernel, train: d.train.shape[0]!, test: d.test.shape[0]!, accuracy, jitter, depthSeconds, seconds });
  };

  const vanilla = (timings: Float64Array) => depthSweep((depth) => aroraArchitecture({ ...image, depth, variant: 'vanilla' }), depths, { timings });
  const fc = (d: typeof data) => (timings: Float64Array) => depthSweep((depth) => fcArchitecture({ depth, inputDim: d.train.shape[1]! }), depths, { timings });
  const flat = (d: typeof data) => ({ ...d, train: flatImages(d.train), test: flatImages(d.test) });
  family('CNTK-V', vanilla, data);
  family('FC-NTK', fc(flat(data)), flat(data));
  if (gapTrain > 0 && gapTest > 0) {
    tick = progress.stage(`loading ${dataset} (${gapTrain} train, ${gapTest} test) for CNTK-GAP`);
    const gapData = loadAroraData({ dataset, train: gapTrain, test: gapTest });
    tick(1);
    family('CNTK-GAP', (timings) => depthSweep((depth) => aroraArchitecture({ ...image, depth, variant: 'gap' }), depths, { timings }), gapData);
    // CNTK-V on the same images as GAP (cheap), for the comparison at equal size that the paper's -2K columns make.
    if (gapTrain !== train || gapTest !== test) family('CNTK-V', vanilla, gapData);
  }
  progress.end();
  return { dataset, depths, runs, standardization: data.standardization, seconds: secondsSince(t0) };
}
