/**
 * Gradient descent on a finite network through its layers' backward rules.
 *
 * One step with learning rate η and heavy-ball momentum μ (Polyak 1964; μ = 0 is plain gradient
 * descent), on the loss L of ./losses.ts over the step's batch B:
 *   v ← μ·v − η·∇_θL,   θ ← θ + v,   ∇_θL = Σ_{i∈B} Σ_c ∂L/∂f_ic · ∂f_ic/∂θ,
 * the sum formed by the backward pass from ∂L/∂f (the records' `gradient()`). Under the NTK
 * parameterisation (the default of every trainable layer) the parameters are O(1) and the step
 * moves the outputs by Δf ≈ −η·Θ̂·∂L/∂f, which for `mse` is −η·Θ̂·(f − y)/(n·k): the same η as the
 * kernel dynamics of `gradientDescentMse` (thesis eqs. 2.1–2.4 and 2.5, the linearisation, with the
 * loss normalised; Lee et al. 2019). Step s is the time
 * t = η·s (./schedule.ts). Full batch by default; a minibatch run draws batches from a seeded
 * shuffle (each epoch a new permutation, its remainder of fewer than `batchSize` points dropped)
 * and normalises the loss over the batch.
 * @module
 */
import { type Layer, Rng, ShapeMismatchError, type Tensor, assertFinite, singleTensor } from '@wide/core';
import { AbstractMatrix } from 'ml-matrix';
import type { Loss } from '../loss.js';
import { type Mat, toFloat64Array } from '../matrix.js';
import { NonFiniteLossError } from './errors.js';
import { type TrainLoss, checkLoss, lossAndGradient } from './losses.js';
import { alignRecords, cloneParams, parameterLeaves } from './params.js';
import { schedule } from './schedule.js';

/** Labels n×k: a Tensor (n, k), a row-major Float64Array of n·k entries, or an ml-matrix Matrix. */
export type Labels = Tensor | Mat;

/** Options of {@link trainNetwork}. */
export interface TrainOptions {
  /** Learning rate η > 0; step s is the time t = η·s. */
  readonly learningRate: number;
  /** Steps to run; or give `time` (t = η·steps); default: the last `record` time. */
  readonly steps?: number;
  /** Length of training as a time t = η·steps (a whole number of steps). */
  readonly time?: number;
  /** Times t = η·step at which to record the outputs and the train loss (default [0, end]). */
  readonly record?: readonly number[];
  /** Test inputs whose outputs are recorded too. */
  readonly xTest?: Tensor;
  /** `mse` (default; ½·mean((f − y)²)), `xent` (softmax cross-entropy), both means over the n·k entries, or a Loss. */
  readonly loss?: TrainLoss;
  /** Samples per step (default n: full batch). */
  readonly batchSize?: number;
  /** Seed of the minibatch shuffle (default 0). */
  readonly seed?: number;
  /** Heavy-ball momentum μ ∈ [0, 1) (default 0). */
  readonly momentum?: number;
  /** Update the given params in place (default false: they are copied first and left as they were). */
  readonly inPlace?: boolean;
  /** Called after each step with the step's (batch) loss before the update. */
  readonly onStep?: (step: number, loss: number) => void;
}

/** The network at one recorded time. */
export interface TrainRecord {
  /** Steps taken. */
  readonly step: number;
  /** The time t = η·step. */
  readonly t: number;
  /** The loss on the whole training set. */
  readonly trainLoss: number;
  /** Train outputs, n×k row-major. */
  readonly train: Float64Array;
  /** Test outputs, m×k row-major (null without `xTest`). */
  readonly test: Float64Array | null;
}

/** The result of {@link trainNetwork}. */
export interface TrainResult<P> {
  /** The trained parameters (the given object when `inPlace`, else a trained copy). */
  readonly params: P;
  /** One record per `record` time, in the order given. */
  readonly records: TrainRecord[];
  /** The network after the last step. */
  readonly final: TrainRecord;
  readonly steps: number;
  /** Training points n and outputs per point k. */
  readonly n: number;
  readonly outputs: number;
}

/** The outputs of a forward pass as an n×k matrix, checked. */
function outputsOf(y: unknown, n: number, what: string): { data: Float64Array; k: number } {
  const t = singleTensor(y as Tensor, 'the network output');
  if (t.shape.length !== 2 || t.shape[0] !== n) {
    throw new ShapeMismatchError(`the network output on ${what} has shape [${t.shape.join(', ')}], expected (${n}, outputs) (add flatten before the readout)`);
  }
  return { data: t.data, k: t.shape[1]! };
}

