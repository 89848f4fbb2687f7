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
import { type PairRule, arcCosineTerms } from '@wide/core';
import { InvalidArchitectureError } from '@wide/core';
import { activation, correlation, sinOfAngle } from '../activation.js';

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
