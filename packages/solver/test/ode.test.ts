import { describe, expect, it } from 'vitest';
import { NonConvergenceError } from '@wide/core';
import { InvalidOptionError, dormandPrince, gradientDescent, gradientDescentMse, mse, softmaxCrossEntropy } from '../src/index.js';
import { makeProblem, normals, relDiff } from './problems.js';

describe('Dormand–Prince 5(4)', () => {
  it('exponential decay y′ = −y: error within a small multiple of the tolerance, and shrinking with it', () => {
    const errs = [1e-4, 1e-7, 1e-10].map((rtol) => {
      const { states } = dormandPrince((_t, y, dy) => (dy[0] = -y[0]!), 0, Float64Array.of(1), [1, 5, 10], { rtol, atol: rtol * 1e-3 });
      return Math.max(...[1, 5, 10].map((t, i) => Math.abs(states[i]![0]! - Math.exp(-t)) / Math.exp(-t)));
    });
    expect(errs[0]!).toBeLessThan(1e-3);
    expect(errs[1]!).toBeLessThan(1e-6);
    expect(errs[2]!).toBeLessThan(1e-9);
    expect(errs[0]! / errs[1]!).toBeGreaterThan(50);
    expect(errs[1]! / errs[2]!).toBeGreaterThan(50);
  });

  it('harmonic oscillator: back to the start after 10 periods, energy kept', () => {
    const T = 2 * Math.PI;
    const { states, stats } = dormandPrince(
      (_t, y, dy) => {
        dy[0] = y[1]!;
        dy[1] = -y[0]!;
      },
      0,
      Float64Array.of(1, 0),
      [T / 4, 10 * T],
      { rtol: 1e-10, atol: 1e-12 },
    );
    expect(states[0]![0]!).toBeCloseTo(0, 8);
    expect(states[0]![1]!).toBeCloseTo(-1, 8);
    expect(states[1]![0]!).toBeCloseTo(1, 7);
    expect(states[1]![1]!).toBeCloseTo(0, 7);
    expect(stats.rejected).toBeLessThan(stats.accepted);
    expect(stats.evaluations).toBe(6 * (stats.accepted + stats.rejected) + 2); // FSAL: 6 per step, + start and the first-step probe
  });

  it('uses the stage times: y′ = 5t⁴ (a degree-4 polynomial, integrated exactly by a 5th-order method)', () => {
    const { states } = dormandPrince((t, _y, dy) => (dy[0] = 5 * t ** 4), 0, Float64Array.of(0), [0.7, 2], { rtol: 1e-3 });
    expect(states[0]![0]!).toBeCloseTo(0.7 ** 5, 13);
    expect(states[1]![0]!).toBeCloseTo(32, 11);
  });

  it('hits output times exactly, returns y₀ at t₀, and reports bad times and exhausted steps', () => {
    const f = (_t: number, y: Float64Array, dy: Float64Array) => (dy[0] = -y[0]!);
    const { states } = dormandPrince(f, 0, Float64Array.of(2), [0, 0, 1e-12, 3]);
    expect(states[0]![0]).toBe(2);
    expect(states[1]![0]).toBe(2);
    expect(states[2]![0]!).toBeCloseTo(2 * (1 - 1e-12), 15);
    expect(() => dormandPrince(f, 0, Float64Array.of(1), [2, 1])).toThrow(InvalidOptionError);
    expect(() => dormandPrince(f, 0, Float64Array.of(1), [Infinity])).toThrow(/expected finite, non-decreasing times/);
    expect(() => dormandPrince(f, 0, Float64Array.of(1), [1000], { maxSteps: 5 })).toThrow(NonConvergenceError);
    expect(() => dormandPrince(f, 0, Float64Array.of(1), [1000], { maxSteps: 5 })).toThrow(/stopped after 5 steps/);
  });
});

