/**
 * The ReLU family: abRelu(a, b) = a·min(x, 0) + b·max(x, 0), with relu = abRelu(0, 1),
 * leakyRelu(α) = abRelu(α, 1), abs = abRelu(−1, 1).
 *
 * Closed form (arc-cosine kernel of order 1, Cho & Saul 2009; neural-tangents `ABRelu`), with
 * θ = arccos ρ:
 *   Σ′ = (a−b)²/(2π)·√(q1q2 − c²) + ((a²+b²)/2 − (a−b)²θ/(2π))·c,
 *   Σ̇ = (a²+b²)/2 − (a−b)²θ/(2π).
 * √(q1q2 − c²) is formed as √(q1q2)·√((1−ρ)(1+ρ)) so it stays accurate as ρ → ±1.
 * @module
 */
import type { PairRule } from '@wide/core';
import { InvalidArchitectureError } from '@wide/core';
import { activation, correlation, sinOfAngle } from '../activation.js';

function checkFinite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw new InvalidArchitectureError(name, `expected a finite number, got ${v}`);
}

/** The pair rule of abRelu(a, b). */
export function abReluRule(a: number, b: number): PairRule {
  const d2 = (a - b) * (a - b);
  const s2 = (a * a + b * b) / 2;
  const both = (q1: number, q2: number, c: number, out: Float64Array): void => {
    const rho = correlation(q1, q2, c);
    const theta = Math.acos(rho);
    const dot = s2 - (d2 * theta) / (2 * Math.PI);
    out[0] = (d2 / (2 * Math.PI)) * Math.sqrt(q1 * q2) * sinOfAngle(rho) + dot * c;
    out[1] = dot;
  };
  const tmp = new Float64Array(2);
  return {
    id: 'abRelu',
    params: [a, b],
    both,
    nngp(q1, q2, c) {
      both(q1, q2, c, tmp);
      return tmp[0]!;
    },
    dnngp(q1, q2, c) {
      return s2 - (d2 * Math.acos(correlation(q1, q2, c))) / (2 * Math.PI);
    },
  };
}

/** abRelu(a, b) = a·min(x, 0) + b·max(x, 0). */
export function abRelu(a: number, b: number, type = 'abRelu') {
  checkFinite('a', a);
  checkFinite('b', b);
  return activation({
    type,
    rule: abReluRule(a, b),
    fn: (x) => (x < 0 ? a * x : b * x),
    dfn: (x) => (x < 0 ? a : b),
  });
}

/** relu(x) = max(x, 0). */
export function relu() {
  return abRelu(0, 1, 'relu');
}

/** leakyRelu(x) = x for x ≥ 0, α·x otherwise. */
export function leakyRelu(alpha = 0.01) {
  return abRelu(alpha, 1, 'leakyRelu');
}

/** abs(x) = |x|. */
export function abs() {
  return abRelu(-1, 1, 'abs');
}
