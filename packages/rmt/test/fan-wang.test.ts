// Fan & Wang (2020): the activation constants, the limit laws against the reference note's anchors
// (§2.3, computed there independently), against a second method (nested MP maps), against the
// L = 1 reduction to Marchenko–Pastur and the moment identities, and the solver's guarantees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidRequestError, NormalisationError, UndefinedMomentError, activationConstants, activationFrom, activations, affineLaw, complex,
  empiricalLaw, fanWang, fanWangFromArchitecture, fanWangFromConstants, fanWangLaw, geometricGrid, lemma35Constants, linearGrid, marchenkoPastur, marchenkoPasturMap,
  marchenkoPasturStieltjes, mergeGrids, normalizeActivation,
} from '../src/index.js';
import { trapezoid } from './helpers.js';

const C = 0.6705974324696614; // √E[arctan(ξ)²], reference note §2.3
const arctanOverC = activationFrom('arctan/c', (x) => Math.atan(x) / C, { dfn: (x) => 1 / (C * (1 + x * x)) });
const fig1 = () => fanWang({ input: marchenkoPastur(3), gammas: [0.5, 0.5, 0.5, 0.5, 0.5], activations: arctanOverC });

describe('activation constants (eq. 7)', () => {
  it('normalised arctan: c, b_σ, a_σ and the L = 5 constants q, r, r₊ of the reference note', () => {
    const n = normalizeActivation(activations.arctan());
    expect(n.scale).toBeCloseTo(1 / C, 13);
    expect(n.shift).toBeCloseTo(0, 15);
    const k = activationConstants(arctanOverC);
    expect(k.mean).toBeCloseTo(0, 15);
    expect(k.secondMoment).toBeCloseTo(1, 13);
    expect(k.b).toBeCloseTo(0.9777543287096648, 13);
    expect(k.a).toBeCloseTo(1.1118500801907507, 13);
    const { q, r, rPlus } = fig1().lemma35();
    [0.798541, 0.835291, 0.873732, 0.913943, 0.956004].forEach((v, i) => expect(q[i]!).toBeCloseTo(v, 6));
    [1.699148, 1.528217, 1.374481, 1.236211, 1.11185].forEach((v, i) => expect(r[i]!).toBeCloseTo(v, 6));
    expect(rPlus).toBeCloseTo(2.572394425, 9);
  });

  it('normalised ReLU in closed form: b = ½/s, a = ½/s² with s² = ½ − 1/(2π) (a second method: no quadrature)', () => {
    const relu = normalizeActivation(activations.relu());
    const s2 = 0.5 - 1 / (2 * Math.PI);
    expect(relu.shift).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 14);
    const k = activationConstants(relu);
    expect(k.b).toBeCloseTo(0.5 / Math.sqrt(s2), 13);
    expect(k.a).toBeCloseTo(0.5 / s2, 13);
  });

  it('b_σ of sign exists (Stein: 2φ(0)) but a_σ does not; the NTK then fails with a typed error, the CK does not', () => {
    const sign = activations.sign();
    const k = activationConstants(sign);
    expect(k.b).toBeCloseTo(2 / Math.sqrt(2 * Math.PI), 13);
    expect(k.a).toBeNaN();
    const model = fanWang({ input: marchenkoPastur(2), gammas: [0.5], activations: sign });
    expect(model.ck().stieltjes(complex(1, 0.5)).im).toBeGreaterThan(0);
    expect(() => model.ntk()).toThrow(UndefinedMomentError);
    expect(() => model.ntk()).toThrow('sign: a_σ = E[σ′(ξ)²] does not exist: σ jumps at 0');
  });

  it('normalisation: a clear error when none exists, and un-normalised activations are refused unless asked', () => {
    expect(() => normalizeActivation(activationFrom('const', () => 3))).toThrow(NormalisationError);
    expect(() => normalizeActivation(activationFrom('const', () => 3))).toThrow('const: no normalisation exists: σ(ξ) has variance');
    expect(() => normalizeActivation(activationFrom('exp(x²)', (x) => Math.exp(x * x)))).toThrow('exp(x²): no normalisation exists');
    expect(() => fanWang({ input: marchenkoPastur(2), gammas: [0.5], activations: activations.tanh() })).toThrow('tanh: not normalised: E σ(ξ) = 0');
    const ok = fanWang({ input: marchenkoPastur(2), gammas: [0.5], activations: activations.tanh(), normalize: true });
    expect(ok.constants![0]!.secondMoment).toBeCloseTo(1, 12);
  });
});

