import { describe, expect, it } from 'vitest';
import { type Backend, type Kernel, NonFiniteKernelError, Rng, computeKernel, computeKernelTiled, jsBackend, tensor, wasmBackend } from '@wide/core';
import { fromArchitecture, kernel } from '../src/index.js';

const rng = new Rng(21);
const d = 6;
const batch = (n: number) => tensor(rng.normals(n * d), [n, d]);
/** A batch with a duplicate, a negated and a zero sample (ρ = ±1, zero variance). */
const edgy = () => {
  const x = rng.normals(7 * d);
  x.copyWithin(4 * d, 0, d);
  for (let t = 0; t < d; t++) x[5 * d + t] = -x[d + t]!;
  x.fill(0, 6 * d);
  return tensor(x, [7, d]);
};

const dense = (wStd = 1.3, bStd = 0.2) => ({ type: 'dense', wStd, bStd });
const archs: Record<string, unknown[]> = {
  'relu depth 5': [dense(), ...Array.from({ length: 5 }, () => [{ type: 'relu' }, dense()]).flat()],
  'mixed activations': [dense(), { type: 'erf', a: 1.2, b: 0.7, c: 0.1 }, dense(0.9), { type: 'gelu' }, dense(), { type: 'abs' }, dense(1, 0), { type: 'sin', a: 1, b: 0.8, c: 0.3 }, dense()],
  'polynomial and rectified monomial': [dense(), { type: 'polynomial', coef: [0.1, 1, 0.2] }, dense(), { type: 'rectifiedMonomial', degree: 2 }, dense()],
  'residual, repeat and nested serial': [dense(), { type: 'relu' }, { type: 'residual', layers: [dense(), { type: 'relu' }, dense()] }, { type: 'repeat', n: 2, layers: [dense(), { type: 'leakyRelu', alpha: 0.1 }] }, { type: 'serial', layers: [dense(), { type: 'relu' }] }, dense()],
  'standard parameterisation in the middle': [dense(), { type: 'relu' }, { ...dense(), parameterization: 'standard', width: 32 }, { type: 'relu' }, dense(), { type: 'step' }, dense()],
  'no-native rule in a run': [dense(), { type: 'elementwise', fn: 'tanh' }, dense(), { type: 'relu' }, dense()],
  'zero weights': [dense(0, 0.5), { type: 'relu' }, dense(0, 0), { type: 'erf' }, dense()],
};

const same = (a: Float64Array | null, b: Float64Array | null) => expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
const sameKernel = (a: Kernel, b: Kernel) => {
  same(a.nngp, b.nngp);
  same(a.ntk, b.ntk);
  same(a.var1, b.var1);
  same(a.var2, b.var2);
};

/** The WebAssembly backend without fusion: every layer through its own ops. */
const unfused: Backend = { ...wasmBackend, chain: undefined, name: 'wasm-unfused' };

describe.each(Object.entries(archs))('%s', (_name, layers) => {
  const net = fromArchitecture({ layers });

  it('fused chain = the layers one by one, bit for bit (symmetric and two-batch)', () => {
    const x = edgy();
    const x2 = batch(3);
    sameKernel(computeKernel(net, x, null, { backend: wasmBackend }), computeKernel(net, x, null, { backend: unfused }));
    sameKernel(computeKernel(net, x, x2, { backend: wasmBackend }), computeKernel(net, x, x2, { backend: unfused }));
  });

  // Rules need not be symmetric in (q1, q2) to the last bit (quadrature is not at all), so the
  // lower triangle of the two-batch kernel (computed as rule(qⱼ, qᵢ, c)) may differ from the mirror.
  it.each([jsBackend, wasmBackend])('$name: symmetric = two-batch evaluation of the same samples, upper triangle bit for bit', (backend) => {
    const x = edgy();
    const n = x.shape[0]!;
    const a = computeKernel(net, x, null, { backend });
    const b = computeKernel(net, x, tensor(x.data.slice(), x.shape), { backend });
    const upper = (m: Float64Array) => Array.from(m).filter((_, e) => e % n >= Math.floor(e / n));
    expect(upper(a.nngp)).toEqual(upper(b.nngp));
    expect(upper(a.ntk!)).toEqual(upper(b.ntk!));
    same(a.var1, b.var2);
  });

  it.each([jsBackend, wasmBackend])('$name: tiled = untiled, bit for bit', (backend) => {
    const x = edgy();
    const x2 = batch(5);
    for (const tile of [1, 3, 4]) {
      sameKernel(computeKernelTiled(net, x, null, { backend, tile }), computeKernel(net, x, null, { backend }));
      sameKernel(computeKernelTiled(net, x, x2, { backend, tile }), computeKernel(net, x, x2, { backend }));
    }
  });
});

