import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { PairRule } from '../src/backend.js';
import { MATH_IDS, RULE_IDS, nativeRule, nativeRulePrecheck, wasmMathBatch, wasmRuleBatch } from '../src/cpu/wasm/rule-ids.js';
import { resetWasmRuntime, wasmRuntime } from '../src/cpu/wasm/runtime.js';

// The vector elementary functions of assembly/math.ts against V8's Math.* (fdlibm), in ulps, on
// both builds (relaxed-SIMD FMA and plain SIMD), and the JS side of the native rules. The rules
// themselves are compared with the JS rules in packages/layers/test/wasm-rules.test.ts.

const f = new Float64Array(1);
const bits = new BigInt64Array(f.buffer);
/** Position of x on the line of doubles (monotone, −0 = +0). */
function ordinal(x: number): bigint {
  f[0] = x;
  const i = bits[0]!;
  return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
}
/** Distance in ulps (0 when both are NaN, ∞ when one is). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

type MathFn = keyof typeof MATH_IDS;
const reference: Record<MathFn, (x: number) => number> = { acos: Math.acos, asin: Math.asin, exp: Math.exp };

function maxUlps(fn: MathFn, xs: number[]): { max: number; at: number } {
  const out = wasmMathBatch(fn, xs)!;
  let max = 0;
  let at = NaN;
  xs.forEach((x, i) => {
    const u = ulps(out[i]!, reference[fn](x));
    if (u > max) [max, at] = [u, x];
  });
  return { max, at };
}

function uniform(n: number, lo: number, hi: number, rng: () => number): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * rng());
}

/** A seeded generator (mulberry32), so the sweeps are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const unitEdges = [0, -0, 1, -1, 0.5, -0.5, 0.5000000000000001, 0.49999999999999994, -0.49999999999999994, 1 - 2 ** -53, -(1 - 2 ** -53), 1 - 1e-12, -1 + 1e-12,
  5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 2 ** -57, 2 ** -27, 0.975, -0.975, 1.0000000000000002, -1.0000000000000002, 2, -7, 1e300, NaN, Infinity, -Infinity];
const expEdges = [0, -0, 1, -1, 0.5, 709.782712893384, 709.7827128933841, 710, -745.1332191019411, -745.1332191019412, -708.3964185322641, -708.3964185322642, -744.44,
  -720, 0.34657359027997264, -0.34657359027997264, 5e-324, -5e-324, 1e-300, 1e300, -1e300, NaN, Infinity, -Infinity];

/** The sweeps and properties, run on the build the runtime picked. */
function mathSuite(build: string) {
  describe(`vector acos, asin, exp vs Math.* (${build})`, () => {
    const rng = seeded(7);
    const unit = uniform(200_000, -1, 1, rng);
    const nearOne = Array.from({ length: 100_000 }, () => (rng() < 0.5 ? -1 : 1) * (1 - 10 ** (-16 * rng())));
    const tiny = Array.from({ length: 100_000 }, () => (rng() < 0.5 ? -1 : 1) * 10 ** (-323 * rng()));

    for (const fn of ['acos', 'asin'] as const) {
      it(`${fn}: ≤ 1 ulp on [−1, 1], near ±1, at tiny and subnormal x; exact at the edges; NaN outside [−1, 1]`, () => {
        for (const xs of [unit, nearOne, tiny]) expect(maxUlps(fn, xs).max).toBeLessThanOrEqual(1);
        const edges = maxUlps(fn, unitEdges);
        expect(edges.max).toBe(0);
      });
      it(`${fn}: fast-check, ≤ 1 ulp for any double in [−1, 1]`, () => {
        fc.assert(
          fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (x) => maxUlps(fn, [x]).max <= 1),
          { numRuns: 500 },
        );
      });
    }

    it('exp: ≤ 1 ulp over [−760, 720], [−2, 2], the subnormal results and the overflow edge; 0 and +∞ at the right thresholds', () => {
      for (const [lo, hi] of [[-760, 720], [-2, 2], [-746, -707], [709, 710]] as const) {
        expect(maxUlps('exp', uniform(100_000, lo, hi, rng)).max).toBeLessThanOrEqual(1);
      }
      expect(maxUlps('exp', tiny).max).toBeLessThanOrEqual(1);
      expect(maxUlps('exp', expEdges).max).toBeLessThanOrEqual(1);
      const [over, under, last, first] = wasmMathBatch('exp', [709.7827128933841, -745.1332191019412, 709.782712893384, -745.1332191019411])!;
      expect([over, under]).toEqual([Infinity, 0]);
      expect(last).toBe(Math.exp(709.782712893384));
      expect(first).toBe(5e-324);
    });
    it('exp: fast-check, ≤ 1 ulp for any double', () => {
      fc.assert(fc.property(fc.double(), (x) => maxUlps('exp', [x]).max <= 1), { numRuns: 500 });
    });
    it('odd lengths: the tail element is computed too', () => {
      const xs = [0.1, 0.2, 0.3];
      expect(Array.from(wasmMathBatch('acos', xs)!)).toEqual(xs.map((x) => wasmMathBatch('acos', [x, x])![0]));
      expect(wasmMathBatch('exp', [])!.length).toBe(0);
    });
  });
}

