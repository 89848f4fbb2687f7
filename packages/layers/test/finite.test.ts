import { describe, expect, it } from 'vitest';
import { type GradRecord, type Tensor, Rng, apply, empiricalKernels, singleTensor, tensor } from '@wide/core';
import { fromArchitecture } from '../src/index.js';

const arch = {
  layers: [
    { type: 'dense', width: 7, wStd: 1.3, bStd: 0.2 },
    { type: 'erf' },
    { type: 'dense', width: 5, wStd: 0.9, bStd: 0.4 },
    { type: 'gelu' },
    { type: 'residual', layers: [{ type: 'dense', width: 5, wStd: 1.1, bStd: 0.1 }, { type: 'sin', a: 1, b: 0.5, c: 0.1 }, { type: 'dense', width: 5 }] },
    { type: 'dense', width: 3, wStd: 1.2, bStd: 0.3 },
  ],
};

function flatParams(p: unknown, out: Float64Array[] = []): Float64Array[] {
  if (p instanceof Float64Array) out.push(p);
  else if (Array.isArray(p)) p.forEach((x) => flatParams(x, out));
  else if (p && typeof p === 'object') for (const k of ['W', 'b'] as const) if (k in p) out.push((p as Record<string, Float64Array>)[k]!);
  return out;
}

describe('finite networks: backward rule against finite differences', () => {
  for (const parameterization of ['ntk', 'standard'] as const) {
    it(`parameter gradients of Σ_i f_0(x_i) match central differences (${parameterization})`, () => {
      const net = fromArchitecture({ ...arch, parameterization });
      const x = tensor(new Rng(1).normals(3 * 4), [3, 4]);
      const { params } = net.init(new Rng(2), [4], {});
      const f = () => {
        const y = singleTensor(apply(net, params, x), 'f');
        let s = 0;
        for (let i = 0; i < 3; i++) s += y.data[i * 3]!;
        return s;
      };
      const fw = net.forward(params, x);
      const gy = new Float64Array(9);
      for (let i = 0; i < 3; i++) gy[i * 3] = 1;
      const { grads } = net.backward(params, fw.cache, { data: gy, shape: [3, 3] });
      const analytic = grads.flatMap((g: GradRecord) => g.gradient());
      const arrays = flatParams(params);
      expect(analytic.length).toBe(arrays.length);
      arrays.forEach((arr, a) => {
        for (const idx of [0, Math.floor(arr.length / 2), arr.length - 1]) {
          const old = arr[idx]!;
          const h = 1e-6;
          arr[idx] = old + h;
          const up = f();
          arr[idx] = old - h;
          const down = f();
          arr[idx] = old;
          expect(analytic[a]![idx]!).toBeCloseTo((up - down) / (2 * h), 6);
        }
      });
    });
  }

  it('the contracted empirical NTK equals explicit per-sample gradient dot products, also with spatial positions', () => {
    const net = fromArchitecture({ layers: [{ type: 'dense', width: 6, wStd: 1.4, bStd: 0.3 }, { type: 'relu' }, { type: 'dense', width: 4, bStd: 0.5 }, { type: 'flatten' }, { type: 'dense', width: 2, bStd: 0.2 }] });
    const rng = new Rng(3);
    const x: Tensor = tensor(rng.normals(3 * 5 * 2), [3, 5, 2]);
    const { params } = net.init(new Rng(4), [5, 2], {});
    const emp = empiricalKernels(net, params, x, null, { ntkOutputs: [1] });
    const perSample = [0, 1, 2].map((i) => {
      const xi = tensor(x.data.slice(i * 10, (i + 1) * 10), [1, 5, 2]);
      const fw = net.forward(params, xi);
      const { grads } = net.backward(params, fw.cache, { data: Float64Array.from([0, 1]), shape: [1, 2] });
      return grads.flatMap((g: GradRecord) => g.gradient());
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
