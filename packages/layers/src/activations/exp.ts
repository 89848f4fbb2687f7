/**
 * exp(a, b): φ(x) = a·e^{b·x}; gaussian(a, b): φ(x) = a·e^{b·x²} (b < 0 for a bump).
 *
 * Closed forms (Gaussian moment generating functions):
 * - exp: Σ′ = a²·e^{b²(q1+q2+2c)/2}, Σ̇ = a²b²·e^{b²(q1+q2+2c)/2}.
 * - gaussian: with D = (1−2bq1)(1−2bq2) − 4b²c², Σ′ = a²·D^{−1/2}, Σ̇ = 4a²b²·c·D^{−3/2}
 *   (E[uv·e^{b(u²+v²)}] is the tilted covariance c/D times the normaliser D^{−1/2}).
 *   For b > 0 the moments diverge once 2b·q ≥ 1: that is an error, not a silent Infinity.
 * @module
 */
import type { PairRule } from '@wide/core';
import { InvalidArchitectureError, WideError } from '@wide/core';
import { activation } from '../activation.js';

/** The pair rule of a·exp(b·x). */
export function expRule(a: number, b: number): PairRule {
  const b2 = b * b;
  return {
    id: 'exp',
    params: [a, b],
    nngp: (q1, q2, c) => a * a * Math.exp((b2 * (q1 + q2 + 2 * c)) / 2),
    dnngp: (q1, q2, c) => a * a * b2 * Math.exp((b2 * (q1 + q2 + 2 * c)) / 2),
  };
}

function gaussianDet(b: number, q1: number, q2: number, c: number): number {
  const d1 = 1 - 2 * b * q1;
  const d2 = 1 - 2 * b * q2;
  const D = d1 * d2 - 4 * b * b * c * c;
  if (!(d1 > 0 && d2 > 0 && D > 0)) {
    throw new WideError('UNSUPPORTED', `gaussian activation with b = ${b}: E[φ²] diverges for variances ${q1}, ${q2} (needs 2·b·q < 1)`);
  }
  return D;
}

/** The pair rule of a·exp(b·x²). */
export function gaussianRule(a: number, b: number): PairRule {
  return {
    id: 'gaussian',
    params: [a, b],
    nngp: (q1, q2, c) => (a * a) / Math.sqrt(gaussianDet(b, q1, q2, c)),
    dnngp: (q1, q2, c) => {
      const D = gaussianDet(b, q1, q2, c);
      return (4 * a * a * b * b * c) / (D * Math.sqrt(D));
    },
  };
}

function checkFinite(fields: Record<string, number>): void {
  for (const [n, v] of Object.entries(fields)) {
    if (!Number.isFinite(v)) throw new InvalidArchitectureError(n, `expected a finite number, got ${v}`);
  }
}

/** a·exp(b·x). */
export function exp(a = 1, b = 1) {
  checkFinite({ a, b });
  return activation({ type: 'exp', rule: expRule(a, b), fn: (x) => a * Math.exp(b * x), dfn: (x) => a * b * Math.exp(b * x) });
}

/** a·exp(b·x²). */
export function gaussian(a = 1, b = -1) {
  checkFinite({ a, b });
  return activation({
    type: 'gaussian',
    rule: gaussianRule(a, b),
    fn: (x) => a * Math.exp(b * x * x),
    dfn: (x) => 2 * a * b * x * Math.exp(b * x * x),
  });
}
