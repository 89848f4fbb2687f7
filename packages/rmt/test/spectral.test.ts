// Spectral tools: Stieltjes transforms of atoms and grid densities against closed forms, inversion,
// histograms, kernel density estimates, and the KS / Wasserstein-1 distances against cases whose
// answer is known exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidRequestError, complex, ecdf, empiricalLaw, gridCdf, histogram, kernelDensity, ksDistance, linearGrid, parseGrid,
  stieltjesInversion, stieltjesOfAtoms, stieltjesOfDensity, wasserstein1,
} from '../src/index.js';
import { trapezoid } from './helpers.js';

describe('Stieltjes transforms', () => {
  it('of atoms: Σ w/(x − z), and the empirical law averages them', () => {
    const z = complex(0.5, 0.25);
    const m = stieltjesOfAtoms([0, 1], z, [0.25, 0.75]);
    // 0.25/(−0.5 − 0.25i) + 0.75/(0.5 − 0.25i)
    expect(m.re).toBeCloseTo(0.25 * (-0.5 / 0.3125) + 0.75 * (0.5 / 0.3125), 14);
    expect(m.im).toBeCloseTo(0.25 * (0.25 / 0.3125) + 0.75 * (0.25 / 0.3125), 14);
    const law = empiricalLaw([3, 1, 2]);
    const e = law.stieltjes(z);
    const direct = stieltjesOfAtoms([1, 2, 3], z);
    expect(e).toEqual(direct);
    expect(law.mean).toBe(2);
  });

  it('of the uniform density on [0, 1]: log((1 − z)/(−z)), exact for a linear density', () => {
    const x = linearGrid(0, 1, 3);
    const rho = Float64Array.of(1, 1, 1);
    for (const z of [complex(0.5, 1e-6), complex(2, 0.5), complex(-1, 3)]) {
      const m = stieltjesOfDensity(x, rho, z);
      // ∫_0^1 dt/(t − z) = log(1 − z) − log(−z)
      const l1 = { re: Math.log(Math.hypot(1 - z.re, z.im)), im: Math.atan2(-z.im, 1 - z.re) };
      const l0 = { re: Math.log(Math.hypot(z.re, z.im)), im: Math.atan2(-z.im, -z.re) };
      expect(m.re).toBeCloseTo(l1.re - l0.re, 12);
      expect(m.im).toBeCloseTo(l1.im - l0.im, 12);
    }
    // a triangle ρ(t) = 2t on [0, 1] is linear too: ∫ 2t/(t − z) = 2 + 2z·(log(1 − z) − log(−z))
    const tri = stieltjesOfDensity([0, 1], [0, 2], complex(0.3, 0.2));
    const z = complex(0.3, 0.2);
    const L = { re: Math.log(Math.hypot(0.7, 0.2)) - Math.log(Math.hypot(0.3, 0.2)), im: Math.atan2(-0.2, 0.7) - Math.atan2(-0.2, -0.3) };
    expect(tri.re).toBeCloseTo(2 + 2 * (z.re * L.re - z.im * L.im), 12);
    expect(tri.im).toBeCloseTo(2 * (z.re * L.im + z.im * L.re), 12);
  });

  it('inversion at small η recovers the density (semicircle), minus a smeared atom', () => {
    // Semicircle on [−2, 2]: m(z) = (−z + √(z − 2)·√(z + 2))/2, density √(4 − x²)/(2π).
    const m = (z: { re: number; im: number }) => {
      const sq = (w: { re: number; im: number }) => { const r = Math.hypot(w.re, w.im); const t = Math.sqrt((r + Math.abs(w.re)) / 2); return w.re >= 0 ? { re: t, im: w.im / (2 * t) } : { re: Math.abs(w.im) / (2 * t), im: w.im >= 0 ? t : -t }; };
      const a = sq({ re: z.re - 2, im: z.im });
      const b = sq({ re: z.re + 2, im: z.im });
      const p = { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
      return { re: (-z.re + p.re) / 2, im: (-z.im + p.im) / 2 };
    };
    const x = linearGrid(-2.5, 2.5, 101);
    const rho = stieltjesInversion(m, x, 1e-9);
    // ≈ 1e-7 inside; at the square-root edges x = ±2 the Cauchy smoothing leaves O(√η)
    for (let i = 0; i < x.length; i++) expect(rho[i]!).toBeCloseTo(Math.abs(x[i]!) < 2 ? Math.sqrt(4 - x[i]! ** 2) / (2 * Math.PI) : 0, Math.abs(Math.abs(x[i]!) - 2) < 1e-12 ? 4 : 6);
    // with an atom of mass 0.3 at 1 added to the transform, subtracting it restores the density
    const withAtom = (z: { re: number; im: number }) => {
      const base = m(z);
      const dr = 1 - z.re;
      const d = dr * dr + z.im * z.im;
      return { re: 0.7 * base.re + (0.3 * dr) / d, im: 0.7 * base.im + (0.3 * z.im) / d };
    };
    const rho2 = stieltjesInversion(withAtom, x, 1e-3, [{ x: 1, mass: 0.3 }]);
    const rho1 = stieltjesInversion(m, x, 1e-3);
    for (let i = 0; i < x.length; i++) expect(rho2[i]!).toBeCloseTo(0.7 * rho1[i]!, 10);
    expect(() => stieltjesInversion(m, x, 0)).toThrow('eta: expected a number > 0, got 0');
  });
});

describe('histograms and kernel density estimates', () => {
  it('counts every value once, density integrates to the fraction inside', () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1, 2], { bins: 4, range: [0, 1] });
    expect(Array.from(h.counts)).toEqual([2, 0, 1, 2]);
    expect(h.outside).toBe(1);
    expect(h.density.reduce((s, v) => s + v * 0.25, 0)).toBeCloseTo(5 / 6, 14);
    expect(() => histogram([1], { range: [1, 1] })).toThrow(InvalidRequestError);
  });

  it('a KDE integrates to 1 and recovers a smooth density', () => {
    // quantiles of N(0, 1) by a deterministic sample: the inverse-CDF at (i + ½)/n via bisection on erf
    const n = 4000;
    const erf = (v: number) => { const t = 1 / (1 + 0.3275911 * Math.abs(v)); const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v); return v >= 0 ? y : -y; };
    const q = Float64Array.from({ length: n }, (_, i) => {
      const p = (i + 0.5) / n;
      let lo = -8, hi = 8;
      for (let k = 0; k < 80; k++) { const mid = (lo + hi) / 2; if (0.5 * (1 + erf(mid / Math.SQRT2)) < p) lo = mid; else hi = mid; }
      return (lo + hi) / 2;
    });
    const x = linearGrid(-6, 6, 601);
    const { density, bandwidth } = kernelDensity(q, x);
    expect(bandwidth).toBeGreaterThan(0.1);
    expect(bandwidth).toBeLessThan(0.3);
    expect(trapezoid(x, density)).toBeCloseTo(1, 5);
    expect(density[300]!).toBeCloseTo(1 / Math.sqrt(2 * Math.PI * (1 + bandwidth ** 2)), 2);
  });
});

