/**
 * The Fan–Wang limit laws as {@link SpectralLaw}s: the limit spectrum of
 * c_{−1}·Id + Σ_ℓ c_ℓ·X_ℓᵀX_ℓ (Theorem 3.7), of which the CK at layer ℓ (c = e_ℓ, Theorem 3.4) and the
 * NTK (c = (r₊, q_0, …, q_{L−1}, 1) by Lemma 3.5, or the learning-rate-weighted vector of
 * Theorem 3.8) are cases. Each point solves the joint system of {@link fixedPointMap} with
 * {@link solveFixedPoint}; a cold solve starts from the large-|z| asymptote of the solution (not
 * the reference note's S = (i, …, i), which fails for small b_σ), and grids use the warm starts
 * and continuation in η of {@link densityOnGrid}.
 *
 * - A layer with b_ℓ = 0 makes μ_ℓ = ρ^MP_{γ_ℓ} whatever came before (eq. 8), so the recursion
 *   restarts there from the closed form (Theorem 3.7 assumes b_σ ≠ 0; its combinations then may
 *   not weight the layers below).
 * - Atoms: the CK at layer ℓ has an atom at 0 of mass p_ℓ = max(p_in, 1 − 1/γ_ℓ), where p_in = p_{ℓ−1}
 *   when b_ℓ² = 1 (a linear layer keeps the input's atom) and 0 otherwise (the shift 1 − b² > 0
 *   moves it off 0); p_0 = μ_0({0}) [derived: the rank of Φ^{1/2}XᵀXΦ^{1/2} is min(rank Φ, d)].
 *   For combinations of several layers the atom at c_{−1} is measured: η·Im m(c_{−1} + iη) at
 *   η = 1e-7, 1e-9, 1e-11, kept when the three agree to 1% and exceed 1e-6.
 * @module
 */
import { I, type Complex, complex, isFinite } from '../complex.js';
import { InvalidRequestError } from '../errors.js';
import type { Atom } from '../spectral/law.js';
import { marchenkoPastur } from '../mp/marchenko-pastur.js';
import { type SolvedLaw, stieltjesBySolver } from '../mp/mp-map.js';
import { type PointSolver, densityOnGrid, solveByContinuation } from '../solve/grid-solve.js';
import { solveFixedPoint } from '../solve/newton.js';
import { positive } from '../validate.js';
import { type RecursionModel, fixedPointMap, stieltjesFromState, topVector } from './recursion.js';

/** A Fan–Wang limit law, with the model and coefficients it was solved for. */
export interface FanWangLaw extends SolvedLaw {
  /** The recursion model actually solved (after a restart at a layer with b = 0). */
  readonly model: RecursionModel;
  /** (c_{−1}, c_0, …, c_L) of that model. */
  readonly coefficients: readonly number[];
}

const B_ZERO = 1e-24;

/** Restarts the recursion above the highest layer with b_ℓ = 0 (module comment). */
function restart(model: RecursionModel, coefficients: readonly number[]): { model: RecursionModel; coefficients: number[] } {
  let top = -1;
  model.b2.forEach((b2, i) => {
    if (b2 < B_ZERO) top = i + 1;
  });
  if (top < 0) return { model, coefficients: [...coefficients] };
  for (let k = 0; k < top; k++) {
    if (coefficients[k + 1] !== 0) {
      throw new InvalidRequestError('coefficients', `layer ${k} has weight ${coefficients[k + 1]} but layer ${top} has b_σ = 0, which makes the layers below it irrelevant to X_${top} and above (Theorem 3.7 assumes b_σ ≠ 0)`);
    }
  }
  return {
    model: { input: marchenkoPastur(model.gammas[top - 1]!), gammas: model.gammas.slice(top), b2: model.b2.slice(top) },
    coefficients: [coefficients[0]!, ...coefficients.slice(top + 1)],
  };
}

/** p_ℓ of the module comment: the atom at 0 of μ_ℓ, ℓ = 0 … L. */
export function ckAtomsAtZero(model: RecursionModel): number[] {
  const p = [model.input.atoms.filter((a) => a.x === 0).reduce((s, a) => s + a.mass, 0)];
  model.gammas.forEach((g, i) => {
    const pin = Math.abs(model.b2[i]! - 1) < 1e-14 ? p[i]! : 0;
    p.push(Math.max(pin, g > 1 ? 1 - 1 / g : 0));
  });
  return p;
}

/** ∫ x dμ_ℓ for ℓ = 0 … L: m1_ℓ = (1 − b_ℓ²) + b_ℓ²·m1_{ℓ−1} (the MP map keeps the mean). */
function layerMeans(model: RecursionModel): number[] {
  const m = [model.input.mean];
  model.b2.forEach((b2, i) => m.push(1 - b2 + b2 * m[i]!));
  return m;
}

/** Upper bounds of supp μ_ℓ: hi_ℓ = ((1 − b²) + b²·hi_{ℓ−1})·(1 + √γ_ℓ)² (‖Φ^{1/2}XᵀXΦ^{1/2}‖ ≤ ‖Φ‖‖XᵀX‖). */
function layerUpper(model: RecursionModel): number[] {
  const h = [Math.max(0, model.input.bounds[1])];
  model.b2.forEach((b2, i) => h.push((1 - b2 + b2 * h[i]!) * (1 + Math.sqrt(model.gammas[i]!)) ** 2));
  return h;
}

