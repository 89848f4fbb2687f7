/**
 * The Marchenko–Pastur map ρ_γ^MP ⊠ μ of any law μ: the limit spectrum of Φ^{1/2}XᵀXΦ^{1/2} with
 * lim spec Φ = μ and X ∈ ℝ^{d×n} i.i.d. N(0, 1/d), n/d → γ (Fan & Wang 2020, eq. 5). Its Stieltjes
 * transform solves eq. (6),
 *
 *   m(z) = ∫ dμ(x)/(x·A(z) − z),  A(z) = 1 − γ − γ·z·m(z).
 *
 * It is solved through the companion matrix X·Φ·Xᵀ (d×d), which has the same non-zero
 * eigenvalues; its transform u = m̲(z) solves the Marchenko–Pastur–Silverstein equation
 *
 *   u = 1 / (−z + γ·∫ φ dμ(φ)/(1 + φ·u)),   with ∫ φ dμ/(1 + φu) = (1/u)·(1 − m_μ(−1/u)/u),
 *
 * and m = u/γ − (1 − 1/γ)/z (the two traces differ by the n − d zero eigenvalues). The right-hand
 * side maps ℂ⁺ into {|u| ≤ 1/Im z} ∩ ℂ⁺ (Im φ/(1 + φu) < 0 for Im u > 0), so its iteration contracts
 * to the unique solution in ℂ⁺ and the damped fall-back of {@link solveFixedPoint} cannot stall; −1/u
 * stays in ℂ⁺, where m_μ is on its own branch. Newton from the cold start u = −1/z (freealg's
 * choice, reference note §2.6), with the warm starts and continuation in η of {@link densityOnGrid}.
 * With μ = δ₁ the result is ρ_γ^MP itself (tested against the closed form).
 * @module
 */
import { NonConvergenceError } from '@wide/core';
import { type Complex, ONE, add, format, inv, mul, neg, scale, sub } from '../complex.js';
import type { Atom, DensityOptions, SolvedDensity, SpectralLaw } from '../spectral/law.js';
import { type PointSolver, densityOnGrid, solveByContinuation } from '../solve/grid-solve.js';
import { solveFixedPoint } from '../solve/newton.js';
import { positive } from '../validate.js';

/** A law solved by a point solver: its transform at one z, and densities on grids. */
export interface SolvedLaw extends SpectralLaw {
  /** The point solver (warm starts, states) behind {@link SpectralLaw.stieltjes}. */
  readonly solver: PointSolver;
  /** The density on a grid (default η = max(1e-8, the input's minEta)), with convergence per point. */
  density(x: Float64Array, options?: DensityOptions): SolvedDensity;
}

/** m(z) by a cold solve, then continuation; throws {@link NonConvergenceError} when both fail. */
export function stieltjesBySolver(solver: PointSolver, z: Complex, what: string): Complex {
  let sol = solver.solve(z, null);
  if (!sol.converged || sol.m.im < 0) sol = solveByContinuation(solver, z.re, z.im);
  if (!sol.converged) throw new NonConvergenceError(`${what}: the fixed point at z = ${format(z)} did not converge in ${sol.iterations} iterations`, sol.iterations, NaN);
  return sol.m;
}

/** ρ_γ^MP ⊠ μ (see the module comment). Its atom at 0 is max(μ({0}), 1 − 1/γ); other atoms are not tracked. */
export function marchenkoPasturMap(mu: SpectralLaw, gamma: number): SolvedLaw {
  positive('gamma', gamma);
  const solver: PointSolver = {
    solve(z, start) {
      const sol = solveFixedPoint(
        {
          size: 1,
          map: ([u]) => {
            const ui = inv(u!);
            // ∫ φ dμ/(1 + φu) = (1/u)·(1 − m_μ(−1/u)/u)
            const integral = mul(ui, sub(ONE, mul(mu.stieltjes(neg(ui)), ui)));
            return [inv(add(neg(z), scale(integral, gamma)))];
          },
          valid: ([u]) => u!.im > 0,
        },
        start ?? [neg(inv(z))],
      );
      const u = sol.s[0]!;
      const m = sub(scale(u, 1 / gamma), scale(inv(z), 1 - 1 / gamma));
      return { state: sol.s, m, iterations: sol.iterations, converged: sol.converged && m.im >= 0 };
    },
    nearlyReal: ([u]) => u!.im <= 1e-7 * (1 + Math.hypot(u!.re, u!.im)),
    scale: Math.abs(mu.mean) * (1 + gamma),
  };
  const zeroMass = Math.max(mu.atoms.filter((a) => a.x === 0).reduce((s, a) => s + a.mass, 0), gamma > 1 ? 1 - 1 / gamma : 0);
  const atoms: Atom[] = zeroMass > 0 ? [{ x: 0, mass: zeroMass }] : [];
  const r = (1 + Math.sqrt(gamma)) ** 2;
  const name = `MP(γ=${gamma}) ⊠ ${mu.name}`;
  return {
    name,
    solver,
    stieltjes: (z) => stieltjesBySolver(solver, z, name),
    atoms,
    mean: mu.mean,
    bounds: [0, Math.max(0, mu.bounds[1]) * r],
    minEta: mu.minEta,
    density: (x, options = {}) => densityOnGrid(solver, x, positive('eta', options.eta ?? Math.max(1e-8, mu.minEta ?? 0)), atoms),
  };
}
