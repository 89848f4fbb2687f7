/**
 * Scalar activations for the random-matrix formulas: σ, its derivative where it is a function, and
 * where σ jumps or kinks (for quadrature split at those points, and to tell which Gaussian moments
 * exist: E[σ′(ξ)²] does not when σ jumps, since σ′ then holds a delta). Built from names, from
 * Wide's activation layers (`@wide/layers`) or from any function.
 * @module
 */
import { InvalidArchitectureError } from '@wide/core';
import { erfFn, namedFunctions } from '@wide/layers';
import { InvalidRequestError } from '../errors.js';

/** An activation σ: ℝ → ℝ. */
export interface ScalarActivation {
  /** A name for messages, e.g. `relu` or `arctan/0.6706`. */
  readonly name: string;
  /** σ. */
  readonly fn: (x: number) => number;
  /** σ′ wherever it is a function (between kinks and jumps); central differences of σ when absent. */
  readonly dfn?: (x: number) => number;
  /** Points where σ is continuous but σ′ jumps (ReLU at 0). */
  readonly kinks?: readonly number[];
  /** Points where σ itself jumps (sign, step at 0): σ′ holds a delta there. */
  readonly jumps?: readonly number[];
}

/** The points where σ or σ′ is not smooth (quadrature breaks). */
export const breaksOf = (a: ScalarActivation): number[] => [...(a.kinks ?? []), ...(a.jumps ?? [])];

/** σ′ of an activation: its own, or a central difference of σ (relative error ≈ 1e-10 for smooth σ). */
export function derivativeOf(a: ScalarActivation): (x: number) => number {
  if (a.dfn) return a.dfn;
  const f = a.fn;
  return (x) => {
    const h = 1e-5 * Math.max(1, Math.abs(x));
    return (f(x + h) - f(x - h)) / (2 * h);
  };
}

/** An activation from a function; options give σ′, kinks and jumps. */
export function activationFrom(name: string, fn: (x: number) => number, options: { dfn?: (x: number) => number; kinks?: readonly number[]; jumps?: readonly number[] } = {}): ScalarActivation {
  return { name, fn, ...options };
}

const sigmoid = namedFunctions['sigmoid']!;

/** The activations of Gu et al. (2022), Tables 1–2, Fan & Wang (2020), Figure 1, and Wide's JSON vocabulary, by name. */
export const activations = {
  /** max(t, 0). */
  relu: (): ScalarActivation => ({ name: 'relu', fn: (x) => (x > 0 ? x : 0), dfn: (x) => (x > 0 ? 1 : 0), kinks: [0] }),
  /** t for t ≥ 0, α·t for t < 0 (Gu et al.'s Table 1 label for "LReLU" with α = 0.1). */
  leakyRelu: (alpha = 0.01): ScalarActivation => ({ name: `leakyRelu(${alpha})`, fn: (x) => (x > 0 ? x : alpha * x), dfn: (x) => (x > 0 ? 1 : alpha), kinks: [0] }),
  /** a·max(t, 0) + b·max(−t, 0): Wide's `abRelu` convention is a·min(t,0)+b·max(t,0); this is the V-shaped function of the Lossless_Compression code's `LReLU(coe1=a, coe2=b)`, which produced the printed "LReLU" rows of Gu et al.'s Tables 1–2 with (a, b) = (0.1, 1) (reference note §1.12). */
  vRelu: (a: number, b: number): ScalarActivation => ({ name: `vRelu(${a}, ${b})`, fn: (x) => (x > 0 ? a * x : -b * x), dfn: (x) => (x > 0 ? a : -b), kinks: [0] }),
  /** |t|. */
  abs: (): ScalarActivation => ({ name: 'abs', fn: Math.abs, dfn: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), kinks: [0] }),
  /** 1{t ≥ 0}. */
  step: (): ScalarActivation => ({ name: 'step', fn: (x) => (x >= 0 ? 1 : 0), dfn: () => 0, jumps: [0] }),
  /** sign(t). */
  sign: (): ScalarActivation => ({ name: 'sign', fn: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), dfn: () => 0, jumps: [0] }),
  /** 1/(1 + e^{−t}). */
  sigmoid: (): ScalarActivation => ({ name: 'sigmoid', fn: sigmoid.fn, dfn: sigmoid.dfn }),
  /** tanh t. */
  tanh: (): ScalarActivation => ({ name: 'tanh', fn: Math.tanh, dfn: (x) => 1 - Math.tanh(x) ** 2 }),
  /** arctan t (Fan & Wang's Figure 1 uses arctan/c, normalised). */
  arctan: (): ScalarActivation => ({ name: 'arctan', fn: Math.atan, dfn: (x) => 1 / (1 + x * x) }),
  /** erf t. */
  erf: (): ScalarActivation => ({ name: 'erf', fn: erfFn, dfn: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) }),
  /** sin t. */
  sin: (): ScalarActivation => ({ name: 'sin', fn: Math.sin, dfn: Math.cos }),
  /** cos t. */
  cos: (): ScalarActivation => ({ name: 'cos', fn: Math.cos, dfn: (x) => -Math.sin(x) }),
  /** t. */
  identity: (): ScalarActivation => ({ name: 'identity', fn: (x) => x, dfn: () => 1 }),
  /** Σ_k coef[k]·t^k (e.g. Gu et al.'s poly(t) = 0.2t² + t is [0, 1, 0.2]). */
  polynomial: (coef: readonly number[]): ScalarActivation => ({
    name: `polynomial[${coef.join(', ')}]`,
    fn: (x) => coef.reduceRight((acc, c) => acc * x + c, 0),
    dfn: (x) => coef.slice(1).reduceRight((acc, c, i) => acc * x + (i + 1) * c, 0),
  }),
  /** log(1 + e^t). */
  softplus: (): ScalarActivation => ({ name: 'softplus', fn: namedFunctions['softplus']!.fn, dfn: namedFunctions['softplus']!.dfn }),
  /** t·Φ(t). */
  gelu: (): ScalarActivation => ({ name: 'gelu', fn: namedFunctions['gelu']!.fn, dfn: namedFunctions['gelu']!.dfn }),
  /** t·sigmoid(t). */
  silu: (): ScalarActivation => ({ name: 'silu', fn: namedFunctions['silu']!.fn, dfn: namedFunctions['silu']!.dfn }),
} as const;

