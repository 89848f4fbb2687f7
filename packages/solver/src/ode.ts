/**
 * Dormand–Prince 5(4): an explicit Runge–Kutta pair with error control, for y′ = F(t, y) on
 * Float64Array states (Dormand & Prince 1980, "A family of embedded Runge–Kutta formulae",
 * J. Comput. Appl. Math. 6, Table 2; the same tableau as MATLAB's ode45 and JAX's `odeint`).
 *
 * Seven stages, the last evaluated at the new point and reused as the first of the next step
 * (FSAL). The step advances with the 5th-order solution (local extrapolation); the difference to
 * the embedded 4th-order one estimates the local error, measured as the RMS over components of
 * err_i / (atol + rtol·max(|y_i|, |y_new,i|)) (Hairer, Nørsett & Wanner, Solving ODEs I, §II.4,
 * eq. 4.11). A step is accepted when that norm is ≤ 1; the next step is
 * h·min(5, max(0.2, 0.9·err^(−1/5))) (no growth right after a rejection). The initial step follows
 * Hairer et al.'s algorithm (§II.4, "starting step size"). Output times are hit exactly by shortening
 * the step that would pass them.
 * @module
 */
import { NonConvergenceError } from '@wide/core';
import { InvalidOptionError, NonFiniteOutputError } from './errors.js';

/** y′ = F(t, y): writes F into `dy` (same length as y). */
export type OdeRhs = (t: number, y: Float64Array, dy: Float64Array) => void;

/** Options of {@link dormandPrince}. */
export interface OdeOptions {
  /** Relative tolerance (default 1e-8). */
  rtol?: number;
  /** Absolute tolerance (default 1e-10). */
  atol?: number;
  /** Most steps (accepted and rejected) before giving up (default 100,000). */
  maxSteps?: number;
  /** First step size (default: chosen automatically). */
  firstStep?: number;
}

/** Counts of an integration. */
export interface OdeStats {
  accepted: number;
  rejected: number;
  /** Evaluations of F. */
  evaluations: number;
}

// Butcher tableau (Dormand & Prince 1980).
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const A: readonly (readonly number[])[] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
/** 5th-order weights minus the embedded 4th-order ones (b − b̂). */
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

/**
 * Integrates y′ = F(t, y) from y(t0) = y0 and returns y at each of `times` (non-decreasing, each
 * ≥ t0; a time equal to t0 returns a copy of y0). Throws NonConvergenceError when `maxSteps` is
 * exhausted or the step size underflows, NonFiniteOutputError when the state overflows.
 */
export function dormandPrince(f: OdeRhs, t0: number, y0: Float64Array, times: readonly number[], options: OdeOptions = {}): { states: Float64Array[]; stats: OdeStats } {
  const rtol = options.rtol ?? 1e-8;
  const atol = options.atol ?? 1e-10;
  const maxSteps = options.maxSteps ?? 100_000;
  if (!(rtol > 0) || !(atol >= 0)) throw new InvalidOptionError('rtol/atol', `expected rtol > 0 and atol ≥ 0, got ${rtol}, ${atol}`);
  for (let i = 0; i < times.length; i++) {
    if (!(times[i]! >= (i ? times[i - 1]! : t0)) || times[i] === Infinity) throw new InvalidOptionError(`times[${i}]`, `expected finite, non-decreasing times ≥ ${t0}, got ${times[i]}`);
  }
  const d = y0.length;
  const k = Array.from({ length: 7 }, () => new Float64Array(d));
  const stage = new Float64Array(d);
  const yNew = new Float64Array(d);
  const y = Float64Array.from(y0);
  const stats: OdeStats = { accepted: 0, rejected: 0, evaluations: 0 };
  const rhs = (t: number, x: Float64Array, out: Float64Array) => {
    f(t, x, out);
    stats.evaluations++;
  };
  const norm = (v: Float64Array, scaleOf: Float64Array) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += (v[i]! / (atol + rtol * Math.abs(scaleOf[i]!))) ** 2;
    return d ? Math.sqrt(s / d) : 0;
  };
  let t = t0;
  rhs(t, y, k[0]!);
  let h = options.firstStep ?? initialStep(rhs, t, y, k[0]!, norm, stage, yNew);
  let lastRejected = false;
  const states: Float64Array[] = [];
  for (const target of times) {
    while (t < target) {
      if (stats.accepted + stats.rejected >= maxSteps) {
        throw new NonConvergenceError(`the ODE integrator stopped after ${maxSteps} steps at t = ${t} of ${target} (step ${h.toExponential(2)}); raise maxSteps or loosen rtol`, maxSteps, h);
      }
      const last = t + h >= target;
      const step = last ? target - t : h;
      for (let s = 1; s < 7; s++) {
        const a = A[s]!;
        for (let i = 0; i < d; i++) {
          let v = y[i]!;
          for (let j = 0; j < s; j++) v += step * a[j]! * k[j]![i]!;
          stage[i] = v;
        }
        if (s === 6) yNew.set(stage);
        rhs(t + C[s]! * step, stage, k[s]!);
      }
      // Error estimate (b − b̂)·k·h, scaled by max(|y|, |y_new|).
      let err = 0;
      for (let i = 0; i < d; i++) {
        let e = 0;
        for (let j = 0; j < 7; j++) e += E[j]! * k[j]![i]!;
        const sc = atol + rtol * Math.max(Math.abs(y[i]!), Math.abs(yNew[i]!));
        err += ((step * e) / sc) ** 2;
      }
      err = d ? Math.sqrt(err / d) : 0;
      if (err <= 1) {
        stats.accepted++;
        t = last ? target : t + step;
        y.set(yNew);
        k[0]!.set(k[6]!); // FSAL: the last stage is F at the new point
        const ideal = step * Math.min(lastRejected ? 1 : 5, err === 0 ? 5 : Math.max(0.2, 0.9 * err ** -0.2));
        // A step shortened to hit an output time says little about the step size: never grow from it.
        h = last && step < h ? Math.min(h, Math.max(ideal, step)) : ideal;
        lastRejected = false;
      } else {
        // err > 1 or NaN/∞ (a trial stage overflowed): shrink and retry.
        stats.rejected++;
        h = step * (Number.isFinite(err) ? Math.max(0.2, 0.9 * err ** -0.2) : 0.2);
        lastRejected = true;
        if (t + h === t) {
          if (!Number.isFinite(err)) throw new NonFiniteOutputError(`the ODE state overflows at t = ${t}`);
          throw new NonConvergenceError(`the ODE step size underflowed at t = ${t} (the dynamics are too stiff for an explicit method here)`, stats.accepted + stats.rejected, err);
        }
      }
    }
    states.push(Float64Array.from(y));
  }
  return { states, stats };
}

/** Hairer, Nørsett & Wanner's starting step for a 5th-order method. */
function initialStep(rhs: OdeRhs, t: number, y: Float64Array, f0: Float64Array, norm: (v: Float64Array, s: Float64Array) => number, y1: Float64Array, f1: Float64Array): number {
  const d0 = norm(y, y);
  const d1 = norm(f0, y);
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  for (let i = 0; i < y.length; i++) y1[i] = y[i]! + h0 * f0[i]!;
  rhs(t + h0, y1, f1);
  for (let i = 0; i < y.length; i++) f1[i] = f1[i]! - f0[i]!;
  const d2 = norm(f1, y) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** 0.2;
  return Math.min(100 * h0, h1);
}