describe('a single tile is the untiled computation itself', () => {
  it('returns the arrays without copying', () => {
    const net = fromArchitecture({ layers: archs['relu depth 5']! });
    let calls = 0;
    const k = computeKernelTiled(net, batch(9), null, { onProgress: () => calls++ });
    expect(calls).toBe(1);
    expect(k.nngp.length).toBe(81);
  });
});

describe.each([jsBackend, wasmBackend])('non-finite kernels stop with a typed error naming the layer ($name kernels)', (backend) => {
  const x = tensor([1, 2, 3, -1, 0.5, 2, 0, 1, 1], [3, 3]);
  const error = (layers: unknown[], x2: ReturnType<typeof tensor> | null = null) => {
    try {
      kernel({ layers }, x, x2, { backend });
    } catch (e) {
      return e as NonFiniteKernelError;
    }
    throw new Error('expected an error');
  };
  it.each([
    [[{ type: 'dense', wStd: 1e200 }, { type: 'relu' }], 'layers[0] (dense wStd=1e+200, bStd=0): the NNGP overflows to Infinity'],
    [[{ type: 'dense' }, { type: 'erf', a: 1e308 }, { type: 'dense' }], 'layers[1] (erf a=1e+308, b=1, c=0): the NNGP overflows to Infinity'],
    [[{ type: 'dense' }, { type: 'exp', b: 800 }, { type: 'dense' }], 'layers[1] (exp a=1, b=800): the NNGP overflows to Infinity'],
    [[dense(), { type: 'relu' }, { type: 'serial', layers: [{ type: 'dense', wStd: 1e160 }, { type: 'relu' }] }], 'layers[2].layers[0] (dense wStd=1e+160, bStd=0): the NNGP overflows to Infinity'],
    [[dense(), { type: 'repeat', n: 4, layers: [{ type: 'dense', wStd: 1e50 }, { type: 'relu' }] }], 'layers[1].layers[1] (relu, repetition 2): the NNGP overflows to Infinity'],
    [[dense(), { type: 'relu' }, { ...dense(1e160), parameterization: 'standard' }, { type: 'relu' }], 'layers[2] (dense wStd=1e+160, bStd=0.2, standard parameterization): the NNGP overflows to Infinity'],
  ])('%j', (layers, message) => {
    const e = error(layers as unknown[]);
    expect(e).toBeInstanceOf(NonFiniteKernelError);
    expect(e.code).toBe('NON_FINITE');
    expect(e.message).toBe(message);
    // The same through the two-batch path.
    expect(error(layers as unknown[], tensor([0.3, -1, 2], [1, 3])).message).toBe(message);
  });

  it('names the input kernel when the inputs themselves overflow', () => {
    const e = (() => {
      try {
        kernel({ layers: [dense()] }, tensor([1e200, 0, 1], [1, 3]), null, { backend });
      } catch (err) {
        return err as NonFiniteKernelError;
      }
      return null;
    })();
    expect(e?.message).toBe('the input kernel ⟨x, x′⟩/C (inputs too large): the NNGP overflows to Infinity');
  });
});
