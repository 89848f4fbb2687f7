/**
 * polynomial(coef): φ(x) = Σ_m a_m·x^m, and monomial(d) = x^d.
 *
 * Closed form (Hermite expansion + Mehler's formula, as neural-tangents `Polynomial`): with
 * x^m = Σ_k h_{m,k}·He_k(x), h_{m,k} = m!/(k!·j!·2^j), j = (m−k)/2, and E[He_k(s)He_l(t)] = δ_kl·k!·ρ^k,
 *   E[u^m v^{m′}] = Σ_k h_{m,k}·h_{m′,k}·k!·c^k·q1^{(m−k)/2}·q2^{(m′−k)/2}
 * (k ≡ m ≡ m′ mod 2), a polynomial in (q1, q2, c) — exact at ρ = ±1 and at zero variance.
 * Σ′ sums these over coefficient pairs; Σ̇ does the same for φ′.
 * For d ≤ 5 this reproduces the monomial table of neural-tangents (e.g. E[u²v²] = q1q2 + 2c²).
 * @module
 */
import { type PairRule, type Term, polynomialMomentTerms } from '@wide/core';
import { InvalidArchitectureError } from '@wide/core';
import { activation } from '../activation.js';

function evaluate(terms: readonly Term[], q1: number, q2: number, c: number): number {
  let s = 0;
  for (const t of terms) s += t.coef * Math.pow(c, t.k) * Math.pow(q1, t.e1) * Math.pow(q2, t.e2);
  return s;
}

/** Coefficients of the derivative of a polynomial. */
export function derivativeCoefficients(coef: readonly number[]): number[] {
  return coef.slice(1).map((a, i) => (i + 1) * a);
}

/** The pair rule of the polynomial Σ_m coef[m]·x^m. */
export function polynomialRule(coef: readonly number[], id = 'polynomial'): PairRule {
  const d = derivativeCoefficients(coef);
  const t0 = polynomialMomentTerms(coef, coef);
  const t1 = polynomialMomentTerms(d, d);
  return {
    id,
    params: [...coef],
    nngp: (q1, q2, c) => evaluate(t0, q1, q2, c),
    dnngp: (q1, q2, c) => evaluate(t1, q1, q2, c),
  };
}

function horner(coef: readonly number[], x: number): number {
  let s = 0;
  for (let i = coef.length - 1; i >= 0; i--) s = s * x + coef[i]!;
  return s;
}

/** φ(x) = Σ_m coef[m]·x^m (coef[0] is the constant term). */
export function polynomial(coef: readonly number[], type = 'polynomial') {
  coef.forEach((a, i) => {
    if (!Number.isFinite(a)) throw new InvalidArchitectureError(`coef[${i}]`, `expected a finite number, got ${a}`);
  });
  const c = [...coef];
  const d = derivativeCoefficients(c);
  return activation({ type, rule: polynomialRule(c, type), fn: (x) => horner(c, x), dfn: (x) => horner(d, x) });
}

/** φ(x) = x^degree, degree an integer in [0, 5]. */
export function monomial(degree: number) {
  if (!Number.isInteger(degree) || degree < 0 || degree > 5) throw new InvalidArchitectureError('degree', `expected an integer in [0, 5], got ${degree}`);
  const coef = Array.from({ length: degree + 1 }, (_, i) => (i === degree ? 1 : 0));
  return polynomial(coef, 'monomial');
}
