/**
 * The native (WebAssembly) forms of the closed-form pair rules: {@link nativeRule} maps a
 * {@link PairRule} (its `id` and `params`) to the numeric id of assembly/rules/dispatch.ts and the
 * f64 params block its vector rule reads (per-layer constants precomputed here: a², 2b², cos 2c0,
 * the expanded polynomial and arc-cosine terms); {@link nativeRulePrecheck} throws, from the
 * variances alone (O(n)), the error the JS rule would throw (the wasm rule gives NaN there);
 * {@link wasmRuleBatch} and {@link wasmMathBatch} are test hooks.
 *
 * The term expansions repeat those of packages/layers/src/activations/polynomial.ts and
 * rectified-monomial.ts (@wide/core cannot import @wide/layers), in the same order, so the sums
 * round alike; packages/layers/test/wasm-rules.test.ts checks the two against each other.
 * @module
 */
import type { PairRule } from '../../backend.js';
import { WideError } from '../../errors.js';
import { arcCosineTerms, polynomialMomentTerms } from '../../gaussian-moments.js';
import { wasmRuntime } from './runtime.js';

/** Rule ids of assembly/rules/dispatch.ts (RULE_*). */
export const RULE_IDS = {
  abRelu: 0,
  erf: 1,
  gelu: 2,
  sin: 3,
  sign: 4,
  step: 5,
  exp: 6,
  gaussian: 7,
  polynomial: 8,
  rectifiedMonomial: 9,
} as const;

/** A rule in the form the WebAssembly kernels run it. */
export interface NativeRule {
  /** One of the ids in `RULE_IDS` (the same numbers as assembly/rules/dispatch.ts). */
  readonly id: number;
  /** The params block the vector rule reads (assembly/rules/*.ts state its layout). */
  readonly params: Float64Array;
}

const TWO_PI = 2 * Math.PI;

/** The monomials of E[p(u)·p(v)] as rows (coef, k, e1, e2), in the order of {@link polynomialMomentTerms}. */
const momentRows = (p: readonly number[]) => polynomialMomentTerms(p, p).map((t) => [t.coef, t.k, t.e1, t.e2]);

/** The terms of J_d(θ) as rows (coef, e, i, j), in the order of {@link arcCosineTerms}. */
const arcCosineRows = (d: number) => arcCosineTerms(d).map((t) => [t.coef, t.e, t.i, t.j]);

const finite = (params: readonly number[], n: number) => params.length === n && params.every(Number.isFinite);

/** [n0, n1, terms0…, terms1…] with each term's four numbers in a row. */
function termBlock(head: number[], t0: number[][], t1: number[][]): Float64Array {
  return Float64Array.from([...head, t0.length, t1.length, ...t0.flat(), ...t1.flat()]);
}

/**
 * The native form of a pair rule, or null where there is none (the `quadrature` rule, unknown ids,
 * params out of the layer's range): then the JS rule is used.
 */
export function nativeRule(rule: PairRule): NativeRule | null {
  const p = rule.params;
  const make = (id: number, params: number[] | Float64Array): NativeRule => ({ id, params: Float64Array.from(params) });
  switch (rule.id) {
    case 'abRelu': {
      if (!finite(p, 2)) return null;
      const [a, b] = p as [number, number];
      const d2 = (a - b) * (a - b);
      return make(RULE_IDS.abRelu, [(a * a + b * b) / 2, d2, d2 / TWO_PI]);
    }
    case 'erf': {
      if (!finite(p, 3)) return null;
      const [a, b, c0] = p as [number, number, number];
      const b2 = b * b;
      return make(RULE_IDS.erf, [a * a * (2 / Math.PI), c0 * c0, 2 * b2, 4 * b2 * b2, a * a * b2 * 4]);
    }
    case 'gelu':
      return p.length === 0 ? make(RULE_IDS.gelu, []) : null;
    case 'sin': {
      if (!finite(p, 3)) return null;
      const [a, b, c0] = p as [number, number, number];
      const b2 = b * b;
      return make(RULE_IDS.sin, [(a * a) / 2, b2, -b2, Math.cos(2 * c0), (a * a * b2) / 2]);
    }
    case 'sign':
      return p.length === 0 ? make(RULE_IDS.sign, []) : null;
    case 'step':
      return p.length === 0 ? make(RULE_IDS.step, []) : null;
    case 'exp': {
      if (!finite(p, 2)) return null;
      const [a, b] = p as [number, number];
      return make(RULE_IDS.exp, [a * a, b * b, a * a * (b * b)]);
    }
    case 'gaussian': {
      if (!finite(p, 2)) return null;
      const [a, b] = p as [number, number];
      return make(RULE_IDS.gaussian, [a * a, 2 * b, 4 * b * b, 4 * a * a * b * b]);
    }
    case 'polynomial':
    case 'monomial': {
      if (!p.every(Number.isFinite)) return null;
      const coef = [...p];
      const deriv = coef.slice(1).map((a, i) => (i + 1) * a);
      return make(RULE_IDS.polynomial, termBlock([], momentRows(coef), momentRows(deriv)));
    }
    case 'rectifiedMonomial': {
      const d = p[0]!;
      if (p.length !== 1 || !Number.isInteger(d) || d < 0 || d > 30) return null;
      return make(RULE_IDS.rectifiedMonomial, termBlock([d], arcCosineRows(d), d > 0 ? arcCosineRows(d - 1) : []));
    }
    default:
      return null;
  }
}

