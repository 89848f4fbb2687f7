/**
 * erf(a, b, c): φ(x) = a·erf(b·x) + c, and sigmoidLike = the erf fit of the logistic function
 * used by neural-tangents, ½·erf(x/2.4020563531719796) + ½.
 *
 * Closed form (Williams 1997; neural-tangents `Erf`), with q̃ = b²q, c̃ = b²c:
 *   Σ′ = a²·(2/π)·arcsin(2c̃ / √((1+2q̃1)(1+2q̃2))) + c²,
 *   Σ̇ = a²b²·(4/π)·((1+2q̃1)(1+2q̃2) − 4c̃²)^(−1/2).
 * (The cross term 2ac·E[erf(bu)] vanishes since erf is odd.)
 * @module
 */
import type { PairRule } from '@wide/core';
import { InvalidArchitectureError } from '@wide/core';
import { activation } from '../activation.js';

/** The standard error function (W. J. Cody's rational approximations; relative error < 1e-15). */
export function erfFn(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const p = ((((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947);
    const q = ((((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062);
    return (x * p) / q;
  }
  return x < 0 ? -1 + erfcPositive(ax) : 1 - erfcPositive(ax);
}

function erfcPositive(x: number): number {
  if (x >= 27) return 0;
  let r: number;
  if (x < 4) {
    const p = [2.15311535474403846e-8, 0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725];
    const q = [1, 15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
    let num = p[0]!;
    let den = q[0]!;
    for (let i = 1; i < 9; i++) {
      num = num * x + p[i]!;
      den = den * x + q[i]!;
    }
    r = num / den;
  } else {
    const z = 1 / (x * x);
    const p = [0.0163153871373020978, 0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4];
    const q = [1, 2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
    let num = p[0]!;
    let den = q[0]!;
    for (let i = 1; i < 6; i++) {
      num = num * z + p[i]!;
      den = den * z + q[i]!;
    }
    r = (1 / Math.sqrt(Math.PI) - (z * num) / den) / x;
  }
  // exp(−x²) split to avoid cancellation: x² = xs² + (x−xs)(x+xs) with xs = x rounded to 1/16.
  const xs = Math.trunc(x * 16) / 16;
  return Math.exp(-xs * xs) * Math.exp(-(x - xs) * (x + xs)) * r;
}

/** The pair rule of a·erf(b·x) + c. */
export function erfRule(a: number, b: number, c0: number): PairRule {
  const b2 = b * b;
  return {
    id: 'erf',
    params: [a, b, c0],
    nngp(q1, q2, c) {
      const d = Math.sqrt((1 + 2 * b2 * q1) * (1 + 2 * b2 * q2));
      const s = Math.min(1, Math.max(-1, (2 * b2 * c) / d));
      return a * a * (2 / Math.PI) * Math.asin(s) + c0 * c0;
    },
    dnngp(q1, q2, c) {
      const det = (1 + 2 * b2 * q1) * (1 + 2 * b2 * q2) - 4 * b2 * b2 * c * c;
      return (a * a * b2 * 4) / (Math.PI * Math.sqrt(Math.max(det, Number.MIN_VALUE)));
    },
  };
}

/** a·erf(b·x) + c. */
export function erf(a = 1, b = 1, c = 0, type = 'erf') {
  for (const [n, v] of [['a', a], ['b', b], ['c', c]] as const) {
    if (!Number.isFinite(v)) throw new InvalidArchitectureError(n, `expected a finite number, got ${v}`);
  }
  const k = (2 / Math.sqrt(Math.PI)) * a * b;
  return activation({
    type,
    rule: erfRule(a, b, c),
    fn: (x) => a * erfFn(b * x) + c,
    dfn: (x) => k * Math.exp(-b * b * x * x),
  });
}

/** The scale of neural-tangents' erf fit of the logistic function. */
export const SIGMOID_LIKE_SCALE = 2.4020563531719796;

/** sigmoidLike(x) = ½·erf(x / 2.4020563531719796) + ½ ≈ 1/(1 + e^(−x)). */
export function sigmoidLike() {
  return erf(0.5, 1 / SIGMOID_LIKE_SCALE, 0.5, 'sigmoidLike');
}