/** The labels as an n×k row-major array (a Tensor, a row-major Float64Array or an ml-matrix Matrix), checked against the network's outputs. */
function labelsOf(y: Labels, n: number, k: number): Float64Array {
  let data: Float64Array;
  let shape: string;
  let rowsOk = true;
  if (y instanceof Float64Array) {
    data = y;
    shape = `${y.length} entries`;
  } else if (AbstractMatrix.isMatrix(y)) {
    data = toFloat64Array(y);
    shape = `shape [${y.rows}, ${y.columns}]`;
    rowsOk = y.rows === n;
  } else {
    data = y.data;
    shape = `shape [${y.shape.join(', ')}]`;
    rowsOk = y.shape[0] === n;
  }
  if (data.length !== n * k || !rowsOk) throw new ShapeMismatchError(`yTrain has ${shape} but the network gives ${n}×${k} outputs (${n} training points, ${k} outputs each)`);
  assertFinite(data, 'yTrain');
  return data;
}

function rows(x: Tensor, idx: readonly number[]): Tensor {
  const per = x.data.length / x.shape[0]!;
  const out = new Float64Array(idx.length * per);
  idx.forEach((i, r) => out.set(x.data.subarray(i * per, (i + 1) * per), r * per));
  return { data: out, shape: [idx.length, ...x.shape.slice(1)] };
}

/** The loss, the outputs and ∂L/∂θ on a batch; `gradients[j]` belongs to parameter leaf j (null: frozen). */
export interface ParameterGradient {
  readonly loss: number;
  readonly outputs: Float64Array;
  readonly gradients: (Float64Array | null)[];
}

/**
 * The loss of a network on (x, y) and its gradient with respect to every parameter array, lined
 * up with {@link parameterLeaves}(params) (null for frozen arrays). What one step of
 * {@link trainNetwork} uses.
 */
export function parameterGradient(layer: Layer<any, any>, params: unknown, x: Tensor, y: Labels, loss: TrainLoss = 'mse'): ParameterGradient {
  const n = x.shape[0]!;
  const fw = layer.forward(params, x);
  const f = outputsOf(fw.y, n, 'x');
  const labels = labelsOf(y, n, f.k);
  const l = checkLoss(loss, f.k, labels);
  const leaves = parameterLeaves(params);
  return backwardStep(layer, params, leaves, fw.cache, f.data, labels, n, f.k, l, null).result;
}

function backwardStep(
  layer: Layer<any, any>,
  params: unknown,
  leaves: Float64Array[],
  cache: unknown,
  f: Float64Array,
  y: Float64Array,
  n: number,
  k: number,
  loss: Loss,
  alignment: number[][] | null,
): { result: ParameterGradient; alignment: number[][] } {
  const lg = lossAndGradient(loss, f, y, n, k);
  const gradients: (Float64Array | null)[] = leaves.map(() => null);
  if (!Number.isFinite(lg.loss)) return { result: { loss: lg.loss, outputs: f, gradients }, alignment: alignment ?? [] };
  const records = layer.backward(params, cache, { data: lg.grad, shape: [n, k] }).grads;
  const grads = records.map((r) => r.gradient());
  const lengths = grads.map((g) => g.map((a) => a.length));
  const align = alignment ?? alignRecords(leaves, records, lengths);
  if (align.length !== grads.length) throw new ShapeMismatchError(`the backward pass gave ${grads.length} gradient records, earlier ${align.length}`);
  grads.forEach((g, r) => g.forEach((a, j) => (gradients[align[r]![j]!] = a)));
  return { result: { loss: lg.loss, outputs: f, gradients }, alignment: align };
}

/**
 * Trains a finite network by gradient descent through its layers' backward rules and records
 * its outputs at the requested times t = η·step, for comparison with the kernel predictions
 * (`gradientDescentMse` with the network's own initial outputs f₀ is its linearisation).
 *
 * ```ts
 * const net = serial(dense({ width: 2048 }), relu(), dense({ width: 1 }));
 * const { params } = net.init(new Rng(0), [d], {});
 * const run = trainNetwork(net, params, xTrain, yTrain, { learningRate: 1, record: [0, 10, 100], xTest });
 * run.records[2].test; // test outputs at t = 100
 * ```
 * Throws InvalidOptionError (learning rate ≤ 0, bad times, batch size, loss), ShapeMismatchError
 * (labels that do not fit the outputs), NonFiniteInputError (NaN in the data) and
 * {@link NonFiniteLossError} naming the step where the loss stopped being finite.
 */
