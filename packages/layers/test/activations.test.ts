import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gaussianExpectation2D, gaussianExpectationSplit } from '@wide/core';
import { buildLayer } from '../src/index.js';

interface Case {
  spec: Record<string, unknown>;
  /** Kinks of φ or φ′: integrate split there instead of plain Gauss–Hermite. */
  kinks?: number[];
  /** The derivative is a delta (sign, step): Σ̇ = 0 by convention, not compared. */
  deltaDerivative?: boolean;
}

const smooth: Case[] = [
  { spec: { type: 'erf' } },
  { spec: { type: 'erf', a: 1.3, b: 0.6, c: 0.2 } },
  { spec: { type: 'sigmoidLike' } },
  { spec: { type: 'gelu' } },
  { spec: { type: 'sin', a: 1, b: 0.7, c: 0.2 } },
  { spec: { type: 'cos', a: 0.8, b: 1.3, c: -0.4 } },
  { spec: { type: 'rbf', gamma: 0.7 } },
  { spec: { type: 'exp', a: 0.7, b: 0.5 } },
  { spec: { type: 'gaussian', a: 1, b: -0.6 } },
  ...[0, 1, 2, 3, 4, 5].map((d) => ({ spec: { type: 'monomial', degree: d } })),
  { spec: { type: 'polynomial', coef: [0.3, -1, 0.5, 0.2] } },
  { spec: { type: 'polynomial', coef: [] } },
];
const kinked: Case[] = [
  { spec: { type: 'relu' }, kinks: [0] },
  { spec: { type: 'leakyRelu', alpha: 0.2 }, kinks: [0] },
  { spec: { type: 'abRelu', a: -0.3, b: 1.2 }, kinks: [0] },
  { spec: { type: 'abs' }, kinks: [0] },
  { spec: { type: 'sign' }, kinks: [0], deltaDerivative: true },
  { spec: { type: 'step' }, kinks: [0], deltaDerivative: true },
  ...[0, 1, 2, 3, 4, 7].map((d) => ({ spec: { type: 'rectifiedMonomial', degree: d }, kinks: [0], deltaDerivative: d === 0 })),
];

type Act = { rule: { nngp(a: number, b: number, c: number): number; dnngp(a: number, b: number, c: number): number }; fn(x: number): number; dfn(x: number): number };
const build = (spec: Record<string, unknown>) => buildLayer(spec, 'layer') as unknown as Act;

const rhoArb = fc.oneof(
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc.constantFrom(0.999, -0.999, 0.9995, -0.9995, 0.99999, -0.99999),
  fc.double({ min: 0.999, max: 1, noNaN: true }),
  fc.double({ min: -1, max: -0.999, noNaN: true }),
);
const pointArb = fc.record({ q1: fc.double({ min: 0.05, max: 3, noNaN: true }), q2: fc.double({ min: 0.05, max: 3, noNaN: true }), rho: rhoArb });

function check(c: Case, reference: (f: (x: number) => number, q1: number, q2: number, cc: number) => number, tol: number): void {
  const act = build(c.spec);
  fc.assert(
    fc.property(pointArb, ({ q1, q2, rho }) => {
      const cov = rho * Math.sqrt(q1 * q2);
      // Error scale: the Cauchy–Schwarz bound √(E[φ(u)²]E[φ(v)²]) (and the same for φ′).
      const s0 = Math.sqrt(Math.abs(act.rule.nngp(q1, q1, q1) * act.rule.nngp(q2, q2, q2))) + 1e-300;
      const got = act.rule.nngp(q1, q2, cov);
      const want = reference(act.fn, q1, q2, cov);
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - want) / s0).toBeLessThanOrEqual(tol);
      if (!c.deltaDerivative) {
        const s1 = Math.sqrt(Math.abs(act.rule.dnngp(q1, q1, q1) * act.rule.dnngp(q2, q2, q2))) + 1e-300;
        const gotD = act.rule.dnngp(q1, q2, cov);
        expect(Number.isFinite(gotD)).toBe(true);
        expect(Math.abs(gotD - reference(act.dfn, q1, q2, cov)) / s1).toBeLessThanOrEqual(tol);
      } else {
        expect(act.rule.dnngp(q1, q2, cov)).toBe(0);
      }
    }),
    { numRuns: 40, seed: 20261123 },
  );
}