describe('losses', () => {
  it('softmax cross-entropy: gradient equals central finite differences; rows shifted by a constant change nothing', () => {
    const P = makeProblem(9, 4, 1, 3);
    const f = normals(P.rng, 12, 2);
    const y = Float64Array.from([1, 0, 0, 0, 1, 0, 0.2, 0.3, 0.5, 0, 0, 2]); // one-hot, soft and unnormalised rows
    const g = new Float64Array(12);
    softmaxCrossEntropy.gradient(f, y, 4, 3, g);
    for (let i = 0; i < 12; i++) {
      const h = 1e-6;
      const up = Float64Array.from(f);
      const dn = Float64Array.from(f);
      up[i] += h;
      dn[i] -= h;
      expect(g[i]!).toBeCloseTo((softmaxCrossEntropy.value(up, y, 4, 3) - softmaxCrossEntropy.value(dn, y, 4, 3)) / (2 * h), 8);
    }
    const shifted = f.map((v, i) => v + (i < 3 ? 1000 : 0));
    expect(softmaxCrossEntropy.value(shifted, y, 4, 3)).toBeCloseTo(softmaxCrossEntropy.value(f, y, 4, 3), 11);
    // −mean(y ⊙ log softmax) for uniform logits and one-hot rows: log(3)/3 per row entry mean.
    expect(softmaxCrossEntropy.value(new Float64Array(6), Float64Array.from([1, 0, 0, 0, 1, 0]), 2, 3)).toBeCloseTo(Math.log(3) / 3, 14);
    expect(mse.value(Float64Array.of(1, 2), Float64Array.of(0, 0), 1, 2)).toBe(1.25);
  });

  it('cross-entropy dynamics: the loss falls monotonically and the train points are classified', () => {
    const n = 12;
    const P = makeProblem(12, n, 2, 3, 0.3);
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    const y = new Float64Array(n * 3);
    labels.forEach((c, i) => (y[i * 3 + c] = 1));
    const p = gradientDescent(softmaxCrossEntropy, P.ntk.train, y, { learningRate: 50 });
    const times = [0, 1, 10, 100, 1000, 10000];
    const out = p.predict(times, { kTestTrain: P.ntk.testTrain });
    expect(out[0]!.trainLoss).toBeCloseTo(Math.log(3) / 3, 14);
    for (let i = 1; i < out.length; i++) expect(out[i]!.trainLoss).toBeLessThan(out[i - 1]!.trainLoss);
    const last = out[out.length - 1]!.train;
    labels.forEach((c, i) => {
      const row = [0, 1, 2].map((j) => last[i * 3 + j]!);
      expect(row.indexOf(Math.max(...row))).toBe(c);
    });
    // The outputs of each row sum to the initial sum (0): Θ acts on rows, and Σ_c ∂L/∂f_ic = 0 for one-hot labels.
    for (let i = 0; i < n; i++) expect(last[i * 3]! + last[i * 3 + 1]! + last[i * 3 + 2]!).toBeCloseTo(0, 9);
    expect(() => p.predict(Infinity)).toThrow(/Infinity cannot be reached by integrating/);
  });

  it('the ODE path for MSE with a ridge and given f₀ matches the closed form (1e-6)', () => {
    const P = makeProblem(13, 9, 3, 2);
    const f0 = normals(P.rng, 18);
    const closed = gradientDescentMse(P.ntk.train, P.y, { diagReg: 0.1, learningRate: 4 }).predict([2, 20, 200], { kTestTrain: P.ntk.testTrain, fxTrain0: f0 });
    const ode = gradientDescent(mse, P.ntk.train, P.y, { diagReg: 0.1, learningRate: 4 }).predict([200, 2, 20], { kTestTrain: P.ntk.testTrain, fxTrain0: f0 });
    expect(ode.map((o) => o.t)).toEqual([200, 2, 20]);
    [1, 2, 0].forEach((q, i) => {
      expect(relDiff(ode[q]!.train, closed[i]!.train)).toBeLessThan(1e-6);
      expect(relDiff(ode[q]!.test!, closed[i]!.test!)).toBeLessThan(1e-6);
    });
  });
});