describe('Fan–Wang limit laws', () => {
  it('match the reference note’s Stieltjes anchors (CK and NTK, Figure 1 parameters) to 1e-8', () => {
    const model = fig1();
    const ck = model.ck();
    const ntk = model.ntk();
    const anchors: [number, number, number, number, 'ck' | 'ntk'][] = [
      [0.5, 0.5, -0.48253105, 1.07761063, 'ck'], [1, 0.1, -0.8065048, 0.40902383, 'ck'], [2, 0.01, -0.45718633, 0.16343098, 'ck'],
      [5, 0.1, -0.20794827, 0.05846817, 'ck'], [10, 0.01, -0.11687658, 0.01666341, 'ck'],
      [5, 0.5, -0.25849035, 0.12134079, 'ntk'], [10, 0.1, -0.0986347, 0.05526497, 'ntk'], [30, 0.01, -0.04081164, 0.01349939, 'ntk'], [3.2, 0.01, -1.24920859, 1.6617147, 'ntk'],
    ];
    for (const [re, im, mre, mim, which] of anchors) {
      const m = (which === 'ck' ? ck : ntk).stieltjes(complex(re, im));
      expect(Math.abs(m.re - mre)).toBeLessThan(1e-8);
      expect(Math.abs(m.im - mim)).toBeLessThan(1e-8);
    }
    // the NTK's unknowns s_1 … s_5 at z = 10 + 0.1i
    const s = ntk.solver.solve(complex(10, 0.1), null).state;
    [[0.29433, 0.10161], [0.3322, 0.07443], [0.40075, 0.05434], [0.54963, 0.03947], [1.01921, 0.02931]].forEach(([a, b], i) => {
      expect(s[i]!.re).toBeCloseTo(a!, 5);
      expect(s[i]!.im).toBeCloseTo(b!, 5);
    });
  });

  it('densities match the anchors; the NTK has a gap and a low bulk of mass exactly 1 − 1/γ₀ = 2/3', () => {
    const model = fig1();
    const ckX = Float64Array.of(0.02, 0.05, 0.1, 0.3, 0.5, 1, 2, 4, 8, 12);
    const ck = model.ck().density(ckX);
    [6.414119, 4.402812, 2.500931, 0.603373, 0.227027, 0.106669, 0.05139, 0.023259, 0.008551, 0.002574].forEach((v, i) => expect(ck.density[i]!).toBeCloseTo(v, 5));
    const ntkX = Float64Array.of(2.8, 3, 3.5, 3.9, 4.5, 5, 6, 8, 10, 15, 20, 30, 45, 54);
    const ntk = model.ntk().density(ntkX);
    [1.563333, 0.895833, 0.261894, 0.044753, 0, 0.012291, 0.02402, 0.021132, 0.017302, 0.011167, 0.007812, 0.004294, 0.001702, 0.000194].forEach((v, i) => expect(ntk.density[i]!).toBeCloseTo(v, 5));
    expect(ck.converged && ntk.converged).toBe(true);
    // low bulk [2.720, 3.928] and the upper bulk from 4.893 (reference note §2.3)
    const ntkLaw = model.ntk();
    const edge = (lo: number, hi: number) => ntkLaw.density(linearGrid(lo, hi, 801));
    const low = edge(2.7, 3.95);
    const mass = trapezoid(low.x, low.density);
    expect(mass).toBeCloseTo(2 / 3, 3);
    const support = (d: { x: Float64Array; density: Float64Array }) => {
      const inside = Array.from(d.x).filter((_, i) => d.density[i]! > 1e-6);
      return [inside[0]!, inside[inside.length - 1]!];
    };
    const [a, b] = support(low);
    expect(a).toBeCloseTo(2.72, 2);
    expect(b).toBeCloseTo(3.928, 2);
    const gap = edge(3.95, 4.95);
    const [c] = support({ x: gap.x, density: gap.density });
    expect(c).toBeCloseTo(4.893, 2);
    expect(ntkLaw.atoms).toEqual([]);
    expect(ntkLaw.mean).toBeCloseTo(7.949906, 6);
  });

  it('L = 1 with μ₀ = δ₁ is the MP law: ρ_γ ⊠ ((1 − b²) + b²δ₁) = ρ_γ (to 1e-10)', () => {
    const delta1 = affineLaw(marchenkoPastur(1), 1, 0);
    for (const b of [0.3, 0.9]) {
      const law = fanWangFromConstants({ input: delta1, gammas: [0.5], b }).ck();
      for (const z of [complex(0.7, 0.05), complex(1.5, 0.2)]) {
        const m = law.stieltjes(z);
        const e = marchenkoPasturStieltjes(0.5, z);
        expect(Math.hypot(m.re - e.re, m.im - e.im)).toBeLessThan(1e-10);
      }
    }
  });

  it('the CK at every layer equals nested MP maps μ_ℓ = ρ_γℓ ⊠ ((1 − b²) + b²μ_{ℓ−1}) (eq. 8), a second method', () => {
    const gammas = [0.5, 2, 0.8];
    const model = fanWangFromConstants({ input: marchenkoPastur(1.5), gammas, b: [0.9, 0.7, 0.95] });
    let nested = model.input;
    for (let l = 1; l <= 3; l++) {
      nested = marchenkoPasturMap(affineLaw(nested, 1 - model.b[l - 1]! ** 2, model.b[l - 1]! ** 2), gammas[l - 1]!);
      const joint = model.ck(l);
      for (const z of [complex(0.5, 0.3), complex(2, 0.05), complex(0.05, 0.01)]) {
        const a = joint.stieltjes(z);
        const e = nested.stieltjes(z);
        expect(Math.hypot(a.re - e.re, a.im - e.im) / Math.hypot(e.re, e.im)).toBeLessThan(1e-9);
      }
      // atom at 0: 1 − 1/γ₂ = ½ at layer 2 (width n/2), none at the others (the shift 1 − b² > 0)
      expect(joint.atoms).toEqual(l === 2 ? [{ x: 0, mass: 0.5 }] : []);
    }
  });

  it('moments: E λ = 1 and E λ² = 1 − b⁴ + b⁴·m₂(μ_{ℓ−1}) + γ_ℓ at every layer (large-z expansion)', () => {
    const model = fig1();
    let m2 = 1 + 3; // MP(3)
    const b4 = model.b[0]! ** 4;
    for (let l = 1; l <= 5; l++) {
      m2 = 1 - b4 + b4 * m2 + 0.5;
      // m(iY) = −1/z − m₁/z² − m₂/z³ − …, so Y²(m + 1/z) = m₁ − i·m₂/Y − m₃/Y² + …
      const Y = 1e4;
      const m = model.ck(l).stieltjes(complex(0, Y));
      const w = { re: Y * Y * m.re, im: Y * Y * (m.im - 1 / Y) };
      expect(w.re).toBeCloseTo(1, 6);
      expect(-Y * w.im).toBeCloseTo(m2, 3);
    }
  });

  it('Theorem 3.8: per-layer learning rates all equal to τ scale the NTK law by τ', () => {
    const model = fig1();
    const base = model.ntk();
    const scaled = model.ntk({ learningRates: [2, 2, 2, 2, 2, 2] });
    const z = complex(10, 0.5);
    const a = scaled.stieltjes(complex(2 * z.re, 2 * z.im));
    const b = base.stieltjes(z);
    // m_{2K}(2z) = m_K(z)/2
    expect(a.re).toBeCloseTo(b.re / 2, 10);
    expect(a.im).toBeCloseTo(b.im / 2, 10);
    expect(() => model.ntk({ learningRates: [1, 1] })).toThrow('learningRates: expected 6 numbers (τ_1 … τ_6: one per weight matrix, the read-out last), got 2');
  });

  it('a layer with b_σ = 0 (cos) makes the CK the MP law whatever came before', () => {
    const cosN = normalizeActivation(activations.cos());
    const model = fanWang({ input: marchenkoPastur(3), gammas: [0.5, 0.7], activations: cosN });
    expect(model.b[0]!).toBeCloseTo(0, 14);
    const m = model.ck(2).stieltjes(complex(1, 0.1));
    const e = marchenkoPasturStieltjes(0.7, complex(1, 0.1));
    expect(Math.hypot(m.re - e.re, m.im - e.im)).toBeLessThan(1e-12);
    // the NTK is r₊ + MP(γ_L)
    const { rPlus } = model.lemma35();
    const ntk = model.ntk().stieltjes(complex(1 + rPlus, 0.1));
    expect(Math.hypot(ntk.re - e.re, ntk.im - e.im)).toBeLessThan(1e-12);
  });
});

