// Frozen layers (trainable: false) in finite-network training: gradient records that name their
// parameter arrays (GradRecord.parameters, dense and conv) are placed on them directly, so a frozen
// layer of the same shapes as a trained one is skipped instead of being ambiguous; records without
// the reference still go through the length matching of alignGradients.
import { describe, expect, it } from 'vitest';
import { type GradRecord, type Layer, Rng, ShapeMismatchError, type Tensor, UnsupportedError, serial } from '@wide/core';
import { conv, dense, flatten, relu } from '@wide/layers';
import { alignGradients, alignRecords, parameterGradient, parameterLeaves, trainNetwork } from '../src/train/index.js';

const data = (seed: number, n: number, d: number): Tensor => ({ data: new Rng(seed).normals(n * d), shape: [n, d] });

/** Max |analytic − central difference| / (1e-4 + |central difference|) over the trained leaves; frozen leaves must get null. */
function gradientError(layer: Layer<any, any>, params: unknown, x: Tensor, y: Float64Array, frozen: readonly number[]): number {
  const { gradients } = parameterGradient(layer, params, x, y);
  const leaves = parameterLeaves(params);
  let worst = 0;
  leaves.forEach((theta, j) => {
    const g = gradients[j]!;
    if (frozen.includes(j)) {
      expect(g).toBeNull();
      return;
    }
    expect(g).toBeInstanceOf(Float64Array);
    for (let i = 0; i < theta.length; i++) {
      const old = theta[i]!;
      const h = 1e-6;
      theta[i] = old + h;
      const up = parameterGradient(layer, params, x, y).loss;
      theta[i] = old - h;
      const down = parameterGradient(layer, params, x, y).loss;
      theta[i] = old;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(g[i]! - fd) / (1e-4 + Math.abs(fd)));
    }
  });
  return worst;
}

describe('frozen layers of the same shapes as trained ones', () => {
  // dense 3→3 frozen next to dense 3→3 trained: lengths [9, 3, 9, 3, 3, 1] fit the records [9, 3] | [3, 1] two ways.
  const net = serial(dense({ width: 3, trainable: false, bStd: 0.2 }), relu(), dense({ width: 3, bStd: 0.2 }), relu(), dense({ width: 1, bStd: 0.1 }));
  const x = data(1, 6, 3);
  const y = new Rng(2).normals(6);

  it('the lengths alone are ambiguous; the records name their arrays', () => {
    const { params } = net.init(new Rng(3), [3], {});
    const leaves = parameterLeaves(params);
    expect(leaves.map((a) => a.length)).toEqual([9, 3, 9, 3, 3, 1]);
    expect(() => alignGradients(leaves, [[9, 3], [3, 1]])).toThrow(UnsupportedError);
    const fw = net.forward(params, x);
    const { grads } = net.backward(params, fw.cache, { data: new Float64Array(6).fill(1), shape: [6, 1] });
    expect(grads.map((g) => g.parameters)).toEqual([
      [leaves[2], leaves[3]],
      [leaves[4], leaves[5]],
    ]);
    expect(grads[0]!.parameters![0]).toBe(leaves[2]); // the very array, not a copy
    expect(alignRecords(leaves, grads, [[9, 3], [3, 1]])).toEqual([
      [2, 3],
      [4, 5],
    ]);
  });

  it('the gradient of every trained array matches central differences (1e-5 relative); the frozen arrays get none', () => {
    const { params } = net.init(new Rng(4), [3], {});
    expect(gradientError(net, params, x, y, [0, 1])).toBeLessThan(1e-5);
  });

  it('training leaves the frozen arrays bit for bit and lowers the loss through the others', () => {
    const { params } = net.init(new Rng(5), [3], {});
    const run = trainNetwork(net, params, x, y, { learningRate: 0.5, steps: 200 });
    const before = parameterLeaves(params);
    const after = parameterLeaves(run.params);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    for (const j of [2, 3, 4, 5]) expect(after[j]).not.toEqual(before[j]);
    expect(run.final.trainLoss).toBeLessThan(0.5 * run.records[0]!.trainLoss);
  });

  it('conv: a frozen 2×2 conv before a trained one of the same shapes, gradients right and placed', () => {
    const cnn = serial(
      conv({ channels: 2, filter: [2, 2], trainable: false, bStd: 0.1 }),
      relu(),
      conv({ channels: 2, filter: [2, 2], bStd: 0.1 }),
      relu(),
      flatten(),
      dense({ width: 1, bStd: 0.1 }),
    );
    const xi: Tensor = { data: new Rng(6).normals(3 * 3 * 3 * 2), shape: [3, 3, 3, 2] };
    const { params } = cnn.init(new Rng(7), [3, 3, 2], {});
    expect(parameterLeaves(params).map((a) => a.length)).toEqual([16, 2, 16, 2, 18, 1]);
    expect(gradientError(cnn, params, xi, new Rng(8).normals(3), [0, 1])).toBeLessThan(1e-5);
  });
});

describe('alignRecords: checks on the references, and the fallback', () => {
  const leaves = [new Float64Array(6), new Float64Array(2), new Float64Array(6), new Float64Array(2)];
  const record = (parameters?: Float64Array[]): GradRecord => ({ contract: () => new Float64Array(0), gradient: () => [], ...(parameters ? { parameters } : {}) });

  it('places by reference, in the order given', () => {
    expect(alignRecords(leaves, [record([leaves[2]!, leaves[3]!])], [[6, 2]])).toEqual([[2, 3]]);
    expect(alignRecords(leaves, [], [])).toEqual([]);
  });

  it('an array not in the tree, a length that differs, a count that differs, or shared arrays: typed errors', () => {
    expect(() => alignRecords(leaves, [record([new Float64Array(6)])], [[6]])).toThrow(ShapeMismatchError);
    expect(() => alignRecords(leaves, [record([new Float64Array(6)])], [[6]])).toThrow('gradient record 0 names a parameter array (length 6) that is not in the params tree');
    expect(() => alignRecords(leaves, [record([leaves[0]!])], [[2]])).toThrow('gradient record 0: gradient array 0 has length 2 but its parameter array 6');
    expect(() => alignRecords(leaves, [record([leaves[0]!, leaves[1]!])], [[6]])).toThrow('gradient record 0 gives 1 gradient arrays for its 2 parameter arrays');
    expect(() => alignRecords(leaves, [record([leaves[0]!]), record([leaves[0]!])], [[6], [6]])).toThrow(UnsupportedError);
  });

  it('without references on every record: matched by lengths (ambiguous here)', () => {
    expect(() => alignRecords(leaves, [record()], [[6, 2]])).toThrow(/^cannot tell which parameter arrays/);
    expect(() => alignRecords(leaves, [record([leaves[0]!, leaves[1]!]), record()], [[6, 2], [6, 2]])).not.toThrow();
    expect(alignRecords(leaves, [record([leaves[0]!, leaves[1]!]), record()], [[6, 2], [6, 2]])).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});
