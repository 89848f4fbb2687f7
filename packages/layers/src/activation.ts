/**
 * The shared machinery of elementwise nonlinearities: kernel rule Σ′ = E[φ(u)φ(v)],
 * Θ′ = Σ̇ ⊙ Θ with Σ̇ = E[φ′(u)φ′(v)] (conventions §1), finite forward y = φ(x) and backward
 * gx = φ′(x) ⊙ gy.
 * @module
 */
import { type Layer, type PairRule, type Tensor, NonGaussianInputError, positionsOf, singleKernel, singleTensor } from '@wide/core';

/** Everything that defines an elementwise activation layer. */
export interface ActivationDefinition {
  /** Layer type as in the architecture JSON. */
  readonly type: string;
  /** The closed-form (or numerical) kernel rule. */
  readonly rule: PairRule;
  /** φ. */
  readonly fn: (x: number) => number;
  /** φ′ (0 where the derivative is a delta, as for sign and step). */
  readonly dfn: (x: number) => number;
  /** The type and parameters in one line for error messages (default: from the type and the rule's params). */
  readonly describe?: string;
}

/** A number in a description: at most 12 significant digits (so that c + π/2 − π/2 reads as c). */
const num = (v: number) => String(Number(v.toPrecision(12)));

/** The JSON fields of each activation type, recovered from its rule's params. */
const FIELDS: Record<string, (p: readonly number[]) => [string, number | string][]> = {
  leakyRelu: (p) => [['alpha', p[0]!]],
  abRelu: (p) => [['a', p[0]!], ['b', p[1]!]],
  erf: (p) => [['a', p[0]!], ['b', p[1]!], ['c', p[2]!]],
  sin: (p) => [['a', p[0]!], ['b', p[1]!], ['c', p[2]!]],
  cos: (p) => [['a', p[0]!], ['b', p[1]!], ['c', p[2]! - Math.PI / 2]],
  rbf: (p) => [['gamma', (p[1]! * p[1]!) / 2]],
  exp: (p) => [['a', p[0]!], ['b', p[1]!]],
  gaussian: (p) => [['a', p[0]!], ['b', p[1]!]],
  monomial: (p) => [['degree', p.length - 1]],
  polynomial: (p) => [['coef', `[${p.map(num).join(', ')}]`]],
  rectifiedMonomial: (p) => [['degree', p[0]!]],
  elementwise: (p) => [['degree', p[0]!]],
};

/** `type a=…, b=…` for an activation (just the type when it has no fields). */
export function describeActivation(type: string, params: readonly number[]): string {
  const fields = FIELDS[type]?.(params) ?? [];
  return fields.length ? `${type} ${fields.map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : v}`).join(', ')}` : type;
}

/** An elementwise nonlinearity layer built from its definition. */
export function activation(def: ActivationDefinition): Layer<null, Tensor> & { readonly rule: PairRule; readonly fn: (x: number) => number; readonly dfn: (x: number) => number } {
  const { type, rule, fn, dfn } = def;
  return {
    type,
    describe: def.describe ?? describeActivation(type, rule.params),
    chainStep: { kind: 'pair', rule },
    rule,
    fn,
    dfn,
    kernel(kv, { backend }) {
      const k = singleKernel(kv, type);
      if (!k.isGaussian) {
        throw new NonGaussianInputError(
          `${type} needs a Gaussian input (the output of a random affine layer such as dense), but it follows a layer whose output is not Gaussian (another nonlinearity, flatten of a spatial input, a product or a concatenation)`,
        );
      }
      const layout = { n1: k.n1, n2: k.n2, positions: positionsOf(k), diagonalSpatial: k.diagonalSpatial, symmetric: k.x1IsX2 };
      const r = backend.pairMap(rule, layout, k.nngp, k.ntk, k.var1, k.var2, k.owned);
      return { ...k, nngp: r.nngp, ntk: r.ntk, var1: r.var1, var2: k.x1IsX2 ? r.var1 : r.var2, isGaussian: false, owned: true };
    },
    init: (_rng, shape) => ({ params: null, outputShape: shape }),
    forward(_p, xv) {
      const x = singleTensor(xv, type);
      const y = new Float64Array(x.data.length);
      for (let i = 0; i < y.length; i++) y[i] = fn(x.data[i]!);
      return { y: { data: y, shape: x.shape }, cache: x };
    },
    backward(_p, x, gyv) {
      const gy = singleTensor(gyv, type);
      const g = new Float64Array(gy.data.length);
      for (let i = 0; i < g.length; i++) g[i] = dfn(x.data[i]!) * gy.data[i]!;
      return { gx: { data: g, shape: x.shape }, grads: [] };
    },
  };
}

/** Correlation ρ = c/√(q1·q2) clamped to [−1, 1]; 0 when a variance is 0. */
export function correlation(q1: number, q2: number, c: number): number {
  const p = q1 * q2;
  if (!(p > 0)) return 0;
  const r = c / Math.sqrt(p);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** √(1 − ρ²) computed as √((1−ρ)(1+ρ)) (accurate near |ρ| = 1). */
export function sinOfAngle(rho: number): number {
  return Math.sqrt(Math.max(0, (1 - rho) * (1 + rho)));
}
