import { describe, expect, it } from 'vitest';
import { type GradRecord, type Layer, type Tensor, Rng, empiricalKernels, serial, singleTensor, tensor } from '@wide/core';
import { avgPool, conv, dense, erf, flatten, fromArchitecture, globalAvgPool, globalSumPool, relu, sumPool } from '../src/index.js';

/** The W and b arrays of every affine layer (dense, conv) in a parameter tree, in layer order. */
function affineParams(p: unknown, out: Float64Array[] = []): Float64Array[] {
  if (Array.isArray(p)) p.forEach((x) => affineParams(x, out));
  else if (p && typeof p === 'object' && !ArrayBuffer.isView(p)) {
    const o = p as Record<string, unknown>;
    if (o['W'] instanceof Float64Array && o['b'] instanceof Float64Array) out.push(o['W'], o['b']);
    else for (const v of Object.values(o)) affineParams(v, out);
  }
  return out;
}

/**
 * Checks the backward rule of `net` by central differences (h = 1e-6) on f = Σ w ⊙ net(x) for
 * fixed random weights w: the input gradient at `entries` spread entries, and the parameter
 * gradients of every trainable affine layer (`fixed`: indices, in layer order, of the affine layers
 * with trainable false, which must record none). Returns the number of gradient arrays recorded.
 */
function checkBackward(net: Layer<any, any>, inputShape: readonly number[], n: number, seed: number, fixed: number[] = [], entries = 12): number {
  const x: Tensor = tensor(new Rng(seed).normals(n * inputShape.reduce((a, b) => a * b, 1)), [n, ...inputShape]);
  const { params, outputShape } = net.init(new Rng(seed + 1), inputShape, {});
  const outSize = n * (outputShape as number[]).reduce((a, b) => a * b, 1);
  const w = new Rng(seed + 2).normals(outSize);
  const f = () => {
    const y = singleTensor(net.forward(params, x).y, 'f');
    let s = 0;
    for (let i = 0; i < outSize; i++) s += w[i]! * y.data[i]!;
    return s;
  };
  const fw = net.forward(params, x);
  const y = singleTensor(fw.y, 'y');
  expect(y.data.length).toBe(outSize);
  const { gx, grads } = net.backward(params, fw.cache, { data: w, shape: y.shape });
  const analytic = grads.flatMap((g: GradRecord) => g.gradient());
  const numeric = (arr: Float64Array, idx: number) => {
    const old = arr[idx]!;
    arr[idx] = old + 1e-6;
    const up = f();
    arr[idx] = old - 1e-6;
    const down = f();
    arr[idx] = old;
    return (up - down) / 2e-6;
  };
  const spread = (len: number) => [...new Set(Array.from({ length: entries }, (_, k) => Math.floor(((k + 0.5) * len) / entries)))];
  const all = affineParams(params);
  const trainable = all.filter((_, i) => !fixed.includes(Math.floor(i / 2)));
  expect(analytic.length).toBe(trainable.length);
  trainable.forEach((arr, a) => {
    for (const idx of spread(arr.length)) expect(analytic[a]![idx]!, `parameter array ${a}, entry ${idx}`).toBeCloseTo(numeric(arr, idx), 6);
  });
  const gin = singleTensor(gx, 'gx');
  expect(gin.shape).toEqual(x.shape);
  for (const idx of spread(x.data.length)) expect(gin.data[idx]!, `input entry ${idx}`).toBeCloseTo(numeric(x.data, idx), 6);
  return analytic.length;
}