/** σ(s·x) (a dense layer's wStd = s folded into the activation). */
export function scaledInput(a: ScalarActivation, s: number): ScalarActivation {
  if (s === 1) return a;
  const d = derivativeOf(a);
  return {
    name: `${a.name}(${s}·x)`,
    fn: (x) => a.fn(s * x),
    dfn: (x) => s * d(s * x),
    ...(a.kinks ? { kinks: s !== 0 ? a.kinks.map((k) => k / s) : [] } : {}),
    ...(a.jumps ? { jumps: s !== 0 ? a.jumps.map((k) => k / s) : [] } : {}),
  };
}

/** An activation layer of `@wide/layers` (an object with `type`, `fn`, `dfn` and a pair `rule`). */
export interface ActivationLayerLike {
  readonly type: string;
  readonly describe?: string;
  readonly fn?: (x: number) => number;
  readonly dfn?: (x: number) => number;
  readonly rule?: { readonly id: string; readonly params: readonly number[] };
}

/**
 * The activation of a Wide activation layer (`relu()`, `erf(a, b, c)`, … or one built from the
 * architecture JSON). Kinks and jumps come from the layer's closed form: `abRelu` (relu, leakyRelu,
 * abs) and `rectifiedMonomial` kink at 0 (degree 0 is step, which jumps), `sign` and `step` jump at
 * 0; the others are smooth. A numerical `elementwise` layer is taken as smooth.
 */
export function activationFromLayer(layer: ActivationLayerLike, path = 'layer'): ScalarActivation {
  if (typeof layer.fn !== 'function' || !layer.rule) throw new InvalidArchitectureError(path, `expected an activation layer, got ${layer.type}`);
  const id = layer.rule.id;
  const name = layer.describe ?? layer.type;
  const kinks = id === 'abRelu' || (id === 'rectifiedMonomial' && layer.rule.params[0] !== 0) ? [0] : undefined;
  const jumps = id === 'sign' || id === 'step' || (id === 'rectifiedMonomial' && layer.rule.params[0] === 0) ? [0] : undefined;
  return { name, fn: layer.fn, ...(layer.dfn ? { dfn: layer.dfn } : {}), ...(kinks ? { kinks } : {}), ...(jumps ? { jumps } : {}) };
}

/** One activation or one per layer → exactly `depth` activations (errors name `activations`). */
export function perLayer(acts: ScalarActivation | readonly ScalarActivation[], depth: number): ScalarActivation[] {
  if (!Array.isArray(acts)) return Array.from({ length: depth }, () => acts as ScalarActivation);
  const list = acts as readonly ScalarActivation[];
  if (list.length !== depth) throw new InvalidRequestError('activations', `expected one activation or ${depth} (one per layer), got ${list.length}`);
  list.forEach((a, i) => {
    if (!a || typeof a.fn !== 'function') throw new InvalidRequestError(`activations[${i}]`, 'expected an activation with a function fn');
  });
  return [...list];
}
