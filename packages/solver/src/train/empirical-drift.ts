/**
 * How far the empirical NTK of a finite network moves during training,
 *   ‖Θ̂_T − Θ̂_0‖_F / ‖Θ̂_0‖_F.
 * Under the NTK parameterisation each parameter moves by O(1/√width) while the outputs move by
 * O(1), so the change vanishes as the width grows, which is why the infinitely wide network trains
 * as its linearisation. Lee et al. 2019 bound it by O(1/√width); for smooth activations
 * it is O(1/width): Θ̂_t = Θ + n⁻¹·O⁽¹⁾_t + O(n⁻²) (Dyer & Gur-Ari 2020; thesis eqs. 2.31–2.33,
 * 2.38). Measured on a one-hidden-layer network (n = 12 points, 300 steps of η = 0.5): log–log
 * slope −0.98 for erf (widths 64–16,384) and −0.69 for ReLU (widths 32–32,768; presumably the
 * units that cross the kink add a slower part), see test/train-drift.test.ts.
 * @module
 */
import { type EmpiricalOptions, type Layer, Rng, type Tensor, empiricalKernels } from '@wide/core';
import { InvalidOptionError } from '../errors.js';
import { type Labels, type TrainOptions, trainNetwork } from './gradient-descent.js';

/** The empirical NTK before and after training and the relative change. */
export interface NtkDrift {
  /** Θ̂_0 on (x1, x2), n1×n2 row-major. */
  readonly ntk0: Float64Array;
  /** Θ̂_T on (x1, x2). */
  readonly ntkT: Float64Array;
  readonly n1: number;
  readonly n2: number;
  /** ‖Θ̂_T − Θ̂_0‖_F / ‖Θ̂_0‖_F. */
  readonly relativeChange: number;
}

/** ‖a − b‖_F / ‖b‖_F. */
export function relativeFrobenius(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/**
 * The empirical NTKs (core's `empiricalKernels`, output unit 0 unless `options.ntkOutputs` says)
 * of the same network at parameters `params0` and `paramsT`, and their relative Frobenius distance.
 */
export function ntkDrift(layer: Layer<any, any>, params0: unknown, paramsT: unknown, x1: Tensor, x2: Tensor | null = null, options: EmpiricalOptions = {}): NtkDrift {
  const o = { ...options, get: ['ntk'] as const };
  const k0 = empiricalKernels(layer, params0, x1, x2, o);
  const kT = empiricalKernels(layer, paramsT, x1, x2, o);
  return { ntk0: k0.ntk!, ntkT: kT.ntk!, n1: k0.n1, n2: k0.n2, relativeChange: relativeFrobenius(kT.ntk!, k0.ntk!) };
}

/** Options of {@link ntkDriftByWidth}: the training options, and how many networks per width. */
export interface DriftByWidthOptions extends Omit<TrainOptions, 'inPlace' | 'xTest'> {
  /** Independently initialised networks per width (default 4). */
  readonly networks?: number;
  /** Seed of the initialisations (default 0); network j of width w uses Rng(seed).fork(w).fork(j). */
  readonly initSeed?: number;
}

/** The kernel drift of the networks of one width. */
export interface WidthDrift {
  readonly width: number;
  /** ‖Θ̂_T − Θ̂_0‖_F / ‖Θ̂_0‖_F of each network. */
  readonly drifts: number[];
  /** Their mean. */
  readonly mean: number;
  /** The final train loss of each network. */
  readonly trainLoss: number[];
}

/**
 * Trains `networks` networks of each width (built by `build(width)`) on (xTrain, yTrain) and
 * measures how far their empirical NTK on xTrain moved. `slope` is the least-squares slope of
 * log(mean drift) against log(width), about −½ in the NTK regime.
 */
export function ntkDriftByWidth(
  build: (width: number) => Layer<any, any>,
  widths: readonly number[],
  xTrain: Tensor,
  yTrain: Labels,
  options: DriftByWidthOptions,
): { rows: WidthDrift[]; slope: number } {
  const networks = options.networks ?? 4;
  if (!(Number.isInteger(networks) && networks >= 1)) throw new InvalidOptionError('networks', `expected an integer ≥ 1, got ${networks}`);
  if (widths.length === 0) throw new InvalidOptionError('widths', 'expected at least one width');
  const root = new Rng(options.initSeed ?? 0);
  const rows = widths.map((width) => {
    if (!(Number.isInteger(width) && width >= 1)) throw new InvalidOptionError('widths', `expected integers ≥ 1, got ${width}`);
    const layer = build(width);
    const drifts: number[] = [];
    const trainLoss: number[] = [];
    for (let j = 0; j < networks; j++) {
      const { params } = layer.init(root.fork(width).fork(j), xTrain.shape.slice(1), {});
      const run = trainNetwork(layer, params, xTrain, yTrain, options);
      drifts.push(ntkDrift(layer, params, run.params, xTrain).relativeChange);
      trainLoss.push(run.final.trainLoss);
    }
    return { width, drifts, mean: drifts.reduce((a, b) => a + b, 0) / networks, trainLoss };
  });
  return { rows, slope: logLogSlope(rows.map((r) => r.width), rows.map((r) => r.mean)) };
}

/** Least-squares slope of log y against log x (NaN for fewer than two distinct x). */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  lx.forEach((v, i) => {
    sxy += (v - mx) * (ly[i]! - my);
    sxx += (v - mx) ** 2;
  });
  return sxx > 0 ? sxy / sxx : NaN;
}
