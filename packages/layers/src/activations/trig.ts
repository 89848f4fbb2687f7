/**
 * sin(a, b, c): φ(x) = a·sin(b·x + c); cos(a, b, c) = a·cos(b·x + c) = sin(a, b, c + π/2);
 * rbf(γ) = √2·sin(√(2γ)·x + π/4), whose NNGP is the RBF kernel exp(−γ(q1 + q2 − 2c)).
 *
 * Closed form (product-to-sum and E[cos(t·w)] = e^{−t²Var(w)/2}; neural-tangents `Sin`):
 *   Σ′ = (a²/2)·e^{−b²(q1+q2)/2}·(e^{b²c} − e^{−b²c}·cos 2c₀),
 *   Σ̇ = (a²b²/2)·e^{−b²(q1+q2)/2}·(e^{b²c} + e^{−b²c}·cos 2c₀).
 * @module
 */
import type { PairRule } from '@wide/core';
import { InvalidArchitectureError } from '@wide/core';
import { activation } from '../activation.js';

/** The pair rule of a·sin(b·x + c0). */
export function sinRule(a: number, b: number, c0: number): PairRule {
  const b2 = b * b;
  const cos2 = Math.cos(2 * c0);
  return {
    id: 'sin',
    params: [a, b, c0],
    // Exponents are combined before exponentiating: e^{−b²(q1+q2)/2}·e^{±b²c} would overflow to
    // ∞·0 = NaN at large variances, while −b²(q1+q2)/2 ± b²c ≤ 0 always (|c| ≤ √(q1q2)).
    nngp(q1, q2, c) {
      const m = (-b2 * (q1 + q2)) / 2;
      return ((a * a) / 2) * (Math.exp(m + b2 * c) - Math.exp(m - b2 * c) * cos2);
    },
    dnngp(q1, q2, c) {
      const m = (-b2 * (q1 + q2)) / 2;
      return ((a * a * b2) / 2) * (Math.exp(m + b2 * c) + Math.exp(m - b2 * c) * cos2);
    },
  };
}

function checkFinite(fields: Record<string, number>): void {
  for (const [n, v] of Object.entries(fields)) {
    if (!Number.isFinite(v)) throw new InvalidArchitectureError(n, `expected a finite number, got ${v}`);
  }
}

/** a·sin(b·x + c). */
export function sin(a = 1, b = 1, c = 0, type = 'sin') {
  checkFinite({ a, b, c });
  return activation({ type, rule: sinRule(a, b, c), fn: (x) => a * Math.sin(b * x + c), dfn: (x) => a * b * Math.cos(b * x + c) });
}

/** a·cos(b·x + c). */
export function cos(a = 1, b = 1, c = 0) {
  checkFinite({ a, b, c });
  return sin(a, b, c + Math.PI / 2, 'cos');
}

/** rbf(γ): √2·sin(√(2γ)·x + π/4); Σ′ = exp(−γ(q1 + q2 − 2c)), Σ̇ = 2γ·Σ′. */
export function rbf(gamma = 1) {
  if (!(Number.isFinite(gamma) && gamma > 0)) throw new InvalidArchitectureError('gamma', `expected a number > 0, got ${gamma}`);
  return sin(Math.SQRT2, Math.sqrt(2 * gamma), Math.PI / 4, 'rbf');
}
