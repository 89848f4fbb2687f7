/**
 * Combinators: serial, parallel, fanOut, fanInSum, fanInProd, fanInConcat, residual, repeat,
 * and the identity layer. Their kernel rules follow neural-tangents `stax` semantics.
 *
 * Every combinator that holds layers lists them in `sublayers` (serial and repeat: the layers in
 * order, parallel: the branches, residual: the layers of its branch), so that layout analysis
 * ({@link spatialLayout}) and the memory estimate see the whole tree.
 * @module
 */
import { InvalidArchitectureError, ShapeMismatchError } from './errors.js';
import type { Kernel } from './kernel.js';
import type { Backward, GradRecord, KernelValue, Layer, ShapeValue, Value } from './layer.js';
import type { spatialLayout } from './layout.js';
import { CHECKS_ITSELF, serialKernel } from './serial-kernel.js';
import type { Tensor } from './tensor.js';
import { addValues, kernelList, sameLayout, shapeList, singleKernel, singleShape, singleTensor, valueList } from './values.js';

/** A layer of any parameter and cache type, as combinators accept them. */
export type AnyLayer = Layer<any, any>;

/** The identity layer: Σ′ = Σ, Θ′ = Θ. */
export function identity(): Layer<null, null> {
  return {
    type: 'identity',
    kernel: (k) => k,
    init: (_rng, s) => ({ params: null, outputShape: s }),
    forward: (_p, x) => ({ y: x, cache: null }),
    backward: (_p, _c, gy) => ({ gx: gy, grads: [] }),
  };
}

/**
 * Composition: the output of each layer feeds the next. Its kernel rule fuses runs of dense and
 * activation layers into one pass when the backend can, and stops with NonFiniteKernelError
 * naming the layer whose kernel overflows or turns NaN (see ./serial-kernel.ts).
 */
export function serial(...layers: AnyLayer[]): Layer<unknown[], unknown[]> {
  const layer: Layer<unknown[], unknown[]> = {
    type: 'serial',
    sublayers: layers,
    kernel: (k, ctx) => serialKernel(layers, k, ctx),
    init(rng, shape, options) {
      const params: unknown[] = [];
      let s = shape;
      layers.forEach((l, i) => {
        const r = l.init(rng.fork(i), s, options);
        params.push(r.params);
        s = r.outputShape;
      });
      return { params, outputShape: s };
    },
    forward(params, x) {
      const caches: unknown[] = [];
      let y = x;
      layers.forEach((l, i) => {
        const r = l.forward(params[i], y);
        caches.push(r.cache);
        y = r.y;
      });
      return { y, cache: caches };
    },
    backward(params, caches, gy) {
      let g = gy;
      const grads: GradRecord[][] = [];
      for (let i = layers.length - 1; i >= 0; i--) {
        const r = layers[i]!.backward(params[i], caches[i], g);
        grads[i] = r.grads;
        g = r.gx;
      }
      return { gx: g, grads: grads.flat() };
    },
  };
  // Marks a rule that checks its own layers (repeat and residual copy it with their spread).
  return Object.assign(layer, { [CHECKS_ITSELF]: true });
}

/** Applies branch b to the b-th input of a list (after fanOut, or for multi-input networks). */
export function parallel(...branches: AnyLayer[]): Layer<unknown[], unknown[]> {
  const check = (n: number) => {
    if (n !== branches.length) throw new ShapeMismatchError(`parallel has ${branches.length} branches but got ${n} inputs`);
  };
  return {
    type: 'parallel',
    sublayers: branches,
    kernel(k, ctx) {
      const ks = kernelList(k, 'parallel');
      check(ks.length);
      return branches.map((b, i) => b.kernel(ks[i]!, ctx));
    },
    init(rng, shape, options) {
      const ss = shapeList(shape, 'parallel');
      check(ss.length);
      const rs = branches.map((b, i) => b.init(rng.fork(i), ss[i]!, options));
      return { params: rs.map((r) => r.params), outputShape: rs.map((r) => r.outputShape) };
    },
    forward(params, x) {
      const xs = valueList(x, 'parallel');
      check(xs.length);
      const rs = branches.map((b, i) => b.forward(params[i], xs[i]!));
      return { y: rs.map((r) => r.y), cache: rs.map((r) => r.cache) };
    },
    backward(params, caches, gy) {
      const gs = valueList(gy, 'parallel');
      const rs = branches.map((b, i) => b.backward(params[i], caches[i], gs[i]!));
      return { gx: rs.map((r) => r.gx), grads: rs.flatMap((r) => r.grads) };
    },
  };
}