describe('the solver never returns negative or NaN densities, and reports what did not converge', () => {
  it('property: random depths, ratios, b and grids give finite densities ≥ 0 that converged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.double({ min: 0.02, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.boolean(),
        (L, gammas, b, gamma0, ntk) => {
          const model = fanWangFromConstants({ input: marchenkoPastur(gamma0), gammas: gammas.slice(0, L), b: b.slice(0, L), a: b.slice(0, L).map((v) => 1 + v) });
          const law = ntk ? model.ntk() : model.ck();
          // negative x, the region near an atom at 0 (γ_L > 1), bulks, gaps and beyond the support
          const x = mergeGrids(linearGrid(law.bounds[0] - 0.5, Math.min(law.bounds[1], law.mean * 6 + 5), 40), geometricGrid(1e-6, 0.1, 10));
          const d = law.density(x);
          for (const v of d.density) {
            expect(Number.isFinite(v)).toBe(true);
            expect(v).toBeGreaterThanOrEqual(0);
          }
          expect(d.failures).toBe(0);
          expect(d.converged).toBe(true);
          expect(d.iterations.every((k) => k >= 0)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('an input law that breaks down (NaN) gives densities 0, never NaN, and the failures are counted', () => {
    const broken = { name: 'broken', stieltjes: (z: { re: number; im: number }) => (z.re > 1 ? { re: Number.NaN, im: Number.NaN } : marchenkoPasturStieltjes(2, z)), atoms: [], mean: 1, bounds: [0, 6] as const };
    const law = fanWangLaw({ input: broken, gammas: [0.5], b2: [0.8] }, [0, 0, 1], 'broken CK');
    const d = law.density(linearGrid(0.05, 8, 60));
    expect(d.failures).toBeGreaterThan(0);
    expect(d.converged).toBe(false);
    for (const v of d.density) expect(v).toBeGreaterThanOrEqual(0);
    expect(Array.from(d.pointConverged).filter((v) => v === 0).length).toBe(d.failures);
    expect(() => law.stieltjes(complex(5, 0.5))).toThrow(/broken CK: the fixed point at z = 5\.00000\+0\.500000i did not converge/);
  });

  it('invalid requests are one-line typed errors', () => {
    expect(() => fanWang({ input: marchenkoPastur(3), gammas: [0.5, -1], activations: arctanOverC })).toThrow('gammas[1]: expected a number > 0, got -1');
    expect(() => fanWang({ input: marchenkoPastur(3), gammas: [], activations: arctanOverC })).toThrow('gammas: expected at least one number > 0, got an empty list');
    expect(() => fanWang({ input: marchenkoPastur(3), gammas: [0.5], activations: [arctanOverC, arctanOverC] })).toThrow('activations: expected one activation or 1 (one per layer), got 2');
    expect(() => fig1().ck(6)).toThrow('layer: expected an integer in [0, 5], got 6');
    expect(() => fig1().ck().density(Float64Array.of(2, 1))).toThrow('grid: expected strictly increasing points, got 2 then 1 at index 1');
    expect(() => fig1().ck().density(linearGrid(0, 1, 3), { eta: 0 })).toThrow('eta: expected a number > 0, got 0');
    expect(() => fig1().combination({ layers: [0, 0, 1, 0] })).toThrow("coefficients: the last layer's coefficient c_3 must be ≠ 0");
    expect(() => fanWangFromConstants({ input: marchenkoPastur(1), gammas: [1, 1], b: [1] })).toThrow(InvalidRequestError);
    expect(() => lemma35Constants([1], [Number.NaN]).rPlus).not.toThrow();
    expect(() => fanWangFromConstants({ input: marchenkoPastur(1), gammas: [1], b: 0.5 }).ntk()).toThrow('a[0]: a_σ = E[σ′(ξ)²] is needed for the NTK but was not given');
  });
});

describe('an empirical input spectrum (eigenvalues of XᵀX) in place of the analytic law', () => {
  it('gives nearly the analytic CK limit away from the real axis, and densities at its own η', async () => {
    const { wishartSpectrum } = await import('./helpers.js');
    const eig = wishartSpectrum(900, 300, 5); // γ₀ = 3
    const empirical = fanWang({ input: empiricalLaw(eig), gammas: [0.5, 0.5], activations: arctanOverC });
    const analytic = fanWang({ input: marchenkoPastur(3), gammas: [0.5, 0.5], activations: arctanOverC });
    for (const z of [complex(0.5, 0.3), complex(2, 0.2), complex(6, 0.5)]) {
      const a = empirical.ck().stieltjes(z);
      const b = analytic.ck().stieltjes(z);
      expect(Math.hypot(a.re - b.re, a.im - b.im) / Math.hypot(b.re, b.im)).toBeLessThan(0.02);
    }
    const law = empirical.ck();
    expect(law.minEta!).toBeGreaterThan(1e-3);
    const grid = linearGrid(0.01, 8, 200);
    const d = law.density(grid);
    expect(d.eta).toBe(law.minEta);
    expect(d.converged).toBe(true);
    // the same mass on [0.01, 8] as the analytic law smoothed by the same Cauchy(η)
    const ref = analytic.ck().density(grid, { eta: d.eta });
    expect(Math.abs(trapezoid(grid, d.density) - trapezoid(grid, ref.density))).toBeLessThan(0.02);
  });
});

describe('the architecture JSON', () => {
  it('fanWangFromArchitecture: γ_ℓ = n/width_ℓ, wStd folded in, the read-out scale as learning rates', () => {
    const { model, learningRates } = fanWangFromArchitecture(
      { layers: [{ type: 'dense', width: 3000 }, { type: 'erf' }, { type: 'dense', width: 1500 }, { type: 'erf' }, { type: 'dense', width: 1, wStd: 2 }] },
      { n: 1500, input: marchenkoPastur(3), normalize: true },
    );
    expect(model.gammas).toEqual([0.5, 1]);
    expect(learningRates).toEqual([4, 4, 4]);
    const base = model.ntk();
    const scaled = model.ntk({ learningRates });
    const m4 = scaled.stieltjes(complex(20, 2));
    const m1 = base.stieltjes(complex(5, 0.5));
    expect(m4.re).toBeCloseTo(m1.re / 4, 10);
    expect(() => fanWangFromArchitecture({ layers: [{ type: 'dense', width: 8 }, { type: 'erf' }] }, { n: 0, input: marchenkoPastur(3) })).toThrow('n: expected an integer ≥ 1, got 0');
  });
});

describe('grids with geometric refinement', () => {
  it('the CK density on a grid that resolves the spike near 0 integrates to 1', () => {
    const x = mergeGrids(geometricGrid(1e-3, 0.5, 400), linearGrid(0.5, 14, 400));
    const d = fig1().ck().density(x);
    expect(d.converged).toBe(true);
    expect(trapezoid(x, d.density)).toBeCloseTo(1, 3);
  });
});
