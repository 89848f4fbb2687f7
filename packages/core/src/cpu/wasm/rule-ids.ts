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
  /** One of {@link RULE_IDS}. */
  readonly id: number;
  /** The params block the vector rule reads (assembly/rules/*.ts state its layout). */
  readonly params: Float64Array;
}

const TWO_PI = 2 * Math.PI;

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

function hermiteCoefficient(m: number, k: number): number {
  if (k > m || (m - k) % 2 !== 0) return 0;
  const j = (m - k) / 2;
  return factorial(m) / (factorial(k) * factorial(j) * Math.pow(2, j));
}

/** The monomials (coef, k, e1, e2) of E[p(u)·p(v)], as layers' `polynomialMomentTerms(p, p)`. */
function momentTerms(p: readonly number[]): number[][] {
  const map = new Map<string, number[]>();
  p.forEach((am, m) => {
    if (am === 0) return;
    p.forEach((an, n) => {
      if (an === 0 || (m - n) % 2 !== 0) return;
      for (let k = m % 2; k <= Math.min(m, n); k += 2) {
        const coef = am * an * hermiteCoefficient(m, k) * hermiteCoefficient(n, k) * factorial(k);
        const key = `${k},${(m - k) / 2},${(n - k) / 2}`;
        const t = map.get(key);
        if (t) t[0] += coef;
        else map.set(key, [coef, k, (m - k) / 2, (n - k) / 2]);
      }
    });
  });
  return [...map.values()].filter((t) => t[0] !== 0);
}

const arcCosineCache = new Map<number, number[][]>();

/** The terms (coef, e, i, j) of J_d(θ) = Σ coef·(π−θ)^e·cos^iθ·sin^jθ, as layers' `arcCosineTerms(d)`. */
function arcCosineTerms(d: number): number[][] {
  const hit = arcCosineCache.get(d);
  if (hit) return hit;
  let f = [[1, 1, 0, -1]];
  for (let n = 0; n < d; n++) {
    const next: number[][] = [];
    for (const [coef, e, i, j] of f as [number, number, number, number][]) {
      if (e > 0) next.push([-coef * e, e - 1, i, j - 1]);
      if (i > 0) next.push([-coef * i, e, i - 1, j]);
      if (j !== 0) next.push([coef * j, e, i + 1, j - 2]);
    }
    const map = new Map<string, number[]>();
    for (const t of next) {
      const key = `${t[1]},${t[2]},${t[3]}`;
      const m = map.get(key);
      if (m) m[0] += t[0]!;
      else map.set(key, [...t]);
    }
    f = [...map.values()].filter((t) => t[0] !== 0);
  }
  const sign = d % 2 === 0 ? 1 : -1;
  const out = f.map(([coef, e, i, j]) => [sign * coef!, e!, i!, j! + 2 * d + 1]);
  arcCosineCache.set(d, out);
  return out;
}

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
      return make(RULE_IDS.polynomial, termBlock([], momentTerms(coef), momentTerms(deriv)));
    }
    case 'rectifiedMonomial': {
      const d = p[0]!;
      if (p.length !== 1 || !Number.isInteger(d) || d < 0 || d > 30) return null;
      return make(RULE_IDS.rectifiedMonomial, termBlock([d], arcCosineTerms(d), d > 0 ? arcCosineTerms(d - 1) : []));
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
