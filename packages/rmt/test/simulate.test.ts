// Finite-width simulation: the NTK against the Jacobian Jᵀ·J built by finite differences (a second
// method, with the same weights), the CK and NTK of many finite networks against the exact
// infinite-width kernels (Monte-Carlo check), the weight laws, and the errors.
import { NonFiniteInputError, Rng, ShapeMismatchError } from '@wide/core';
import { relu } from '@wide/layers';
import { expectMonteCarloClose } from '@wide/testing';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, activations as A, exactKernels, fillWeights, lemma35Matrix, simulateNetwork, type ScalarActivation, type WeightLaw } from '../src/index.js';

/** f(x_i) = wᵀX_L(x_i) of the network with weights Ws (row-major d_ℓ×d_{ℓ−1}) and read-out w. */
function outputs(x: Float64Array, n: number, dims: number[], Ws: Float64Array[], w: Float64Array, act: ScalarActivation): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = Array.from(x.subarray(i * dims[0]!, (i + 1) * dims[0]!));
    for (let l = 1; l < dims.length; l++) {
      const next: number[] = [];
      for (let k = 0; k < dims[l]!; k++) {
        let s = 0;
        for (let j = 0; j < dims[l - 1]!; j++) s += Ws[l - 1]![k * dims[l - 1]! + j]! * h[j]!;
        next.push(act.fn(s) / Math.sqrt(dims[l]!));
      }
      h = next;
    }
    out[i] = h.reduce((s, v, k) => s + v * w[k]!, 0);
  }
  return out;
}

describe('the Jacobian NTK', () => {
  // leakyRelu rather than ReLU: a dead ReLU unit has a pre-activation of exactly 0, where σ′ is a
  // convention (0 here) and a central difference gives ½.
  it.each([
    ['tanh', 'gaussian', A.tanh()],
    ['leakyRelu(0.1)', 'bernoulli', A.leakyRelu(0.1)],
  ] as const)('%s: equals Jᵀ·J by central differences over every weight (%s weights)', (_, law, act) => {
    const n = 4;
    const dims = [3, 5, 4, 6];
    const x = new Rng(1).normals(n * 3, 0.6);
    const seed = 12;
    const sim = simulateNetwork({ x, n, d0: 3, widths: dims.slice(1), activations: act, weights: law as WeightLaw, seed, ntk: true, grams: true });
    // the documented weights of draw 0
    const rng = new Rng([seed, 0]);
    const Ws = dims.slice(1).map((d, i) => fillWeights(law as WeightLaw, rng.fork(i + 1), new Float64Array(d * dims[i]!)));
    const w = fillWeights(law as WeightLaw, rng.fork(0), new Float64Array(dims[dims.length - 1]!));
    const params = [...Ws, w];
    const J: number[][] = Array.from({ length: n }, () => []);
    const h = 1e-6;
    for (const block of params) {
      for (let k = 0; k < block.length; k++) {
        const v = block[k]!;
        block[k] = v + h;
        const up = outputs(x, n, dims, Ws, w, act);
        block[k] = v - h;
        const down = outputs(x, n, dims, Ws, w, act);
        block[k] = v;
        for (let i = 0; i < n; i++) J[i]!.push((up[i]! - down[i]!) / (2 * h));
      }
    }
    const f = outputs(x, n, dims, Ws, w, act);
    let maxErr = 0;
    let maxVal = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const jj = J[i]!.reduce((s, v, k) => s + v * J[j]![k]!, 0);
        maxErr = Math.max(maxErr, Math.abs(jj - sim.ntk![i * n + j]!));
        maxVal = Math.max(maxVal, Math.abs(jj));
      }
    }
    expect(maxErr / maxVal).toBeLessThan(1e-7);
    // the CK is X_LᵀX_L: its diagonal is ‖X_L x_i‖², and f = wᵀX_L
    expect(sim.grams!.length).toBe(4);
    expect(sim.grams![3]).toEqual(sim.ck);
    expect(f.every(Number.isFinite)).toBe(true);
  });
});

