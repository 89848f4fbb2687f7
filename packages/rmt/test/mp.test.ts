// Marchenko–Pastur: closed forms against their own integrals, the known moments, a second method
// (the MP map of δ₁, solved numerically) and simulated Wishart spectra.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidRequestError, affineLaw, complex, geometricGrid, ksDistance, linearGrid, marchenkoPastur, marchenkoPasturAtom, marchenkoPasturDensity,
  marchenkoPasturEdges, marchenkoPasturMap, marchenkoPasturMoment, marchenkoPasturStieltjes, mergeGrids, stieltjesOfDensity,
} from '../src/index.js';
import { trapezoid, wishartSpectrum } from './helpers.js';

/** A grid fine near both edges (the density has square-root edges and, at γ = 1, a 1/√x pole). */
function mpGrid(gamma: number, k = 4000): Float64Array {
  const [a, b] = marchenkoPasturEdges(gamma);
  const lo = Math.max(a, 1e-12);
  const mid = (a + b) / 2;
  const left = Float64Array.from(geometricGrid(1e-12, mid - lo, k), (u) => lo + u);
  const right = Float64Array.from(geometricGrid(1e-12, b - mid, k), (u) => b - u).reverse();
  return mergeGrids(left, right);
}

describe('Marchenko–Pastur closed forms', () => {
  it.each([0.25, 0.5, 1, 2, 3])('γ = %s: the density integrates to 1 − atom and has moments 1 and 1 + γ', (gamma) => {
    const x = mpGrid(gamma);
    const rho = Float64Array.from(x, (t) => marchenkoPasturDensity(gamma, t));
    const atom = marchenkoPasturAtom(gamma);
    // The trapezoid rule on the square-root edges leaves ≈ 1e-6 (γ = 1: the 1/√x pole at 0, cut at 1e-12, 2e-5).
    const tol = gamma === 1 ? 3e-5 : 5e-6;
    expect(Math.abs(trapezoid(x, rho) - (1 - atom))).toBeLessThan(tol);
    expect(Math.abs(trapezoid(x, Float64Array.from(x, (t, i) => t * rho[i]!)) - 1)).toBeLessThan(tol);
    expect(Math.abs(trapezoid(x, Float64Array.from(x, (t, i) => t * t * rho[i]!)) - (1 + gamma))).toBeLessThan(4 * tol);
    expect(marchenkoPasturMoment(gamma, 1)).toBe(1);
    expect(marchenkoPasturMoment(gamma, 2)).toBeCloseTo(1 + gamma, 14);
    // E λ³ = 1 + 3γ + γ² (Narayana).
    expect(marchenkoPasturMoment(gamma, 3)).toBeCloseTo(1 + 3 * gamma + gamma * gamma, 12);
    expect(trapezoid(x, Float64Array.from(x, (t, i) => t ** 3 * rho[i]!))).toBeCloseTo(1 + 3 * gamma + gamma * gamma, 4);
  });

  it('edges and atom: (1 ∓ √γ)², 1 − 1/γ for γ > 1', () => {
    expect(marchenkoPasturEdges(0.5)).toEqual([(1 - Math.SQRT1_2) ** 2, (1 + Math.SQRT1_2) ** 2]);
    expect(marchenkoPasturAtom(3)).toBeCloseTo(2 / 3, 15);
    expect(marchenkoPasturAtom(0.9)).toBe(0);
    // The reference note's anchor: MP(3) has bulk [0.536, 7.464].
    const [a, b] = marchenkoPasturEdges(3);
    expect(a).toBeCloseTo(0.5359, 4);
    expect(b).toBeCloseTo(7.4641, 4);
  });

  it('the Stieltjes transform equals ∫ρ/(x − z) of its own density (plus the atom), and has the anchor value', () => {
    for (const gamma of [0.5, 3]) {
      const x = mpGrid(gamma);
      const rho = Float64Array.from(x, (t) => marchenkoPasturDensity(gamma, t));
      for (const z of [complex(0.7, 0.05), complex(1.5, 0.2), complex(-2, 0.5), complex(10, 1)]) {
        let m = stieltjesOfDensity(x, rho, z);
        const atom = marchenkoPasturAtom(gamma);
        const d = z.re * z.re + z.im * z.im;
        m = complex(m.re - (atom * z.re) / d, m.im + (atom * z.im) / d);
        const c = marchenkoPasturStieltjes(gamma, z);
        expect(Math.hypot(m.re - c.re, m.im - c.im)).toBeLessThan(1e-5); // the grid density's own trapezoid error
      }
    }
    // Reference note §2.3: m(0.7 + 0.05i) = −0.2194705201 + 1.6124825114i for γ = 0.5.
    const m = marchenkoPasturStieltjes(0.5, complex(0.7, 0.05));
    expect(m.re).toBeCloseTo(-0.2194705201, 10);
    expect(m.im).toBeCloseTo(1.6124825114, 10);
  });

  it('property: Herglotz (Im m > 0 on ℂ⁺), m ~ −1/z at infinity, and the quadratic γz·m² − (1 − γ − z)·m + 1 = 0', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 20, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1e-9, max: 30, noNaN: true }), (gamma, re, im) => {
        const z = complex(re, im);
        const m = marchenkoPasturStieltjes(gamma, z);
        expect(m.im).toBeGreaterThan(0);
        // residual of the quadratic, relative to its terms
        const zm = { re: z.re * m.re - z.im * m.im, im: z.re * m.im + z.im * m.re };
        const zm2 = { re: zm.re * m.re - zm.im * m.im, im: zm.re * m.im + zm.im * m.re };
        const bm = { re: (1 - gamma - z.re) * m.re + z.im * m.im, im: (1 - gamma - z.re) * m.im - z.im * m.re };
        const r = Math.hypot(gamma * zm2.re - bm.re + 1, gamma * zm2.im - bm.im);
        const scale = 1 + Math.hypot(gamma * zm2.re, gamma * zm2.im) + Math.hypot(bm.re, bm.im);
        expect(r / scale).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
    const far = marchenkoPasturStieltjes(2, complex(1e6, 1));
    expect(far.re * -1e6).toBeCloseTo(1, 5);
  });

  it('rejects γ ≤ 0 with a typed one-line error', () => {
    expect(() => marchenkoPastur(0)).toThrow(InvalidRequestError);
    expect(() => marchenkoPastur(-1)).toThrow('gamma: expected a number > 0, got -1');
    expect(() => marchenkoPasturMap(marchenkoPastur(1), Number.NaN)).toThrow('gamma: expected a number > 0, got NaN');
  });
});