describe('conv backward rule against finite differences (parameters and input)', () => {
  it.each([
    ['2-D SAME, stride and dilation', [5, 6, 2], () => serial(conv({ channels: 3, filter: [3, 2], stride: [2, 1], dilation: [1, 2], wStd: 1.3, bStd: 0.2 }), relu(), conv({ channels: 2, filter: [2, 2], padding: 'VALID', wStd: 1.1, bStd: 0.1 }), flatten(), dense({ width: 2, bStd: 0.3 }))],
    ['1-D CIRCULAR, standard parameterisation', [7, 3], () => serial(conv({ channels: 4, filter: [3], padding: 'CIRCULAR', stride: [2], wStd: 1.2, bStd: 0.5, parameterization: 'standard' }), erf(), flatten(), dense({ width: 1, bStd: 0.2, parameterization: 'standard' }))],
    ['3-D VALID', [3, 4, 3, 2], () => serial(conv({ channels: 3, filter: [2, 3, 2], padding: 'VALID', wStd: 1.4, bStd: 0.1 }), relu(), flatten(), dense({ width: 1 }))],
  ] as const)('%s', (_name, shape, make) => {
    expect(checkBackward(make(), shape, 2, 5)).toBeGreaterThanOrEqual(4);
  });

  it('trainable: false records no parameter gradients but still passes the gradient to its input', () => {
    const net = serial(conv({ channels: 3, filter: [3, 3], wStd: 1.3, bStd: 0.2, trainable: false }), relu(), conv({ channels: 2, filter: [3, 3], wStd: 1.1 }), relu(), flatten(), dense({ width: 1, trainable: false }));
    // Affine layers 0 (first conv) and 2 (readout) are fixed: only conv 1's W and b get gradients.
    expect(checkBackward(net, [4, 4, 2], 2, 9, [0, 2])).toBe(2);
  });
});

describe('pooling backward rules against finite differences', () => {
  it.each([
    ['avgPool SAME with stride, sumPool VALID, globalAvgPool', [6, 5, 2], 6, () => serial(conv({ channels: 3, filter: [3, 3], wStd: 1.3, bStd: 0.2 }), avgPool({ window: [2, 2], stride: [1, 2], padding: 'SAME' }), relu(), sumPool({ window: [2, 1], padding: 'VALID' }), conv({ channels: 2, filter: [2, 2], wStd: 1.2 }), globalAvgPool(), dense({ width: 2, bStd: 0.1 }))],
    ['1-D avgPool CIRCULAR, globalSumPool', [7, 2], 4, () => serial(conv({ channels: 3, filter: [2], wStd: 1.1, bStd: 0.3 }), avgPool({ window: [3], stride: [2], padding: 'CIRCULAR' }), erf(), globalSumPool(), dense({ width: 1 }))],
  ] as const)('%s', (_name, shape, arrays, make) => {
    expect(checkBackward(make(), shape, 2, 17)).toBe(arrays);
  });
});

describe('the contracted empirical NTK of a CNN equals explicit per-sample gradient dot products', () => {
  it('conv (stride, VALID) → relu → avgPool → conv → globalAvgPool → dense', () => {
    const net = fromArchitecture({
      layers: [
        { type: 'conv', channels: 3, filter: [3, 2], stride: [1, 2], padding: 'VALID', wStd: 1.4, bStd: 0.3 },
        { type: 'relu' },
        { type: 'avgPool', window: [2, 2], stride: [1, 1], padding: 'SAME' },
        { type: 'conv', channels: 2, filter: [2, 2], wStd: 1.2, bStd: 0.1 },
        { type: 'globalAvgPool' },
        { type: 'dense', width: 2, bStd: 0.2 },
      ],
    });
    const x = tensor(new Rng(3).normals(3 * 5 * 5 * 2), [3, 5, 5, 2]);
    const { params } = net.init(new Rng(4), [5, 5, 2], {});
    const emp = empiricalKernels(net, params, x, null, { ntkOutputs: [1] });
    const perSample = [0, 1, 2].map((i) => {
      const xi = tensor(x.data.slice(i * 50, (i + 1) * 50), [1, 5, 5, 2]);
      const fw = net.forward(params, xi);
      return net.backward(params, fw.cache, { data: Float64Array.from([0, 1]), shape: [1, 2] }).grads.flatMap((g: GradRecord) => g.gradient());
    });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        perSample[i]!.forEach((g, a) => g.forEach((v, t) => (s += v * perSample[j]![a]![t]!)));
        expect(emp.ntk![i * 3 + j]!).toBeCloseTo(s, 10);
      }
    }
  });
});