describe('closed forms against an independent numerical integral', () => {
  it.each(smooth.map((c) => [JSON.stringify(c.spec), c] as const))('%s vs 2-D Gauss–Hermite (degree 120) to 1e-8', (_n, c) => {
    check(c, (f, q1, q2, cc) => gaussianExpectation2D(f, f, q1, q2, cc, 120), 1e-8);
  });
  it.each(kinked.map((c) => [JSON.stringify(c.spec), c] as const))('%s vs quadrature split at the kink to 1e-6', (_n, c) => {
    check(c, (f, q1, q2, cc) => gaussianExpectationSplit(f, f, q1, q2, cc, { kinksF: c.kinks!, kinksG: c.kinks! }), 1e-6);
  });
});

describe('closed forms at the edges', () => {
  const all = [...smooth, ...kinked];
  it.each(all.map((c) => [JSON.stringify(c.spec), c] as const))('%s: finite at ρ = ±1 and at zero variance; Σ̇ = ∂Σ′/∂c', (_n, c) => {
    const act = build(c.spec);
    for (const [q1, q2, cov] of [
      [1.3, 1.3, 1.3],
      [1.3, 0.7, Math.sqrt(1.3 * 0.7)],
      [1.3, 0.7, -Math.sqrt(1.3 * 0.7)],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 0],
      [2, 2, 2 * (1 + 1e-15)],
    ] as const) {
      expect(Number.isFinite(act.rule.nngp(q1, q2, cov))).toBe(true);
      expect(Number.isFinite(act.rule.dnngp(q1, q2, cov))).toBe(true);
    }
    if (!c.deltaDerivative && c.spec.type !== 'abs' && !(c.spec.type === 'rectifiedMonomial' && c.spec.degree === 1)) {
      // Price's theorem: Σ̇ = ∂Σ′/∂c (away from |ρ| = 1), by central differences.
      for (const [q1, q2, cov] of [[1, 1.5, 0.4], [0.6, 2, -0.7]] as const) {
        const h = 1e-5;
        const fd = (act.rule.nngp(q1, q2, cov + h) - act.rule.nngp(q1, q2, cov - h)) / (2 * h);
        expect(Math.abs(fd - act.rule.dnngp(q1, q2, cov))).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('relu closed form matches the arc-cosine identity at ρ = 1 exactly (no acos rounding)', () => {
    const relu = build({ type: 'relu' });
    expect(relu.rule.nngp(2, 2, 2)).toBe(1);
    expect(relu.rule.dnngp(2, 2, 2)).toBe(0.5);
    expect(relu.rule.nngp(2, 2, -2)).toBe(0);
  });

  it('rectifiedMonomial(1) is relu and rectifiedMonomial(2) matches J₂ = 3 sinθ cosθ + (π−θ)(1 + 2cos²θ)', () => {
    const r1 = build({ type: 'rectifiedMonomial', degree: 1 });
    const r2 = build({ type: 'rectifiedMonomial', degree: 2 });
    const relu = build({ type: 'relu' });
    for (const rho of [-0.9, -0.3, 0, 0.4, 0.95]) {
      expect(r1.rule.nngp(1.2, 0.8, rho * Math.sqrt(0.96))).toBeCloseTo(relu.rule.nngp(1.2, 0.8, rho * Math.sqrt(0.96)), 14);
      const t = Math.acos(rho);
      const J2 = 3 * Math.sin(t) * Math.cos(t) + (Math.PI - t) * (1 + 2 * Math.cos(t) ** 2);
      expect(r2.rule.nngp(1, 1, rho)).toBeCloseTo(J2 / (2 * Math.PI), 14);
    }
  });
});

describe('numerical elementwise against closed forms', () => {
  it.each([
    ['erf', { type: 'erf' }],
    ['gelu', { type: 'gelu' }],
  ] as const)('elementwise("%s") equals the closed form to 1e-9', (fn, spec) => {
    const numeric = build({ type: 'elementwise', fn, degree: 80 });
    const closed = build(spec);
    for (const [q1, q2, rho] of [[1, 1, 0.3], [0.4, 2.2, -0.8], [1.5, 1.5, 0.9999]] as const) {
      const c = rho * Math.sqrt(q1 * q2);
      expect(numeric.rule.nngp(q1, q2, c)).toBeCloseTo(closed.rule.nngp(q1, q2, c), 9);
      expect(numeric.rule.dnngp(q1, q2, c)).toBeCloseTo(closed.rule.dnngp(q1, q2, c), 9);
    }
  });

  it('named functions have consistent derivatives', async () => {
    const { namedFunctions } = await import('../src/index.js');
    for (const [name, { fn, dfn }] of Object.entries(namedFunctions)) {
      for (const x of [-3, -0.5, 0.2, 2.5]) {
        const fd = (fn(x + 1e-6) - fn(x - 1e-6)) / 2e-6;
        expect(Math.abs(fd - dfn(x)), name).toBeLessThan(1e-7);
      }
    }
  });
});