/** Copies its input into `n` perfectly correlated branches. */
export function fanOut(n: number): Layer<null, null> {
  if (!Number.isInteger(n) || n < 1) throw new InvalidArchitectureError('n', `expected an integer ≥ 1, got ${n}`);
  return {
    type: 'fanOut',
    kernel: (k) => {
      const single = singleKernel(k, 'fanOut');
      return Array.from({ length: n }, () => ({ ...single, owned: false }));
    },
    init: (_r, s) => ({ params: null, outputShape: Array.from({ length: n }, () => singleShape(s, 'fanOut')) }),
    forward: (_p, x) => ({ y: Array.from({ length: n }, () => singleTensor(x, 'fanOut')), cache: null }),
    backward: (_p, _c, gy): Backward => {
      const gs = valueList(gy, 'fanOut');
      return { gx: gs.reduce((a, b) => addValues(a, b)), grads: [] };
    },
  };
}

function fanInKernels(k: KernelValue, where: string): Kernel[] {
  const ks = kernelList(k, where).map((x, i) => singleKernel(x, `${where} branch ${i}`));
  sameLayout(ks, where);
  return ks;
}

function fanInTensors(x: Value, where: string): Tensor[] {
  const xs = valueList(x, where).map((v, i) => singleTensor(v, `${where} branch ${i}`));
  for (const t of xs) {
    if (t.data.length !== xs[0]!.data.length && where !== 'fanInConcat') {
      throw new ShapeMismatchError(`${where}: branch shapes [${t.shape.join(', ')}] and [${xs[0]!.shape.join(', ')}] differ`);
    }
  }
  return xs;
}

function sumArrays(arrays: Float64Array[]): Float64Array {
  const out = Float64Array.from(arrays[0]!);
  for (let b = 1; b < arrays.length; b++) {
    const a = arrays[b]!;
    for (let i = 0; i < out.length; i++) out[i] += a[i]!;
  }
  return out;
}

function equalShapes(ss: ShapeValue[], where: string): readonly number[] {
  const s0 = singleShape(ss[0]!, where);
  for (const s of ss) {
    if (singleShape(s, where).join() !== s0.join()) throw new ShapeMismatchError(`${where}: branch shapes [${s.join(', ')}] and [${s0.join(', ')}] differ`);
  }
  return s0;
}

/**
 * Sums branches: Σ′ = Σ_b Σ_b, Θ′ = Σ_b Θ_b. Exact when the branches are uncorrelated, which holds
 * when all but one branch end in a random affine layer (as in residual blocks); like
 * neural-tangents, this is assumed, not checked. Gaussian iff every branch is.
 */
export function fanInSum(): Layer<null, number> {
  return {
    type: 'fanInSum',
    kernel(k) {
      const ks = fanInKernels(k, 'fanInSum');
      const ch = ks[0]!.channels;
      if (ks.some((x) => x.channels !== ch)) throw new ShapeMismatchError(`fanInSum: branches have different channel counts (${ks.map((x) => x.channels).join(', ')})`);
      const var1 = sumArrays(ks.map((x) => x.var1));
      return {
        ...ks[0]!,
        nngp: sumArrays(ks.map((x) => x.nngp)),
        ntk: ks[0]!.ntk ? sumArrays(ks.map((x) => x.ntk!)) : null,
        var1,
        var2: ks[0]!.x1IsX2 ? var1 : sumArrays(ks.map((x) => x.var2)),
        isGaussian: ks.every((x) => x.isGaussian),
        owned: true,
      };
    },
    init: (_r, s) => ({ params: null, outputShape: equalShapes(shapeList(s, 'fanInSum'), 'fanInSum') }),
    forward(_p, x) {
      const xs = fanInTensors(x, 'fanInSum');
      return { y: { data: sumArrays(xs.map((t) => t.data)), shape: xs[0]!.shape }, cache: xs.length };
    },
    backward: (_p, branches, gy): Backward => ({ gx: Array.from({ length: branches }, () => gy), grads: [] }),
  };
}

/**
 * Multiplies branches elementwise: Σ′ = Π_b Σ_b, Θ′ = Σ_b Θ_b Π_{b′≠b} Σ_b′ (product rule);
 * assumes independent branches; the output is not Gaussian.
 */
