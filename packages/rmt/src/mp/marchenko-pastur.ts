/**
 * The Marchenko–Pastur law ρ_γ^MP: the limit spectrum of XᵀX for X ∈ ℝ^{d×n} with i.i.d.
 * N(0, 1/d) entries as n/d → γ (Fan & Wang 2020, eq. 5 with Φ = Id; γ is n over width, as there).
 *
 * - Support edges a, b = (1 ∓ √γ)², an atom 1 − 1/γ at 0 when γ > 1.
 * - Density √((b − x)(x − a))/(2πγx) on (a, b).
 * - Stieltjes transform: eq. (6) with μ = δ₁ gives γz·m² − (1 − γ − z)·m + 1 = 0, so
 *   m = (B + s)/(2γz) with B = 1 − γ − z and s = √(z − a)·√(z − b), the product of principal roots:
 *   s ~ z at infinity and its only cut is [a, b], so this is the Herglotz branch on all of ℂ \ [a, b]
 *   (the choice freealg makes by the sign of Im m; here no choice is needed). When B + s cancels
 *   (γ < 1, z → 0) the same root is 2/(B − s), since the two roots multiply to 1/(γz).
 * - Moments (Narayana): E λ^k = Σ_{j=0}^{k−1} γ^j/(j+1)·C(k, j)·C(k−1, j), so E λ = 1, E λ² = 1 + γ.
 * @module
 */
import { type Complex, add, complex, div, mul, scale, sqrt, sub } from '../complex.js';
import { InvalidRequestError } from '../errors.js';
import { integerAtLeast, positive } from '../validate.js';
import type { Atom, SolvedDensity, SpectralLaw } from '../spectral/law.js';
import { checkGrid } from '../spectral/grid.js';

/** The support edges [(1 − √γ)², (1 + √γ)²] of ρ_γ^MP. */
export function marchenkoPasturEdges(gamma: number): [number, number] {
  positive('gamma', gamma);
  const r = Math.sqrt(gamma);
  return [(1 - r) * (1 - r), (1 + r) * (1 + r)];
}

/** The atom of ρ_γ^MP at 0: 1 − 1/γ when γ > 1, else 0. */
export function marchenkoPasturAtom(gamma: number): number {
  positive('gamma', gamma);
  return gamma > 1 ? 1 - 1 / gamma : 0;
}

/** The density of the continuous part of ρ_γ^MP at x (0 outside the edges). */
export function marchenkoPasturDensity(gamma: number, x: number): number {
  const [a, b] = marchenkoPasturEdges(gamma);
  if (!(x > a && x < b) || x <= 0) return 0;
  return Math.sqrt((b - x) * (x - a)) / (2 * Math.PI * gamma * x);
}

/** m(z) = ∫ dρ_γ^MP(x)/(x − z), on the Herglotz branch, for any z off the support (module comment). */
export function marchenkoPasturStieltjes(gamma: number, z: Complex): Complex {
  const [a, b] = marchenkoPasturEdges(gamma);
  const B = complex(1 - gamma - z.re, -z.im);
  const s = mul(sqrt(complex(z.re - a, z.im)), sqrt(complex(z.re - b, z.im)));
  const plus = add(B, s);
  const minus = sub(B, s);
  const pn = Math.hypot(plus.re, plus.im);
  const mn = Math.hypot(minus.re, minus.im);
  if (pn >= mn) return div(plus, scale(z, 2 * gamma));
  return div(complex(2, 0), minus);
}

/** E λ^k under ρ_γ^MP (Narayana polynomials). */
export function marchenkoPasturMoment(gamma: number, k: number): number {
  positive('gamma', gamma);
  integerAtLeast('k', k, 0);
  if (k === 0) return 1;
  const binom = (n: number, r: number) => {
    let c = 1;
    for (let i = 1; i <= r; i++) c = (c * (n - r + i)) / i;
    return c;
  };
  let s = 0;
  for (let j = 0; j < k; j++) s += (Math.pow(gamma, j) / (j + 1)) * binom(k, j) * binom(k - 1, j);
  return s;
}

/** ρ_γ^MP as a {@link SpectralLaw}, with its closed-form density. */
export function marchenkoPastur(gamma: number): SpectralLaw & { readonly gamma: number; readonly edges: readonly [number, number] } {
  const edges = marchenkoPasturEdges(gamma);
  const atom = marchenkoPasturAtom(gamma);
  const atoms: Atom[] = atom > 0 ? [{ x: 0, mass: atom }] : [];
  return {
    name: `MP(γ=${gamma})`,
    gamma,
    edges,
    stieltjes: (z) => marchenkoPasturStieltjes(gamma, z),
    atoms,
    mean: 1,
    bounds: [atom > 0 ? 0 : edges[0], edges[1]],
    density(x: Float64Array): SolvedDensity {
      checkGrid(x);
      const density = Float64Array.from(x, (t) => marchenkoPasturDensity(gamma, t));
      return { x, density, atoms, eta: 0, converged: true, pointConverged: new Uint8Array(x.length).fill(1), iterations: new Int32Array(x.length), failures: 0 };
    },
  };
}

/**
 * The law of shift + s·λ for λ ~ `law` (s ≥ 0): m(z) = m_law((z − shift)/s)/s. When s·|λ| stays
 * below 1e-16·max(1, |shift|) on the support (s = 0 included) it is δ_shift to working precision,
 * and taken as such ((z − shift)/s would overflow).
 */
export function affineLaw(law: SpectralLaw, shift: number, s: number): SpectralLaw {
  if (!(s >= 0) || !Number.isFinite(s)) throw new InvalidRequestError('scale', `expected a finite number ≥ 0, got ${s}`);
  const reach = s * Math.max(Math.abs(law.bounds[0]), Math.abs(law.bounds[1]));
  if (s === 0 || reach <= 1e-16 * Math.max(1, Math.abs(shift))) {
    return { name: `δ(${shift})`, stieltjes: (z) => div(complex(1, 0), complex(shift - z.re, -z.im)), atoms: [{ x: shift, mass: 1 }], mean: shift, bounds: [shift, shift] };
  }
  return {
    name: `${shift} + ${s}·${law.name}`,
    stieltjes: (z) => scale(law.stieltjes(complex((z.re - shift) / s, z.im / s)), 1 / s),
    atoms: law.atoms.map((a) => ({ x: shift + s * a.x, mass: a.mass })),
    mean: shift + s * law.mean,
    bounds: [shift + s * law.bounds[0], shift + s * law.bounds[1]],
  };
}