describe('KS and Wasserstein-1 distances', () => {
  const uniform = { x: linearGrid(0, 1, 2), density: Float64Array.of(1, 1), atoms: [] };

  it('uniform quantiles (i + ½)/n against U(0, 1): KS = 1/(2n), W1 = 1/(4n)', () => {
    for (const n of [1, 10, 1000]) {
      const eig = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
      const ks = ksDistance(eig, uniform);
      expect(ks.distance).toBeCloseTo(1 / (2 * n), 14);
      expect(ks.mass).toBe(1);
      expect(wasserstein1(eig, uniform)).toBeCloseTo(1 / (4 * n), 14);
    }
  });

  it('a point mass at c against U(0, 1): KS = max(c, 1 − c), W1 = c²/2 + (1 − c)²/2', () => {
    for (const c of [0.2, 0.5, 0.9]) {
      expect(ksDistance([c], uniform).distance).toBeCloseTo(Math.max(c, 1 - c), 14);
      expect(wasserstein1([c], uniform)).toBeCloseTo((c * c + (1 - c) ** 2) / 2, 14);
    }
  });

  it('atoms: a law ½δ₀ + ½U(1, 2) against eigenvalues at ±1e-13 and in (1, 2)', () => {
    const law = { x: linearGrid(1, 2, 2), density: Float64Array.of(0.5, 0.5), atoms: [{ x: 0, mass: 0.5 }] };
    const eig = [-1e-13, 1e-13, 1.25, 1.75];
    expect(ksDistance(eig, law).distance).toBeCloseTo(0.125, 14);
    expect(ksDistance(eig, law, { atomTolerance: 0 }).distance).toBeCloseTo(0.25, 12); // without snapping, −1e-13 is below the atom
    // |F_n − F| is a triangle of height 1/8 on each quarter of [1, 2]
    expect(wasserstein1(eig, law)).toBeCloseTo(4 * ((0.125 * 0.25) / 2), 12);
    const F = gridCdf(law);
    expect(F.at(0)).toBe(0.5);
    expect(F.before(0)).toBe(0);
    expect(F.at(1.5)).toBeCloseTo(0.75, 15);
  });

  it('property: KS ∈ [0, 1], W1 ≥ 0, and both vanish in the limit of many quantiles of a piecewise-linear law', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 3, maxLength: 8 }), (values) => {
        const x = linearGrid(0, 1, values.length);
        const mass = trapezoid(x, values);
        fc.pre(mass > 1e-3);
        const law = { x, density: Float64Array.from(values, (v) => v / mass), atoms: [] };
        const F = gridCdf(law);
        const n = 400;
        // quantiles by bisection on F
        const eig = Float64Array.from({ length: n }, (_, i) => {
          let lo = 0, hi = 1;
          for (let k = 0; k < 60; k++) { const mid = (lo + hi) / 2; if (F.at(mid) < (i + 0.5) / n) lo = mid; else hi = mid; }
          return (lo + hi) / 2;
        });
        const ks = ksDistance(eig, law).distance;
        expect(ks).toBeGreaterThanOrEqual(0);
        expect(ks).toBeLessThanOrEqual(0.5 / n + 1e-9);
        const w = wasserstein1(eig, law);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThan(1 / n);
        expect(ecdf(eig, 2)).toBe(1);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects grids that are not increasing and densities with negative values', () => {
    expect(() => ksDistance([1], { x: Float64Array.of(0, 0), density: Float64Array.of(1, 1), atoms: [] })).toThrow('law.x: expected strictly increasing points');
    expect(() => ksDistance([1], { x: Float64Array.of(0, 1), density: Float64Array.of(1, -1), atoms: [] })).toThrow('law.density[1]: expected a finite number ≥ 0, got -1');
    expect(() => ksDistance([Number.NaN], uniform)).toThrow('eigenvalues[0]: expected a finite number, got NaN');
  });
});

describe('grids', () => {
  it('parses a:b:k and rejects a ≥ b', () => {
    expect(Array.from(parseGrid('0:1:5'))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => parseGrid('3:1:10')).toThrow('grid: expected a < b, got a = 3, b = 1');
    expect(() => parseGrid('1:1:10')).toThrow(InvalidRequestError);
    expect(() => parseGrid('0:1:1')).toThrow('grid: expected an integer k ≥ 2 in a:b:k, got "0:1:1"');
    expect(() => parseGrid('0:1')).toThrow('grid: expected a:b:k (e.g. 0:10:2000), got "0:1"');
  });
});
