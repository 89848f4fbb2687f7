/**
 * rectifiedMonomial(d): φ(x) = x^d·1[x ≥ 0] for any integer d ≥ 0 (d = 1 is relu, d = 0 a step
 * that is 1 at 0).
 *
 * Closed form: the arc-cosine kernel of order d (Cho & Saul 2009, eq. 7),
 *   Σ′ = (q1q2)^{d/2}·J_d(θ)/(2π),  J_d(θ) = (−1)^d·sin^{2d+1}θ·((1/sinθ)·∂/∂θ)^d·((π − θ)/sinθ),
 * expanded exactly into terms (π−θ)^e·cos^iθ·sin^jθ by symbolic differentiation (cached per d).
 * Σ̇ = d²·Σ′ of rectifiedMonomial(d − 1) (Price's theorem), and 0 for d = 0.
 * @module
 */
import type { PairRule } from '@wide/core';
import { InvalidArchitectureError } from '@wide/core';
import { activation, correlation, sinOfAngle } from '../activation.js';

/** A term coef·(π − θ)^e·cos^i θ·sin^j θ of the arc-cosine function J_d(θ). */
export interface Trig {
  /** Coefficient. */
  coef: number;
  /** Power of (π − θ), 0 or 1. */
  e: number;
  /** Power of cos θ. */
  i: number;
  /** Power of sin θ. */
  j: number;
}

function combine(terms: Trig[]): Trig[] {
  const map = new Map<string, Trig>();
  for (const t of terms) {
    const key = `${t.e},${t.i},${t.j}`;
    const m = map.get(key);
    if (m) m.coef += t.coef;
    else map.set(key, { ...t });
  }
  return [...map.values()].filter((t) => t.coef !== 0);
}

const cache = new Map<number, Trig[]>();

/** The terms of J_d(θ) = Σ coef·(π−θ)^e·cos^iθ·sin^jθ. */
export function arcCosineTerms(d: number): Trig[] {
  const hit = cache.get(d);
  if (hit) return hit;
  let f: Trig[] = [{ coef: 1, e: 1, i: 0, j: -1 }];
  for (let n = 0; n < d; n++) {
    const next: Trig[] = [];
    for (const t of f) {
      // (1/sinθ)·d/dθ of (π−θ)^e cos^i sin^j
      if (t.e > 0) next.push({ coef: -t.coef * t.e, e: t.e - 1, i: t.i, j: t.j - 1 });
      if (t.i > 0) next.push({ coef: -t.coef * t.i, e: t.e, i: t.i - 1, j: t.j });
      if (t.j !== 0) next.push({ coef: t.coef * t.j, e: t.e, i: t.i + 1, j: t.j - 2 });
    }
    f = combine(next);
  }
  const sign = d % 2 === 0 ? 1 : -1;
  const out = f.map((t) => ({ coef: sign * t.coef, e: t.e, i: t.i, j: t.j + 2 * d + 1 }));
  if (out.some((t) => t.j < 0)) throw new Error(`arc-cosine expansion of order ${d} left a negative power of sin θ`);
  cache.set(d, out);
  return out;
}

/** E[u^d·1[u≥0]·v^d·1[v≥0]] for (u, v) ~ N(0, [[q1, c], [c, q2]]). */
export function arcCosineKernel(d: number, q1: number, q2: number, c: number): number {
  const p = q1 * q2;
  if (!(p > 0)) {
    if (d > 0) return 0;
    // u ≡ 0 (or v ≡ 0): 1[0 ≥ 0] = 1, so E = P(other ≥ 0).
    return q1 === 0 && q2 === 0 ? 1 : 0.5;
  }
  const rho = correlation(q1, q2, c);
  const theta = Math.acos(rho);
  const s = sinOfAngle(rho);
  let J = 0;
  for (const t of arcCosineTerms(d)) J += t.coef * Math.pow(Math.PI - theta, t.e) * Math.pow(rho, t.i) * Math.pow(s, t.j);
  return (Math.pow(p, d / 2) * J) / (2 * Math.PI);
}

/** The pair rule of x^d·1[x ≥ 0]. */
export function rectifiedMonomialRule(d: number): PairRule {
  return {
    id: 'rectifiedMonomial',
    params: [d],
    nngp: (q1, q2, c) => arcCosineKernel(d, q1, q2, c),
    dnngp: (q1, q2, c) => (d === 0 ? 0 : d * d * arcCosineKernel(d - 1, q1, q2, c)),
  };
}

/** x^degree·1[x ≥ 0]. */
export function rectifiedMonomial(degree: number) {
  if (!Number.isInteger(degree) || degree < 0 || degree > 30) throw new InvalidArchitectureError('degree', `expected an integer in [0, 30], got ${degree}`);
  return activation({
    type: 'rectifiedMonomial',
    rule: rectifiedMonomialRule(degree),
    fn: (x) => (x >= 0 ? Math.pow(x, degree) : 0),
    dfn: (x) => (degree === 0 || x < 0 ? 0 : degree * Math.pow(x, degree - 1)),
  });
}