describe('many finite networks against the exact infinite-width kernels', () => {
  it('ReLU, two layers: CK and NTK within c/√(width·draws) in relative Frobenius norm', () => {
    const n = 12;
    const d0 = 8;
    const x = new Rng(3).normals(n * d0, 1 / Math.sqrt(d0));
    const width = 512;
    const draws = 24;
    const sim = simulateNetwork({ x, n, d0, widths: [width, width], activations: A.relu(), seed: 5, draws, ntk: true });
    const exact = exactKernels(x, n, d0, [{ rule: relu().rule, activation: A.relu() }, { rule: relu().rule, activation: A.relu() }], { ntk: true });
    expectMonteCarloClose(sim.ck, exact.ck, { width, samples: draws, label: 'CK' });
    expectMonteCarloClose(sim.ntk!, exact.ntk!, { width, samples: draws, label: 'NTK', c: 8 });
  });

  it('is seeded: the same seed gives the same matrices, another seed others', () => {
    const x = new Rng(3).normals(6 * 4);
    const run = (seed: number) => simulateNetwork({ x, n: 6, d0: 4, widths: [16], activations: A.tanh(), seed, ntk: true }).ntk!;
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('Lemma 3.5 stand-in adds r₊ on the diagonal and q_ℓ·X_ℓᵀX_ℓ', () => {
    const g = [Float64Array.of(1, 0, 0, 1), Float64Array.of(2, 1, 1, 2)];
    expect(Array.from(lemma35Matrix(g, 2, { q: [0.5], rPlus: 3 }))).toEqual([2 + 0.5 + 3, 1, 1, 2 + 0.5 + 3]);
    expect(() => lemma35Matrix(g, 2, { q: [0.5, 1], rPlus: 3 })).toThrow(ShapeMismatchError);
  });
});

describe('weight laws', () => {
  it('ternary: zeros within ±1% of ε, non-zeros exactly ±(1 − ε)^(−1/2); Bernoulli ±1; both mean 0, variance 1', () => {
    for (const eps of [0, 0.5, 0.9]) {
      const w = fillWeights({ ternary: eps }, new Rng(1), new Float64Array(200000));
      const zeros = w.filter((v) => v === 0).length / w.length;
      expect(Math.abs(zeros - eps)).toBeLessThan(0.01);
      const v = 1 / Math.sqrt(1 - eps);
      expect(w.every((x) => x === 0 || x === v || x === -v)).toBe(true);
      expect(Math.abs(w.reduce((s, x) => s + x, 0) / w.length)).toBeLessThan(0.01);
      expect(w.reduce((s, x) => s + x * x, 0) / w.length).toBeCloseTo(1, 1);
    }
    const b = fillWeights('bernoulli', new Rng(2), new Float64Array(100001));
    expect(b.every((x) => x === 1 || x === -1)).toBe(true);
    expect(Math.abs(b.reduce((s, x) => s + x, 0) / b.length)).toBeLessThan(0.01);
    const custom = fillWeights({ name: 'twos', sample: (_r, out) => out.fill(2) }, new Rng(1), new Float64Array(3));
    expect(Array.from(custom)).toEqual([2, 2, 2]);
  });

  it('bad requests are one-line typed errors', () => {
    const x = new Float64Array(6);
    expect(() => simulateNetwork({ x, n: 2, d0: 4, widths: [3], activations: A.relu(), seed: 1 })).toThrow('x: expected n×d0 = 2×4 = 8 numbers, got 6');
    expect(() => simulateNetwork({ x, n: 2, d0: 3, widths: [0], activations: A.relu(), seed: 1 })).toThrow('widths[0]: expected a number > 0, got 0');
    expect(() => simulateNetwork({ x, n: 2, d0: 3, widths: [3], activations: A.relu(), seed: 1, weights: { ternary: 1 } })).toThrow('weights.ternary: expected a sparsity ε in [0, 1), got 1');
    expect(() => simulateNetwork({ x, n: 2, d0: 3, widths: [3], activations: A.relu(), seed: 1, weights: 'uniform' as never })).toThrow(InvalidRequestError);
    expect(() => simulateNetwork({ x: Float64Array.of(1, 2, Number.NaN, 4, 5, 6), n: 2, d0: 3, widths: [3], activations: A.relu(), seed: 1 })).toThrow(NonFiniteInputError);
    expect(() => simulateNetwork({ x, n: 2, d0: 3, widths: [3, 3], activations: [A.relu()], seed: 1 })).toThrow('activations: expected one activation or 2 (one per layer), got 1');
  });
});
