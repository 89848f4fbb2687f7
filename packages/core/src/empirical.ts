/**
 * Finite-width kernels: the empirical NNGP (output covariance averaged over output units) and
 * the empirical NTK Θ̂ = J Jᵀ (contracted layer by layer from factorised parameter gradients),
 * and their Monte-Carlo averages over random initialisations.
 * @module
 */
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';
import { ShapeMismatchError } from './errors.js';
import type { KernelName } from './kernel.js';
import type { GradRecord, Layer } from './layer.js';
import { Rng } from './rng.js';
import type { Tensor } from './tensor.js';
import { singleTensor } from './values.js';

/** Empirical kernels of one finite network (n1×n2 row-major matrices). */
export interface EmpiricalKernels {
  nngp: Float64Array | null;
  ntk: Float64Array | null;
  n1: number;
  n2: number;
}

/** Options of {@link empiricalKernels}. */
export interface EmpiricalOptions {
  /** Which kernels (default both). */
  get?: readonly KernelName[];
  /** Output units the NTK is averaged over (default [0]; all units are i.i.d. in the limit). */
  ntkOutputs?: readonly number[];
  /** Backend (default CPU). */
  backend?: Backend;
}

function outputMatrix(y: Tensor, which: string): { rows: number; units: number } {
  if (y.shape.length !== 2) {
    throw new ShapeMismatchError(`empirical kernels need network outputs of shape (n, units), the ${which} output has shape [${y.shape.join(', ')}] (add flatten)`);
  }
  return { rows: y.shape[0]!, units: y.shape[1]! };
}

function oneHotGradient(rows: number, units: number, o: number): Tensor {
  const g = new Float64Array(rows * units);
  for (let i = 0; i < rows; i++) g[i * units + o] = 1;
  return { data: g, shape: [rows, units] };
}

/**
 * The empirical NNGP f(x1)·f(x2)ᵀ / units and NTK (1/|O|) Σ_{o∈O} J_o(x1)·J_o(x2)ᵀ of a finite
 * network with parameters `params`. `x2` null means x1.
 */
export function empiricalKernels(layer: Layer<any, any>, params: unknown, x1: Tensor, x2: Tensor | null = null, options: EmpiricalOptions = {}): EmpiricalKernels {
  const backend = options.backend ?? cpuBackend;
  const get = options.get ?? ['nngp', 'ntk'];
  const fa = layer.forward(params, x1);
  const ya = singleTensor(fa.y, 'the network output');
  const { rows: n1, units } = outputMatrix(ya, 'x1');
  const fb = x2 ? layer.forward(params, x2) : fa;
  const yb = singleTensor(fb.y, 'the network output');
  const n2 = outputMatrix(yb, 'x2').rows;
  const nngp = get.includes('nngp') ? backend.matmulABt(ya.data, yb.data, n1, n2, units, 1 / units) : null;
  let ntk: Float64Array | null = null;
  if (get.includes('ntk')) {
    const outs = options.ntkOutputs ?? [0];
    ntk = new Float64Array(n1 * n2);
    for (const o of outs) {
      if (!(o >= 0 && o < units)) throw new ShapeMismatchError(`ntkOutputs holds ${o}, but the network has ${units} output units`);
      const ga = layer.backward(params, fa.cache, oneHotGradient(n1, units, o)).grads;
      const gb: GradRecord[] = x2 ? layer.backward(params, fb.cache, oneHotGradient(n2, units, o)).grads : ga;
      ga.forEach((rec, r) => {
        const c = rec.contract(gb[r]!, backend);
        for (let i = 0; i < c.length; i++) ntk![i] += c[i]! / outs.length;
      });
    }
  }
  return { nngp, ntk, n1, n2 };
}

/** Options of {@link monteCarloKernel}. */
export interface MonteCarloOptions extends EmpiricalOptions {
  /** Width of every trainable layer (overrides the architecture's widths). */
  width?: number;
  /** Number of random networks averaged (default 16). */
  samples?: number;
  /** Seed; the same seed gives the same estimate everywhere (default 0). */
  seed?: number;
  /** Called after each sample. */
  onProgress?: (done: number, total: number) => void;
}

/** Monte-Carlo estimates with the per-sample spread. */
export interface MonteCarloKernels extends EmpiricalKernels {
  /** Number of networks averaged. */
  samples: number;
}

/**
 * The mean of the empirical NNGP and NTK over `samples` independently initialised finite
 * networks of the given width. Converges to the analytic kernels as width → ∞ (error of order
 * 1/√(width·samples) for the NTK and for the NNGP of a wide readout).
 */
export function monteCarloKernel(layer: Layer<any, any>, x1: Tensor, x2: Tensor | null = null, options: MonteCarloOptions = {}): MonteCarloKernels {
  const samples = options.samples ?? 16;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be an integer ≥ 1, got ${samples}`);
  const root = new Rng(options.seed ?? 0);
  let acc: EmpiricalKernels | null = null;
  const initOpts = options.width === undefined ? {} : { width: options.width };
  for (let s = 0; s < samples; s++) {
    const { params } = layer.init(root.fork(s), x1.shape.slice(1), initOpts);
    const k = empiricalKernels(layer, params, x1, x2, options);
    if (!acc) {
      acc = k;
    } else {
      for (const name of ['nngp', 'ntk'] as const) {
        const a = acc[name];
        const b = k[name];
        if (a && b) for (let i = 0; i < a.length; i++) a[i] += b[i]!;
      }
    }
    options.onProgress?.(s + 1, samples);
  }
  for (const name of ['nngp', 'ntk'] as const) {
    const a = acc![name];
    if (a) for (let i = 0; i < a.length; i++) a[i] /= samples;
  }
  return { ...acc!, samples };
}
