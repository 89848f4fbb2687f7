import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PairRule, nativeRulePrecheck, wasmRuleBatch } from '@wide/core';
import { abRelu, abs, cos, erf, exp, gaussian, gelu, leakyRelu, monomial, polynomial, rbf, rectifiedMonomial, relu, sigmoidLike, sign, sin, step } from '../src/index.js';

// The WebAssembly (f64x2) rules of @wide/core (assembly/rules) against the JS rules they mirror,
// entry by entry, Σ′ and Σ̇, on random parameters in each layer's valid range and random entries
// that include ρ = ±1 exactly, ρ = ±(1 − 1e−12), the exact diagonal (q, q, q), zero variances and
// variances from 1e−6 to 1e6.
//
// Tolerance: 1e−13 relative to max(|value|, scale), where scale is the natural magnitude of the
// entry, the Cauchy–Schwarz bound √(Σ′(q1,q1,q1)·Σ′(q2,q2,q2)) ≥ |Σ′(q1,q2,c)| (the same with Σ̇
// for Σ̇). Where the closed form cancels (ρ → −1, high-order arc-cosine kernels) the JS value itself
// is only accurate to that scale. Where the JS value is not finite (overflow) or the JS rule throws
// (gaussian with 2bq ≥ 1), the wasm value must not be finite either.

const TOL = 1e-13;
const enabled = process.env['WIDE_KERNELS'] !== 'js';

interface Entry {
  q1: number;
  q2: number;
  c: number;
}

/** Uniform on [lo, hi] in 2⁵³ steps (fc.double is uniform over bit patterns: mostly tiny numbers). */
const uniform = (lo: number, hi: number) => fc.integer({ min: 0, max: 2 ** 53 - 1 }).map((i) => lo + ((hi - lo) * i) / 2 ** 53);
const sym = (m: number) => uniform(-m, m);

const variance = fc.oneof(
  { weight: 6, arbitrary: uniform(1e-3, 3) },
  { weight: 2, arbitrary: uniform(-6, 6).map((e) => 10 ** e) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const correlation = fc.oneof(
  { weight: 6, arbitrary: sym(1) },
  { weight: 2, arbitrary: fc.constantFrom(1, -1, 1 - 1e-12, -1 + 1e-12, 0) },
  { weight: 1, arbitrary: fc.tuple(fc.boolean(), uniform(-16, -1)).map(([neg, e]) => (neg ? -1 : 1) * (1 - 10 ** e)) },
);
const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ q1: variance, q2: variance, rho: correlation }).map(({ q1, q2, rho }) => ({ q1, q2, c: rho * Math.sqrt(q1 * q2) })) },
  { weight: 1, arbitrary: variance.map((q) => ({ q1: q, q2: q, c: q })) },
);
// Odd lengths too: the batch kernel's tail runs in one lane.
const entries = fc.array(entry, { minLength: 1, maxLength: 33 });

/** Compares wasm and JS on the entries; returns the worst error relative to the scale (for the report). */
function compare(rule: PairRule, es: readonly Entry[]): number {
  const w = wasmRuleBatch(rule, es.map((e) => e.q1), es.map((e) => e.q2), es.map((e) => e.c));
  expect(w).not.toBeNull();
  let worst = 0;
  es.forEach(({ q1, q2, c }, i) => {
    for (const [which, js, got] of [
      ['nngp', rule.nngp.bind(rule), w!.nngp[i]!],
      ['dnngp', rule.dnngp.bind(rule), w!.dot[i]!],
    ] as const) {
      let want: number;
      try {
        want = js(q1, q2, c);
      } catch {
        want = NaN; // the JS rule throws: the wasm rule must give a non-finite value
      }
      const where = `${rule.id}(${rule.params.join(', ')}).${which}(${q1}, ${q2}, ${c}): wasm ${got}, JS ${want}`;
      if (!Number.isFinite(want)) {
        expect(Number.isFinite(got), where).toBe(false);
        continue;
      }
      let scale = 0;
      try {
        scale = Math.sqrt(Math.abs(js(q1, q1, q1))) * Math.sqrt(Math.abs(js(q2, q2, q2)));
      } catch {
        // gaussian: a valid pair whose diagonal diverges; |value| is the scale
      }
      if (!Number.isFinite(scale)) scale = 0;
      const err = Math.abs(got - want) / Math.max(Math.abs(want), scale, 1e-300);
      expect(err, where).toBeLessThanOrEqual(TOL);
      worst = Math.max(worst, err);
    }
  });
  return worst;
}