export function fanInProd(): Layer<null, Tensor[]> {
  const prodExcept = (arrs: Float64Array[], skip: number): Float64Array => {
    const out = new Float64Array(arrs[0]!.length).fill(1);
    arrs.forEach((a, b) => {
      if (b === skip) return;
      for (let i = 0; i < out.length; i++) out[i] *= a[i]!;
    });
    return out;
  };
  return {
    type: 'fanInProd',
    kernel(k) {
      const ks = fanInKernels(k, 'fanInProd');
      const nn = ks.map((x) => x.nngp);
      let ntk: Float64Array | null = null;
      if (ks[0]!.ntk) {
        ntk = new Float64Array(nn[0]!.length);
        ks.forEach((x, b) => {
          const others = prodExcept(nn, b);
          for (let i = 0; i < ntk!.length; i++) ntk![i] += x.ntk![i]! * others[i]!;
        });
      }
      const var1 = prodExcept(ks.map((x) => x.var1), -1);
      return {
        ...ks[0]!,
        nngp: prodExcept(nn, -1),
        ntk,
        var1,
        var2: ks[0]!.x1IsX2 ? var1 : prodExcept(ks.map((x) => x.var2), -1),
        isGaussian: false,
        owned: true,
      };
    },
    init: (_r, s) => ({ params: null, outputShape: equalShapes(shapeList(s, 'fanInProd'), 'fanInProd') }),
    forward(_p, x) {
      const xs = fanInTensors(x, 'fanInProd');
      return { y: { data: prodExcept(xs.map((t) => t.data), -1), shape: xs[0]!.shape }, cache: xs };
    },
    backward(_p, xs, gy) {
      const g = singleTensor(gy, 'fanInProd');
      const data = xs.map((t) => t.data);
      return {
        gx: xs.map((t, b) => {
          const o = prodExcept(data, b);
          for (let i = 0; i < o.length; i++) o[i] *= g.data[i]!;
          return { data: o, shape: t.shape };
        }),
        grads: [],
      };
    },
  };
}

/**
 * Concatenates branches along the channel axis: Σ′ = Σ_b C_b Σ_b / Σ_b C_b (channel-weighted
 * mean), Θ′ likewise. The output is not Gaussian (its units follow different kernels).
 */
export function fanInConcat(): Layer<null, number[]> {
  return {
    type: 'fanInConcat',
    kernel(k) {
      const ks = fanInKernels(k, 'fanInConcat');
      const total = ks.reduce((s, x) => s + x.channels, 0);
      const mix = (get: (x: Kernel) => Float64Array): Float64Array => {
        const out = new Float64Array(get(ks[0]!).length);
        for (const x of ks) {
          const a = get(x);
          const w = x.channels / total;
          for (let i = 0; i < out.length; i++) out[i] += w * a[i]!;
        }
        return out;
      };
      const var1 = mix((x) => x.var1);
      return {
        ...ks[0]!,
        nngp: mix((x) => x.nngp),
        ntk: ks[0]!.ntk ? mix((x) => x.ntk!) : null,
        var1,
        var2: ks[0]!.x1IsX2 ? var1 : mix((x) => x.var2),
        channels: total,
        isGaussian: false,
        owned: true,
      };
    },
    init(_r, s) {
      const ss = shapeList(s, 'fanInConcat').map((x) => singleShape(x, 'fanInConcat'));
      const lead = ss[0]!.slice(0, -1);
      for (const x of ss) {
        if (x.slice(0, -1).join() !== lead.join()) throw new ShapeMismatchError('fanInConcat: branches differ in spatial shape');
      }
      return { params: null, outputShape: [...lead, ss.reduce((a, x) => a + x[x.length - 1]!, 0)] };
    },
    forward(_p, x) {
      const xs = fanInTensors(x, 'fanInConcat');
      const chans = xs.map((t) => t.shape[t.shape.length - 1]!);
      const total = chans.reduce((a, b) => a + b, 0);
      const rows = xs[0]!.data.length / chans[0]!;
      const out = new Float64Array(rows * total);
      let off = 0;
      xs.forEach((t, b) => {
        const c = chans[b]!;
        for (let r = 0; r < rows; r++) out.set(t.data.subarray(r * c, (r + 1) * c), r * total + off);
        off += c;
      });
      return { y: { data: out, shape: [...xs[0]!.shape.slice(0, -1), total] }, cache: chans };
    },
    backward(_p, chans, gy) {
      const g = singleTensor(gy, 'fanInConcat');
      const total = chans.reduce((a, b) => a + b, 0);
      const rows = g.data.length / total;
      let off = 0;
      const gx = chans.map((c) => {
        const d = new Float64Array(rows * c);
        for (let r = 0; r < rows; r++) d.set(g.data.subarray(r * total + off, r * total + off + c), r * c);
        off += c;
        return { data: d, shape: [...g.shape.slice(0, -1), c] };
      });
      return { gx, grads: [] };
    },
  };
}

/** A residual block x ↦ x + f(x): fanOut(2) → parallel(identity, serial(layers)) → fanInSum. */
export function residual(...layers: AnyLayer[]): Layer<unknown[], unknown[]> {
  const l = serial(fanOut(2), parallel(identity(), serial(...layers)), fanInSum());
  return { ...l, type: 'residual', sublayers: layers };
}

/**
 * `layers` repeated `n` times in series. Each repetition gets its own independently drawn
 * parameters in the finite network (no weight sharing), which is what the kernel rule describes.
 */
export function repeat(n: number, ...layers: AnyLayer[]): Layer<unknown[], unknown[]> {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArchitectureError('n', `expected an integer ≥ 0, got ${n}`);
  const block = serial(...layers);
  const l = serial(...Array.from({ length: n }, () => block));
  // Layout analysis looks at the block once (an empty repeat runs none of it).
  return { ...l, type: 'repeat', sublayers: n > 0 ? layers : [] };
}
