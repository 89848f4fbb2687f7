import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  type Layer,
  InvalidArchitectureError,
  Rng,
  computeKernel,
  fanInSum,
  fanOut,
  identity,
  jsBackend,
  layersNeedingPositionPairs,
  parallel,
  repeat,
  residual,
  resolveLayout,
  serial,
  spatialLayout,
  tensor,
  wasmBackend,
} from '../src/index.js';
import { avgPool, conv, dense, firstDifference, flatten, globalAvgPool, relErr, relu, windowSpec } from './spatial-helpers.js';

describe('layout analysis', () => {
  it('combinators list the layers they hold in `sublayers`', () => {
    const [a, b, c] = [conv(3), relu(), flatten()];
    expect(serial(a, b, c).sublayers).toEqual([a, b, c]);
    expect(parallel(a, b).sublayers).toEqual([a, b]);
    expect(residual(a, b).sublayers).toEqual([a, b]);
    expect(repeat(3, a, b).sublayers).toEqual([a, b]);
    expect(repeat(0, a, b).sublayers).toEqual([]);
    expect(fanOut(2).sublayers).toBeUndefined();
  });

  it('full iff some layer anywhere in the tree needs position pairs', () => {
    const cnnV = serial(conv(3), relu(), conv(3), relu(), flatten(), dense());
    expect(spatialLayout(cnnV)).toBe('diagonal');
    expect(spatialLayout(serial(conv(3), relu(), globalAvgPool(), dense()))).toBe('full');
    // Nested: a pooling deep inside a residual inside a parallel branch inside a repeat.
    const pool = avgPool(2);
    const deep = serial(conv(3), repeat(2, fanOut(2), parallel(identity(), residual(conv(3), relu(), pool)), fanInSum()), flatten());
    expect(spatialLayout(deep)).toBe('full');
    expect(layersNeedingPositionPairs(deep)).toEqual([pool]);
    // The same tree without the pooling, and a pooling that never runs (repeat 0 times).
    expect(spatialLayout(serial(conv(3), repeat(2, fanOut(2), parallel(identity(), residual(conv(3), relu())), fanInSum()), flatten()))).toBe('diagonal');
    expect(spatialLayout(serial(conv(3), repeat(0, avgPool(2)), flatten()))).toBe('diagonal');
  });

  it("'diagonal' on a network that needs pairs is an InvalidArchitectureError naming the layer type; unknown options too", () => {
    const net = serial(conv(3), relu(), residual(conv(3), globalAvgPool()));
    expect(resolveLayout(net, 'auto')).toBe('full');
    expect(resolveLayout(net, 'full')).toBe('full');
    expect(() => resolveLayout(net, 'diagonal')).toThrow(InvalidArchitectureError);
    expect(() => resolveLayout(net, 'diagonal')).toThrow(
      "layout: 'diagonal' keeps only same-position covariances, but globalAvgPool needs covariances between different positions; use layout 'full' or 'auto'",
    );
    expect(() => resolveLayout(net, 'sparse' as never)).toThrow(/layout: expected 'auto', 'diagonal' or 'full', got "sparse"/);
    const x = tensor(new Rng(1).normals(2 * 4 * 4 * 2), [2, 4, 4, 2]);
    expect(() => computeKernel(net, x, null, { layout: 'diagonal', backend: jsBackend })).toThrow(/globalAvgPool needs covariances between different positions/);
  });
});

describe('computeKernel on either layout', () => {
  const rng = new Rng(31);

  it('global average pooling of the input kernel is the Gram of the position means (auto picks full)', () => {
    const [n, H, W, C] = [3, 3, 4, 2];
    const x = tensor(rng.normals(n * H * W * C), [n, H, W, C]);
    const k = computeKernel(globalAvgPool(), x, null, { backend: jsBackend });
    expect(k.spatial).toEqual([]);
    const mean = (i: number) => Array.from({ length: C }, (_, c) => {
      let s = 0;
      for (let p = 0; p < H * W; p++) s += x.data[(i * H * W + p) * C + c]!;
      return s / (H * W);
    });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = mean(i);
        const b = mean(j);
        expect(k.nngp[i * n + j]).toBeCloseTo(a.reduce((s, v, c) => s + v * b[c]!, 0) / C, 14);
      }
      expect(k.var1[i]).toBe(k.nngp[i * n + i]);
    }
  });

  // CNN-V architectures: convolutions (strides, dilation, SAME / VALID / CIRCULAR) and ReLUs, then flatten
  // and dense. The full layout is the oracle of the diagonal one.
  const arbCnnV = fc.record({
    rank: fc.integer({ min: 1, max: 2 }),
    convs: fc.array(
      fc.record({ size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), dilation: fc.integer({ min: 1, max: 2 }), padding: fc.constantFrom('SAME', 'VALID', 'CIRCULAR' as const), relu: fc.boolean() }),
      { minLength: 1, maxLength: 3 },
    ),
    n: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 9999 }),
  });

  /** The network; a VALID convolution whose window does not fit what is left becomes SAME. */
  const build = (spatial: number[], convs: { size: number; stride: number; dilation: number; padding: 'SAME' | 'VALID' | 'CIRCULAR'; relu: boolean }[]): Layer<any, any> => {
    const layers: Layer<any, any>[] = [];
    let shape = spatial;
    for (const c of convs) {
      const fits = shape.every((s) => (c.size - 1) * c.dilation + 1 <= s);
      const padding = c.padding === 'VALID' && !fits ? 'SAME' : c.padding;
      layers.push(conv(c.size, { ...c, padding }));
      shape = windowSpec(shape, c.size, c.stride, c.dilation, padding).axes.map((a) => a.out);
      if (c.relu) layers.push(relu());
    }
    return serial(...layers, flatten(), dense());
  };

  it.each([
    ['js', jsBackend, 0],
    ['wasm', wasmBackend, 1e-12],
  ] as [string, Backend, number][])('diagonal path = full path on random CNN-V networks (%s backend, relative tolerance %s)', (_name, backend, tol) => {
    fc.assert(
      fc.property(arbCnnV, ({ rank, convs, n, seed }) => {
        const r = new Rng(seed);
        const spatial = rank === 1 ? [7] : [5, 4];
        const per = spatial.reduce((a, b) => a * b, 1) * 2;
        const x1 = tensor(r.normals(n * per), [n, ...spatial, 2]);
        const x2 = tensor(r.normals(2 * per), [2, ...spatial, 2]);
        const net = build(spatial, convs);
        for (const b of [null, x2]) {
          const d = computeKernel(net, x1, b, { backend, layout: 'auto' });
          const f = computeKernel(net, x1, b, { backend, layout: 'full' });
          expect(d.diagonalSpatial).toBe(true);
          for (const [u, v] of [[f.nngp, d.nngp], [f.ntk!, d.ntk!], [f.var1, d.var1], [f.var2, d.var2]] as const) {
            if (tol === 0) expect(firstDifference(u, v)).toBe(-1);
            else expect(relErr(u, v)).toBeLessThanOrEqual(tol);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('fully-connected networks give the same kernels on both layouts (P = 1)', () => {
    const x = tensor(rng.normals(5 * 4), [5, 4]);
    const net = serial(dense(), relu(), dense());
    const d = computeKernel(net, x, null, { backend: jsBackend });
    const f = computeKernel(net, x, null, { backend: jsBackend, layout: 'full' });
    expect(firstDifference(f.nngp, d.nngp)).toBe(-1);
    expect(firstDifference(f.ntk!, d.ntk!)).toBe(-1);
  });
});