export function trainNetwork<P>(layer: Layer<P, any>, params: P, xTrain: Tensor, yTrain: Labels, options: TrainOptions): TrainResult<P> {
  const n = xTrain.shape[0] ?? 0;
  if (n === 0) throw new ShapeMismatchError('xTrain holds no samples');
  assertFinite(xTrain.data, 'xTrain', xTrain.shape);
  if (options.xTest) assertFinite(options.xTest.data, 'xTest', options.xTest.shape);
  const plan = schedule(options, n);
  const eta = plan.learningRate;
  const p = options.inPlace ? params : cloneParams(params);
  const leaves = parameterLeaves(p);
  for (const leaf of leaves) assertFinite(leaf, 'a parameter array');
  let fw = layer.forward(p, xTrain);
  const k = outputsOf(fw.y, n, 'xTrain').k;
  const y = labelsOf(yTrain, n, k);
  const loss = checkLoss(options.loss ?? 'mse', k, y);
  const full = plan.batchSize === n;
  const rng = new Rng(options.seed ?? 0);
  const order = Array.from({ length: n }, (_, i) => i);
  let pos = n; // next index into `order`; n forces a shuffle before the first batch
  const nextBatch = (): number[] => {
    if (pos + plan.batchSize > n) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      pos = 0;
    }
    pos += plan.batchSize;
    return order.slice(pos - plan.batchSize, pos);
  };
  const velocity = plan.momentum > 0 ? leaves.map((l) => new Float64Array(l.length)) : null;
  let alignment: number[][] | null = null;
  const wanted = new Map<number, number[]>();
  plan.recordSteps.forEach((s, i) => wanted.set(s, [...(wanted.get(s) ?? []), i]));
  const records: TrainRecord[] = new Array<TrainRecord>(plan.recordSteps.length);
  let final: TrainRecord | null = null;

  for (let s = 0; ; s++) {
    const t = s * eta;
    // The full-batch forward pass at step s serves the record and, in full-batch runs, the step.
    if (s > 0 && (full || wanted.has(s) || s === plan.steps)) fw = layer.forward(p, xTrain);
    const f = outputsOf(fw.y, n, 'xTrain').data;
    if (wanted.has(s) || s === plan.steps) {
      const trainLoss = lossAndGradient(loss, f, y, n, k).loss;
      if (!Number.isFinite(trainLoss)) throw new NonFiniteLossError(s, t, trainLoss, false);
      const test = options.xTest ? outputsOf(layer.forward(p, options.xTest).y, options.xTest.shape[0]!, 'xTest') : null;
      if (test && test.k !== k) throw new ShapeMismatchError(`the network gives ${test.k} outputs on xTest but ${k} on xTrain`);
      const rec: TrainRecord = { step: s, t, trainLoss, train: Float64Array.from(f), test: test ? Float64Array.from(test.data) : null };
      for (const i of wanted.get(s) ?? []) records[i] = rec;
      if (s === plan.steps) final = rec;
    }
    if (s === plan.steps) break;
    let step;
    if (full) {
      step = backwardStep(layer, p, leaves, fw.cache, f, y, n, k, loss, alignment);
    } else {
      const idx = nextBatch();
      const fb = layer.forward(p, rows(xTrain, idx));
      const yb = new Float64Array(idx.length * k);
      idx.forEach((i, r) => yb.set(y.subarray(i * k, (i + 1) * k), r * k));
      step = backwardStep(layer, p, leaves, fb.cache, outputsOf(fb.y, idx.length, 'a minibatch').data, yb, idx.length, k, loss, alignment);
    }
    alignment = step.alignment;
    const { loss: value, gradients } = step.result;
    if (!Number.isFinite(value)) throw new NonFiniteLossError(s, t, value, !full);
    options.onStep?.(s, value);
    gradients.forEach((g, j) => {
      if (!g) return;
      const theta = leaves[j]!;
      if (velocity) {
        const v = velocity[j]!;
        for (let i = 0; i < theta.length; i++) {
          v[i] = plan.momentum * v[i]! - eta * g[i]!;
          theta[i] += v[i]!;
        }
      } else {
        for (let i = 0; i < theta.length; i++) theta[i] -= eta * g[i]!;
      }
    });
  }
  return { params: p, records, final: final!, steps: plan.steps, n, outputs: k };
}
