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
import { activation } from '../activation.js';

function checkFinite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw new InvalidArchitectureError(name, `expected a finite number, got ${v}`);
}

/**
 * Σ′ and Σ̇ of abRelu with params [a, b] (see the module comment), self-contained so that a
 * backend can ship it to worker threads (PairRule.portable). ρ is clamped to [−1, 1] and is 0
 * when a variance vanishes, as in {@link correlation}.
 */
export function abReluPair(params: readonly number[], q1: number, q2: number, c: number, out: Float64Array): void {
  const a = params[0]!;
  const b = params[1]!;
  const d2 = (a - b) * (a - b);
  const qq = q1 * q2;
  const sq = qq > 0 ? Math.sqrt(qq) : 0;
  let rho = sq > 0 ? c / sq : 0;
  rho = rho > 1 ? 1 : rho < -1 ? -1 : rho;
  const dot = (a * a + b * b) / 2 - (d2 * Math.acos(rho)) / (2 * Math.PI);
  out[0] = (d2 / (2 * Math.PI)) * sq * Math.sqrt(Math.max(0, (1 - rho) * (1 + rho))) + dot * c;
  out[1] = dot;
}

/** The pair rule of abRelu(a, b). */
export function abReluRule(a: number, b: number): PairRule {
  const params = [a, b] as const;
  const tmp = new Float64Array(2);
  return {
    id: 'abRelu',
    params,
    portable: abReluPair,
    both: (q1, q2, c, out) => abReluPair(params, q1, q2, c, out),
    nngp(q1, q2, c) {
      abReluPair(params, q1, q2, c, tmp);
      return tmp[0]!;
    },
    dnngp(q1, q2, c) {
      abReluPair(params, q1, q2, c, tmp);
      return tmp[1]!;
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
