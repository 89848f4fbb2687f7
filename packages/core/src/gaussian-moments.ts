/**
 * Exact symbolic expansions behind two closed-form activation kernels, shared by the layer rules
 * (`@wide/layers`) and the WebAssembly kernels that evaluate the same terms:
 * - {@link polynomialMomentTerms}: E[p(u)·r(v)] for polynomials p, r as monomials c^k·q1^e1·q2^e2
 *   (Hermite expansion + Mehler's formula, as neural-tangents `Polynomial`);
 * - {@link arcCosineTerms}: the arc-cosine function J_d(θ) of order d (Cho & Saul 2009, eq. 7) as
 *   terms (π−θ)^e·cos^iθ·sin^jθ, by symbolic differentiation (cached per d).
 * @module
 */

/** A monomial coef·c^k·q1^e1·q2^e2 of E[p(u)·r(v)]. */
export interface Term {
  /** Coefficient. */
  coef: number;
  /** Power of the covariance c. */
  k: number;
  /** Power of q1. */
  e1: number;
  /** Power of q2. */
  e2: number;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** h_{m,k}: coefficient of He_k in x^m. */
function hermiteCoefficient(m: number, k: number): number {
  if (k > m || (m - k) % 2 !== 0) return 0;
  const j = (m - k) / 2;
  return factorial(m) / (factorial(k) * factorial(j) * Math.pow(2, j));
}

/** Expands E[p(u)·r(v)] for polynomials p, r (coefficient lists) into monomials c^k q1^e1 q2^e2. */
export function polynomialMomentTerms(p: readonly number[], r: readonly number[]): Term[] {
  const map = new Map<string, Term>();
  p.forEach((am, m) => {
    if (am === 0) return;
    r.forEach((an, n) => {
      if (an === 0 || (m - n) % 2 !== 0) return;
      for (let k = m % 2; k <= Math.min(m, n); k += 2) {
        const coef = am * an * hermiteCoefficient(m, k) * hermiteCoefficient(n, k) * factorial(k);
        const key = `${k},${(m - k) / 2},${(n - k) / 2}`;
        const t = map.get(key);
        if (t) t.coef += coef;
        else map.set(key, { coef, k, e1: (m - k) / 2, e2: (n - k) / 2 });
      }
    });
  });
  return [...map.values()].filter((t) => t.coef !== 0);
}

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
  if (out.some((t) => t.j < 0)) throw new RangeError(`arc-cosine expansion of order ${d} left a negative power of sin θ`);
  cache.set(d, out);
  return out;
}