describe('the MP map ρ_γ ⊠ μ (eq. 6)', () => {
  const delta1 = affineLaw(marchenkoPastur(1), 1, 0);

  it.each([0.3, 1, 2, 3])('of δ₁ is the closed form at γ = %s (transform and density, atom at 0)', (gamma) => {
    const law = marchenkoPasturMap(delta1, gamma);
    for (const z of [complex(0.7, 0.05), complex(1.5, 0.2), complex(3, 1e-8), complex(0.01, 1e-8), complex(-1, 1e-9), complex(5, 3)]) {
      const a = law.stieltjes(z);
      const b = marchenkoPasturStieltjes(gamma, z);
      expect(Math.hypot(a.re - b.re, a.im - b.im) / Math.hypot(b.re, b.im)).toBeLessThan(1e-10);
    }
    const x = linearGrid(0.001, 10, 400);
    const d = law.density(x);
    expect(d.converged).toBe(true);
    for (let i = 0; i < x.length; i++) expect(Math.abs(d.density[i]! - marchenkoPasturDensity(gamma, x[i]!))).toBeLessThan(1e-5);
    expect(law.atoms).toEqual(gamma > 1 ? [{ x: 0, mass: 1 - 1 / gamma }] : []);
  });

  it('keeps the mean and adds γ·m₁² to the second moment (large-z expansion of m), for a two-atom law', () => {
    // μ = ½δ₁ + ½δ₃ as an affine image of a Bernoulli-like law: 1 + 2·B with B = ½δ₀ + ½δ₁.
    const twoAtoms = { name: '½δ1+½δ3', stieltjes: (z: { re: number; im: number }) => {
      const a = (x: number) => { const dr = x - z.re; const dd = dr * dr + z.im * z.im; return { re: dr / dd, im: z.im / dd }; };
      const p = a(1); const q = a(3);
      return { re: (p.re + q.re) / 2, im: (p.im + q.im) / 2 };
    }, atoms: [{ x: 1, mass: 0.5 }, { x: 3, mass: 0.5 }], mean: 2, bounds: [1, 3] as const };
    const gamma = 0.7;
    const law = marchenkoPasturMap(twoAtoms, gamma);
    // m(iY) = −1/z − m1/z² − m2/z³ − …: Re[−z²(m + 1/z)] = m1 − m3/Y², −Y·Im[−z²(m + 1/z) − m1] ≈ m2.
    const Y = 1000;
    const z = complex(0, Y);
    const m = law.stieltjes(z);
    const u = { re: m.re, im: m.im - 1 / Y }; // m + 1/z with 1/(iY) = −i/Y
    const w = { re: Y * Y * u.re, im: Y * Y * u.im }; // −z²·u = Y²·u
    const m3 = 0.5 * (1 + 27) + 3 * gamma * 2 * 5 + gamma * gamma * 8; // MP⊠μ third moment: m3(μ) + 3γ m1 m2 + γ² m1³
    expect(w.re + m3 / (Y * Y)).toBeCloseTo(2, 7);
    const m2 = 5 + gamma * 4;
    expect(-Y * w.im).toBeCloseTo(m2, 3);
  });
});

describe('the MP map never returns negative or NaN densities', () => {
  it('property: MP(γ) ⊠ ((1 − b²) + b²·MP(γ₀)) on grids through negative x, the atom at 0, the bulk and beyond', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (g0, g, b2) => {
        const law = marchenkoPasturMap(affineLaw(marchenkoPastur(g0), 1 - b2, b2), g);
        const x = mergeGrids(linearGrid(-1, law.bounds[1] + 1, 40), geometricGrid(1e-6, 0.1, 8));
        const d = law.density(x);
        expect(d.failures).toBe(0);
        for (const v of d.density) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('simulated Wishart spectra against the MP law', () => {
  it.each([
    [0.5, 4000],
    [2, 1000],
  ])('γ = %s at n = 2000: KS ≤ 0.02', (gamma, d) => {
    const n = 2000;
    const eig = wishartSpectrum(n, d, 11);
    const law = marchenkoPastur(gamma);
    const [a, b] = law.edges;
    const x = mergeGrids(linearGrid(Math.max(a, 1e-9), b, 3000), Float64Array.from(geometricGrid(1e-9, 1e-2, 200), (u) => Math.max(a, 1e-9) + u), Float64Array.from(geometricGrid(1e-9, 1e-2, 200), (u) => b - u));
    const ks = ksDistance(eig, law.density!(x));
    expect(ks.mass).toBeCloseTo(1, 4);
    expect(ks.distance).toBeLessThan(0.02);
    // and not by accident: against MP with a wrong ratio the distance is large
    const wrong = marchenkoPastur(gamma * 1.5);
    const xw = linearGrid(Math.max(wrong.edges[0], 1e-9), wrong.edges[1], 3000);
    expect(ksDistance(eig, wrong.density!(xw)).distance).toBeGreaterThan(0.05);
  });
});