/**
 * The cold start: the solution's limit as |z| → ∞, where t_{ℓ−1} = O(1/z) in eq. (12), so
 * s_ℓ → 1/z_ℓ along the chain: s_L = 1/c_L, s_ℓ = 1/(c_ℓ + b_{ℓ+1}²/s_{ℓ+1}), nudged into ℂ⁺.
 * (The reference note's S = (i, …, i) fails when b is small, where s_ℓ ~ 1/b².)
 */
function asymptoticStart(model: RecursionModel, coefficients: readonly number[]): Complex[] {
  const L = model.gammas.length;
  const s = new Array<number>(L);
  let last = coefficients[L + 1]!;
  for (let l = L; l >= 1; l--) {
    s[l - 1] = 1 / last;
    last = coefficients[l]! + model.b2[l - 1]! / s[l - 1]!;
  }
  return s.map((v) => (Number.isFinite(v) && v !== 0 ? complex(v, 0.1 * Math.abs(v)) : I));
}

function pointSolver(model: RecursionModel, coefficients: readonly number[], scale: number): PointSolver {
  const L = model.gammas.length;
  const cold = asymptoticStart(model, coefficients);
  return {
    scale,
    solve(z, start) {
      const top = topVector(z, coefficients);
      if (L === 0) {
        const m = stieltjesFromState(model, top, []);
        return { state: [], m, iterations: 0, converged: isFinite(m) };
      }
      const sol = solveFixedPoint({ size: L, map: (s) => fixedPointMap(model, top, s), valid: (s) => s.every((v) => v.im > 0) }, start ?? cold);
      const m = stieltjesFromState(model, top, sol.s);
      return { state: sol.s, m, iterations: sol.iterations, converged: sol.converged && isFinite(m) };
    },
    nearlyReal: (s) => s.some((v) => v.im <= 1e-7 * (1 + Math.hypot(v.re, v.im))),
  };
}

/** η·Im m(x0 + iη) at three η, agreeing to 1% and above 1e-6 (module comment), else 0. */
function measureAtom(solver: PointSolver, x0: number): number {
  const masses: number[] = [];
  for (const eta of [1e-7, 1e-9, 1e-11]) {
    const sol = solveByContinuation(solver, x0, eta);
    if (!sol.converged) return 0;
    masses.push(eta * sol.m.im);
  }
  const p = masses[2]!;
  return p > 1e-6 && Math.abs(masses[1]! - p) <= 0.01 * p && Math.abs(masses[0]! - p) <= 0.01 * p ? p : 0;
}

/**
 * The limit law of spec(c_{−1}·Id + Σ_{ℓ=0}^{L} c_ℓ·X_ℓᵀX_ℓ) (Theorem 3.7) for the recursion `model`
 * and `coefficients` = (c_{−1}, c_0, …, c_L), c_L ≠ 0.
 */
export function fanWangLaw(model0: RecursionModel, coefficients0: readonly number[], name: string): FanWangLaw {
  const L0 = model0.gammas.length;
  if (coefficients0.length !== L0 + 2) throw new InvalidRequestError('coefficients', `expected ${L0 + 2} numbers (identity, then layers 0 … ${L0}), got ${coefficients0.length}`);
  coefficients0.forEach((c, i) => {
    if (!Number.isFinite(c)) throw new InvalidRequestError(`coefficients[${i}]`, `expected a finite number, got ${c}`);
  });
  if (coefficients0[L0 + 1] === 0) throw new InvalidRequestError('coefficients', `the last layer's coefficient c_${L0} must be ≠ 0 (Theorem 3.7); drop the layers above the last one you weight`);
  const { model, coefficients } = restart(model0, coefficients0);
  const L = model.gammas.length;
  const means = layerMeans(model);
  const upper = layerUpper(model);
  const c = coefficients;
  let mean = c[0]!;
  let lo = c[0]!;
  let hi = c[0]!;
  for (let l = 0; l <= L; l++) {
    mean += c[l + 1]! * means[l]!;
    if (c[l + 1]! > 0) hi += c[l + 1]! * upper[l]!;
    else lo += c[l + 1]! * upper[l]!;
  }
  const solver = pointSolver(model, coefficients, Math.abs(mean) + Math.abs(c[0]!));
  const weighted = c.slice(1).map((v, i) => [v, i] as const).filter(([v]) => v !== 0);
  let atoms: Atom[];
  if (weighted.length === 1) {
    const l = weighted[0]![1];
    const p = ckAtomsAtZero(model)[l]!;
    atoms = p > 0 ? [{ x: c[0]!, mass: p }] : [];
  } else {
    const p = measureAtom(solver, c[0]!);
    atoms = p > 0 ? [{ x: c[0]!, mass: p }] : [];
  }
  return {
    name,
    model,
    coefficients,
    solver,
    stieltjes: (z) => stieltjesBySolver(solver, z, name),
    atoms,
    mean,
    bounds: [lo, hi],
    minEta: model0.input.minEta,
    density: (x, options = {}) => densityOnGrid(solver, x, positive('eta', options.eta ?? Math.max(1e-8, model0.input.minEta ?? 0)), atoms),
  };
}
