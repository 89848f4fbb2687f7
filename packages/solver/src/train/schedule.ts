/**
 * The time axis of finite-network training: step s of gradient descent with learning rate η is
 * the continuous time t = η·s, the time at which the kernel prediction of gradient flow
 * (df/dt = −Θ·(f − y)/(n·k) for the loss ½·mean((f − y)²)) is compared with it. (In the units of
 * `gradientDescentMse`, which puts η into the rate, the same point is `learningRate: η` at time s,
 * or `learningRate: 1` at time t.) This module turns the user's options into step counts.
 * @module
 */
import { InvalidOptionError } from '../errors.js';

/** What the schedule needs from the options of `trainNetwork`. */
export interface ScheduleOptions {
  readonly learningRate: number;
  readonly steps?: number;
  readonly time?: number;
  readonly record?: readonly number[];
  readonly momentum?: number;
  readonly batchSize?: number;
}

/** The checked schedule. */
export interface Schedule {
  readonly learningRate: number;
  readonly momentum: number;
  /** Steps of gradient descent to run. */
  readonly steps: number;
  /** The step of each requested record time, in the order given. */
  readonly recordSteps: readonly number[];
  /** Samples per step (n for full batch). */
  readonly batchSize: number;
}

/** The step at time t = η·s, checking that t is a whole number of steps (to 1e-9 relative). */
function stepOf(t: number, eta: number, option: string): number {
  if (!(Number.isFinite(t) && t >= 0)) throw new InvalidOptionError(option, `expected a time t = η·step ≥ 0 (finite), got ${t}`);
  const s = Math.round(t / eta);
  if (Math.abs(s * eta - t) > 1e-9 * Math.max(t, eta)) {
    throw new InvalidOptionError(option, `t = ${t} is not a whole number of steps of the learning rate η = ${eta} (t = η·step)`);
  }
  return s;
}

/** Checks the options of `trainNetwork` for `n` training points and returns the schedule. */
export function schedule(o: ScheduleOptions, n: number): Schedule {
  const eta = o.learningRate;
  if (!(typeof eta === 'number' && Number.isFinite(eta) && eta > 0)) throw new InvalidOptionError('learningRate', `expected a finite number > 0, got ${String(eta)}`);
  const momentum = o.momentum ?? 0;
  if (!(momentum >= 0 && momentum < 1)) throw new InvalidOptionError('momentum', `expected a number in [0, 1), got ${momentum}`);
  const batchSize = o.batchSize ?? n;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= n)) {
    throw new InvalidOptionError('batchSize', `expected an integer in [1, ${n}] (the number of training points), got ${batchSize}`);
  }
  const given = (o.record ?? []).map((t, i) => stepOf(t, eta, `record[${i}]`));
  let steps: number;
  if (o.steps !== undefined) {
    if (!(Number.isInteger(o.steps) && o.steps >= 0)) throw new InvalidOptionError('steps', `expected an integer ≥ 0, got ${o.steps}`);
    if (o.time !== undefined) throw new InvalidOptionError('time', 'give steps or time, not both');
    steps = o.steps;
  } else if (o.time !== undefined) {
    steps = stepOf(o.time, eta, 'time');
  } else if (given.length > 0) {
    steps = Math.max(...given);
  } else {
    throw new InvalidOptionError('steps', 'give the length of training: steps, time (t = η·steps) or record times');
  }
  given.forEach((s, i) => {
    if (s > steps) throw new InvalidOptionError(`record[${i}]`, `t = ${o.record![i]} is after the end of training (t = ${steps * eta}, ${steps} steps)`);
  });
  return { learningRate: eta, momentum, steps, recordSteps: o.record ? given : [0, steps], batchSize };
}