/** One property per family: random layer parameters (each layer's valid range) × random entries. */
const families: [string, fc.Arbitrary<PairRule>][] = [
  ['abRelu (relu, leakyRelu, abs)', fc.oneof(fc.tuple(sym(3), sym(3)).map(([a, b]) => abRelu(a, b).rule), fc.constantFrom(relu().rule, abs().rule), sym(1).map((a) => leakyRelu(a).rule))],
  ['erf (sigmoidLike)', fc.oneof(fc.tuple(sym(3), sym(3), sym(2)).map(([a, b, c]) => erf(a, b, c).rule), fc.constant(sigmoidLike().rule))],
  ['gelu', fc.constant(gelu().rule)],
  ['sin (cos, rbf)', fc.oneof(fc.tuple(sym(3), sym(3), sym(Math.PI)).map(([a, b, c]) => sin(a, b, c).rule), fc.tuple(sym(3), sym(3), sym(Math.PI)).map(([a, b, c]) => cos(a, b, c).rule), uniform(1e-3, 5).map((g) => rbf(g).rule))],
  ['sign', fc.constant(sign().rule)],
  ['step', fc.constant(step().rule)],
  ['exp', fc.tuple(sym(3), sym(2)).map(([a, b]) => exp(a, b).rule)],
  ['gaussian', fc.tuple(sym(3), uniform(-3, 0.3)).map(([a, b]) => gaussian(a, b).rule)],
  ['monomial', fc.integer({ min: 0, max: 5 }).map((d) => monomial(d).rule)],
  ['polynomial', fc.array(sym(2), { maxLength: 7 }).map((c) => polynomial(c).rule)],
  ['rectifiedMonomial', fc.integer({ min: 0, max: 30 }).map((d) => rectifiedMonomial(d).rule)],
];

describe.skipIf(!enabled)('WebAssembly rules equal the JS rules to 1e-13 (relative to max(|value|, Cauchy–Schwarz scale))', () => {
  it.each(families)('%s', (_name, ruleArb) => {
    fc.assert(fc.property(ruleArb, entries, (rule, es) => void compare(rule, es)), { numRuns: 150 });
  });

  it('extreme but valid parameters: finite where the JS rule is finite, non-finite where it is not', () => {
    const es: Entry[] = [];
    for (const q of [0, 1e-300, 1e-6, 1, 1e6, 1e150, 1e300]) {
      for (const rho of [1, -1, 0.3]) es.push({ q1: q, q2: q, c: rho * q }, { q1: q, q2: 1, c: rho * Math.sqrt(q) });
    }
    for (const rule of [relu().rule, erf(1e308).rule, erf(1, 1e154).rule, exp(1, 800).rule, exp(1e200, 1).rule, gaussian(1, 0.5).rule, gaussian(1e200, -1).rule,
      sin(1e200, 1e100).rule, gelu().rule, polynomial([1e100, -1e100, 1e100]).rule, rectifiedMonomial(30).rule, sigmoidLike().rule]) {
      compare(rule, es);
    }
  });
});

describe.skipIf(!enabled)('the gaussian pre-check', () => {
  it('throws exactly what the JS rule throws on a variance where E[φ²] diverges, and nothing where it converges', () => {
    fc.assert(
      fc.property(uniform(1e-3, 3), fc.array(uniform(0, 3), { minLength: 1, maxLength: 20 }), (b, qs) => {
        const rule = gaussian(1, b).rule;
        const v = Float64Array.from(qs);
        const bad = qs.find((q) => {
          try {
            rule.nngp(q, q, q);
            return false;
          } catch {
            return true;
          }
        });
        if (bad === undefined) {
          expect(() => nativeRulePrecheck(rule, v, v)).not.toThrow();
        } else {
          let message = '';
          try {
            rule.nngp(bad, bad, bad);
          } catch (e) {
            message = (e as Error).message;
          }
          expect(() => nativeRulePrecheck(rule, v, v)).toThrow(message);
        }
      }),
      { numRuns: 200 },
    );
  });
});