/**
 * Throws, before a native pair map, the error the JS rule would throw on these variances; O(n).
 * Only the gaussian rule throws: where E[φ²] diverges, i.e. where its determinant at (q, q, q) is
 * not positive. (If every variance passes, every entry with |c| ≤ √(q1q2) does too.) The JS pair
 * map may name a different pair (q1, q2) of the same layer: it throws at the first entry it meets.
 */
export function nativeRulePrecheck(rule: PairRule, var1: Float64Array, var2: Float64Array): void {
  if (rule.id !== 'gaussian') return;
  const b = rule.params[1]!;
  for (const v of var2 === var1 ? [var1] : [var1, var2]) {
    for (let i = 0; i < v.length; i++) {
      const q = v[i]!;
      const d1 = 1 - 2 * b * q;
      const D = d1 * d1 - 4 * b * b * q * q;
      if (!(d1 > 0 && D > 0)) {
        throw new WideError('UNSUPPORTED', `gaussian activation with b = ${b}: E[φ²] diverges for variances ${q}, ${q} (needs 2·b·q < 1)`);
      }
    }
  }
}

/**
 * Test hook: Σ′ and Σ̇ of `rule` at the entries (q1[i], q2[i], c[i]) through the WebAssembly
 * kernel `ruleBatch`; null where the rule has no native form or WebAssembly is off.
 */
export function wasmRuleBatch(rule: PairRule, q1: ArrayLike<number>, q2: ArrayLike<number>, c: ArrayLike<number>): { nngp: Float64Array; dot: Float64Array } | null {
  const rt = wasmRuntime();
  const native = nativeRule(rule);
  if (!rt || !native) return null;
  const n = q1.length;
  const blocks = [native.params.length, n, n, n, n, n].map((len) => rt.alloc(Math.max(1, len) * 8));
  try {
    const [pp, a, b, cc, outN, outD] = blocks as [number, number, number, number, number, number];
    rt.f64(pp, native.params.length).set(native.params);
    rt.f64(a, n).set(q1);
    rt.f64(b, n).set(q2);
    rt.f64(cc, n).set(c);
    rt.exports['ruleBatch']!(native.id, pp, a, b, cc, outN, outD, n);
    return { nngp: rt.f64(outN, n).slice(), dot: rt.f64(outD, n).slice() };
  } finally {
    for (const o of blocks) rt.free(o);
  }
}

/** Functions of {@link wasmMathBatch} (MATH_* of assembly/rules/batch.ts). */
export const MATH_IDS = { acos: 0, asin: 1, exp: 2 } as const;

/** Test hook: the vector acos, asin or exp of the WebAssembly kernels at every x; null when WebAssembly is off. */
export function wasmMathBatch(fn: keyof typeof MATH_IDS, x: ArrayLike<number>): Float64Array | null {
  const rt = wasmRuntime();
  if (!rt) return null;
  const n = x.length;
  const px = rt.alloc(Math.max(1, n) * 8);
  const po = rt.alloc(Math.max(1, n) * 8);
  try {
    rt.f64(px, n).set(x);
    rt.exports['mathBatch']!(MATH_IDS[fn], px, po, n);
    return rt.f64(po, n).slice();
  } finally {
    rt.free(px);
    rt.free(po);
  }
}
