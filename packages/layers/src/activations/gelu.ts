/**
 * gelu(x) = x·Φ(x) (Hendrycks & Gimpel 2016), Φ the standard normal CDF.
 *
 * Closed form (derived here via Price's theorem and checked against 200-point Gauss–Hermite
 * quadrature): with P = (1+q1)(1+q2), S = √(P − c²), N = q1q2·S² + c²,
 *   Σ′ = c/4 + c/(2π)·arcsin(c/√P) + N/(2π·P·S),
 *   Σ̇ = ∂Σ′/∂c = 1/4 + arcsin(c/√P)/(2π) + c/(2π·S) + c·(2(1 − q1q2)S² + N)/(2π·P·S³).
 * @module
 */
import type { PairRule } from '@wide/core';
import { activation } from '../activation.js';
import { erfFn } from './erf.js';

/** The pair rule of gelu. */
export function geluRule(): PairRule {
  return {
    id: 'gelu',
    params: [],
    nngp(q1, q2, c) {
      const P = (1 + q1) * (1 + q2);
      const S = Math.sqrt(Math.max(P - c * c, Number.MIN_VALUE));
      const N = q1 * q2 * S * S + c * c;
      return c / 4 + (c / (2 * Math.PI)) * Math.asin(Math.max(-1, Math.min(1, c / Math.sqrt(P)))) + N / (2 * Math.PI * P * S);
    },
    dnngp(q1, q2, c) {
      const P = (1 + q1) * (1 + q2);
      const S = Math.sqrt(Math.max(P - c * c, Number.MIN_VALUE));
      const N = q1 * q2 * S * S + c * c;
      return (
        0.25 +
        Math.asin(Math.max(-1, Math.min(1, c / Math.sqrt(P)))) / (2 * Math.PI) +
        c / (2 * Math.PI * S) +
        (c * (2 * (1 - q1 * q2) * S * S + N)) / (2 * Math.PI * P * S * S * S)
      );
    },
  };
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** gelu(x) = x·Φ(x). */
export function gelu() {
  return activation({
    type: 'gelu',
    rule: geluRule(),
    fn: (x) => 0.5 * x * (1 + erfFn(x / Math.SQRT2)),
    dfn: (x) => 0.5 * (1 + erfFn(x / Math.SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  });
}
