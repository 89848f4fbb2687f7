/**
 * elementwise(fn): any nonlinearity by numerical integration — 2-D Gauss–Hermite quadrature of
 * `degree`² points for smooth φ (spectrally accurate), or, when `kinks` are given, composite
 * Gauss–Legendre split at the kinks. Named smooth functions: tanh, sigmoid, softplus, silu,
 * erf, gelu, atan (arctan: Fan & Wang 2020's Figure 1 activation, normalised there); or a user-supplied JS function with an optional derivative (central differences
 * otherwise, relative error ≈ 1e-10 for smooth φ).
 * @module
 */
import { type PairRule, InvalidArchitectureError, gaussianExpectation2D, gaussianExpectationSplit } from '@wide/core';
import { activation } from '../activation.js';
import { erfFn } from './erf.js';

/** A named function with its derivative. */
export interface NamedFunction {
  readonly fn: (x: number) => number;
  readonly dfn: (x: number) => number;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The functions `elementwise` knows by name. */
export const namedFunctions: Readonly<Record<string, NamedFunction>> = {
  tanh: { fn: Math.tanh, dfn: (x) => 1 - Math.tanh(x) ** 2 },
  sigmoid: { fn: sigmoid, dfn: (x) => sigmoid(x) * (1 - sigmoid(x)) },
  softplus: { fn: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), dfn: sigmoid },
  silu: { fn: (x) => x * sigmoid(x), dfn: (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x))) },
  erf: { fn: erfFn, dfn: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) },
  gelu: {
    fn: (x) => 0.5 * x * (1 + erfFn(x / Math.SQRT2)),
    dfn: (x) => 0.5 * (1 + erfFn(x / Math.SQRT2)) + (x / Math.sqrt(2 * Math.PI)) * Math.exp(-0.5 * x * x),
  },
  // arctan, with arctan′(x) = 1/(1 + x²).
  atan: { fn: Math.atan, dfn: (x) => 1 / (1 + x * x) },
};

/** Options of {@link elementwise}. */
export interface ElementwiseOptions {
  /** A name from {@link namedFunctions}, or φ itself. */
  fn: string | ((x: number) => number);
  /** φ′ for a user function (central differences if absent). */
  dfn?: (x: number) => number;
  /** Gauss–Hermite degree (points per axis), default 40. */
  degree?: number;
  /** Points where φ (or φ′) has a kink or jump: switches to split composite quadrature. */
  kinks?: readonly number[];
}

function centralDifference(f: (x: number) => number): (x: number) => number {
  return (x) => {
    const h = 1e-5 * Math.max(1, Math.abs(x));
    return (f(x + h) - f(x - h)) / (2 * h);
  };
}

/** The numerical pair rule of φ. */
export function quadratureRule(fn: (x: number) => number, dfn: (x: number) => number, degree = 40, kinks?: readonly number[]): PairRule {
  const E = kinks && kinks.length > 0
    ? (f: (x: number) => number, q1: number, q2: number, c: number) => gaussianExpectationSplit(f, f, q1, q2, c, { kinksF: kinks, kinksG: kinks })
    : (f: (x: number) => number, q1: number, q2: number, c: number) => gaussianExpectation2D(f, f, q1, q2, c, degree);
  return {
    id: 'quadrature',
    params: [degree],
    nngp: (q1, q2, c) => E(fn, q1, q2, c),
    dnngp: (q1, q2, c) => E(dfn, q1, q2, c),
  };
}

/** An activation whose kernel is computed by quadrature. */
export function elementwise(options: ElementwiseOptions) {
  const degree = options.degree ?? 40;
  if (!Number.isInteger(degree) || degree < 2 || degree > 180) throw new InvalidArchitectureError('degree', `expected an integer in [2, 180], got ${degree}`);
  let named: NamedFunction;
  if (typeof options.fn === 'string') {
    const n = namedFunctions[options.fn];
    if (!n) throw new InvalidArchitectureError('fn', `unknown function "${options.fn}" (known: ${Object.keys(namedFunctions).join(', ')})`);
    named = n;
  } else {
    const f = options.fn;
    named = { fn: f, dfn: options.dfn ?? centralDifference(f) };
  }
  return activation({ type: 'elementwise', rule: quadratureRule(named.fn, named.dfn, degree, options.kinks), fn: named.fn, dfn: named.dfn });
}