afterAll(() => {
  delete process.env['WIDE_WASM_FMA'];
  resetWasmRuntime();
});
it('the runtime loads', () => {
  expect(wasmRuntime()).not.toBeNull();
});
mathSuite('default build: relaxed-SIMD FMA where the engine has it');
describe('plain SIMD build (WIDE_WASM_FMA=0)', () => {
  it('switches', () => {
    process.env['WIDE_WASM_FMA'] = '0';
    resetWasmRuntime();
    expect(wasmRuntime()!.relaxed).toBe(false);
  });
});
mathSuite('plain SIMD build');

describe('native rule table (JS side)', () => {
  const rule = (id: string, params: number[]): PairRule => ({ id, params, nngp: () => NaN, dnngp: () => NaN });

  it('the rule and math ids agree with assembly/rules/dispatch.ts and batch.ts', () => {
    const read = (file: string) => readFileSync(new URL(`../assembly/rules/${file}`, import.meta.url), 'utf8');
    const constants = (src: string, prefix: string) =>
      Object.fromEntries([...src.matchAll(new RegExp(`export const ${prefix}_([A-Z_]+): i32 = (\\d+);`, 'g'))].map((m) => [m[1]!, Number(m[2])]));
    const camel = (s: string) => s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const ids = constants(read('dispatch.ts'), 'RULE');
    expect(Object.fromEntries(Object.entries(ids).map(([k, v]) => [camel(k), v]))).toEqual(RULE_IDS);
    expect(Object.fromEntries(Object.entries(constants(read('batch.ts'), 'MATH')).map(([k, v]) => [camel(k), v]))).toEqual(MATH_IDS);
  });

  it('maps every closed-form rule, and nothing else', () => {
    expect(nativeRule(rule('abRelu', [0, 1]))!.params).toEqual(Float64Array.from([0.5, 1, 1 / (2 * Math.PI)]));
    expect(nativeRule(rule('monomial', [0, 0, 1]))!.id).toBe(RULE_IDS.polynomial);
    // x² : E[u²v²] = q1q2 + 2c² (terms k = 0 and k = 2), Σ̇ = E[4uv] = 4c.
    expect(Array.from(nativeRule(rule('polynomial', [0, 0, 1]))!.params)).toEqual([2, 1, 1, 0, 1, 1, 2, 2, 0, 0, 4, 1, 0, 0]);
    // J_0 = π − θ; J_1 = sin θ + (π − θ) cos θ.
    expect(Array.from(nativeRule(rule('rectifiedMonomial', [1]))!.params)).toEqual([1, 2, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0]);
    for (const r of [rule('quadrature', [40]), rule('abRelu', [1]), rule('abRelu', [NaN, 1]), rule('rectifiedMonomial', [31]), rule('rectifiedMonomial', [1.5]), rule('gelu', [1]), rule('nope', [])]) {
      expect(nativeRule(r)).toBeNull();
    }
  });

  it('the gaussian pre-check throws the JS rule\'s error where E[φ²] diverges, and passes otherwise', () => {
    const g = rule('gaussian', [1, 0.3]);
    expect(() => nativeRulePrecheck(g, Float64Array.of(0.1, 0.8), Float64Array.of(0.2))).not.toThrow();
    expect(() => nativeRulePrecheck(g, Float64Array.of(0.1, 0.9), Float64Array.of(0.2))).toThrow(
      'gaussian activation with b = 0.3: E[φ²] diverges for variances 0.9, 0.9 (needs 2·b·q < 1)',
    );
    expect(() => nativeRulePrecheck(rule('gaussian', [1, -5]), Float64Array.of(10, 1e3), Float64Array.of(0))).not.toThrow();
    // As the JS rule (it throws on a NaN determinant): a non-finite variance does not pass.
    expect(() => nativeRulePrecheck(rule('gaussian', [1, -5]), Float64Array.of(NaN), Float64Array.of(0))).toThrow('diverges for variances NaN, NaN');
    expect(() => nativeRulePrecheck(rule('abRelu', [0, 1]), Float64Array.of(NaN), Float64Array.of(0))).not.toThrow();
  });

  it('the wasm gaussian rule gives NaN (both outputs) in the divergent region, never a finite number', () => {
    const r = wasmRuleBatch(rule('gaussian', [1, 0.3]), [0.9, 2, 0.5], [0.9, 0.1, 0.5], [0.9, 0, -0.5])!;
    expect(Array.from(r.nngp).map(Number.isNaN)).toEqual([true, true, false]);
    expect(Array.from(r.dot).map(Number.isNaN)).toEqual([true, true, false]);
  });

  it('relu through the batch kernel, odd length: Σ′ = √(q1q2)(sin θ + (π−θ)cos θ)/(2π), Σ̇ = (π−θ)/(2π)', () => {
    const q1 = [1, 2, 0, 4, 1];
    const q2 = [1, 0.5, 3, 9, 1];
    const c = [1, -1, 0, 2, 0.3];
    const r = wasmRuleBatch(rule('abRelu', [0, 1]), q1, q2, c)!;
    q1.forEach((a, i) => {
      const s = Math.sqrt(a * q2[i]!);
      const rho = s > 0 ? c[i]! / s : 0;
      const t = Math.acos(rho);
      expect(r.nngp[i]).toBeCloseTo((s * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI), 15);
      expect(r.dot[i]).toBeCloseTo((Math.PI - t) / (2 * Math.PI), 15);
    });
  });
});
