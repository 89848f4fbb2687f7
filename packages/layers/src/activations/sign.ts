/**
 * sign(x) ∈ {−1, 0, 1} and step(x) = 1[x > 0]. Their derivatives vanish almost everywhere, so
 * Σ̇ = 0 (conventions §1, as neural-tangents): gradients of finite networks do not pass them.
 *
 * Closed forms (θ = arccos ρ): sign: Σ′ = (2/π)·arcsin ρ; step: Σ′ = (π − θ)/(2π).
 * At a zero variance the unit is 0 almost surely, so Σ′ = 0.
 * @module
 */
import type { PairRule } from '@wide/core';
import { activation, correlation } from '../activation.js';

/** The pair rule of sign. */
export function signRule(): PairRule {
  return {
    id: 'sign',
    params: [],
    nngp: (q1, q2, c) => (q1 > 0 && q2 > 0 ? (2 / Math.PI) * Math.asin(correlation(q1, q2, c)) : 0),
    dnngp: () => 0,
  };
}

/** The pair rule of step. */
export function stepRule(): PairRule {
  return {
    id: 'step',
    params: [],
    nngp: (q1, q2, c) => (q1 > 0 && q2 > 0 ? (Math.PI - Math.acos(correlation(q1, q2, c))) / (2 * Math.PI) : 0),
    dnngp: () => 0,
  };
}

/** sign(x). */
export function sign() {
  return activation({ type: 'sign', rule: signRule(), fn: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), dfn: () => 0 });
}

/** step(x) = 1 for x > 0, else 0. */
export function step() {
  return activation({ type: 'step', rule: stepRule(), fn: (x) => (x > 0 ? 1 : 0), dfn: () => 0 });
}
