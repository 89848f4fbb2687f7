/**
 * Densities on a grid from a fixed-point characterisation of the Stieltjes transform, with the
 * reference note's continuation strategy (§2.2 step 4): sweep the grid in order, warm-starting
 * each point from the previous solution; when that fails, or when the answer is nearly real (in a
 * gap or outside the support, where a nearly real start can lock onto the wrong branch), solve
 * again by continuation in η — from a cold start (the solver's large-|z| asymptote) at
 * Im z ≈ 10·(1 + |x| + the law's scale), where the solution is well conditioned and close to it,
 * down by decades to the target η, each step warm-started from the last. Points where
 * even that fails are reported (`pointConverged`), never hidden; their density is the last
 * iterate's, clipped at 0, never NaN.
 * @module
 */
import { type Complex, complex } from '../complex.js';
import type { Atom, SolvedDensity } from '../spectral/law.js';
import { densityFromTransform } from '../spectral/stieltjes.js';
import { checkGrid } from '../spectral/grid.js';
import { positive } from '../validate.js';

/** One point's solve: the state (the unknowns), m(z), iterations, convergence. */
export interface PointSolution {
  readonly state: Complex[];
  readonly m: Complex;
  readonly iterations: number;
  readonly converged: boolean;
}

/** A law solved pointwise from a state (warm start) or cold. */
export interface PointSolver {
  /** Solves at z starting from `start` (null: the cold start). */
  solve(z: Complex, start: Complex[] | null): PointSolution;
  /** Whether a state is nearly real (outside the support), see the module comment. */
  nearlyReal(state: readonly Complex[]): boolean;
  /** The spectral scale (e.g. |mean| + spread): continuation starts at Im z ≈ 10·(1 + |x| + scale), where the cold start is near the solution. */
  readonly scale: number;
}

/** The η ladder of the continuation: from a power of ten above 10·(1 + |x| + scale) down by decades to eta. */
function ladder(eta: number, x: number, scale: number): number[] {
  const out: number[] = [];
  const top = Math.pow(10, Math.ceil(Math.log10(10 * (1 + Math.abs(x) + Math.abs(scale)))));
  for (let e = top; e > eta * 1.0000001; e /= 10) out.push(e);
  out.push(eta);
  return out;
}

/**
 * Solves at x + iη by continuation in η (see the module comment). Each step starts from a power-law
 * prediction: every unknown is scaled by the growth it showed over the last step, extrapolated in
 * log η (near an atom the solution grows like 1/η, elsewhere it settles), clamped to ×100. A step
 * that still fails is split at the geometric mean of its two η, up to twelve times.
 */
export function solveByContinuation(solver: PointSolver, x: number, eta: number): PointSolution {
  const targets = ladder(eta, x, solver.scale).reverse(); // a stack: the next target on top
  let state: Complex[] | null = null;
  let before: { state: Complex[]; eta: number } | null = null;
  let etaNow = Infinity;
  let iterations = 0;
  let last: PointSolution | null = null;
  let splits = 0;
  while (targets.length > 0) {
    const e = targets[targets.length - 1]!;
    const start: Complex[] | null = state && before ? predict(before.state, before.eta, state, etaNow, e) : state;
    const sol = solver.solve(complex(x, e), start);
    iterations += sol.iterations;
    if (sol.converged) {
      targets.pop();
      if (state) before = { state, eta: etaNow };
      state = sol.state;
      etaNow = e;
      last = sol;
      continue;
    }
    if (state === null || splits >= 12 || !Number.isFinite(etaNow)) return { ...sol, iterations };
    splits++;
    targets.push(Math.sqrt(e * etaNow));
  }
  return { ...last!, iterations };
}

/** s(η_next) ≈ s(η1)·(|s(η1)|/|s(η0)|)^{log(η1/η_next)/log(η0/η1)}, per unknown, the factor clamped to [1/100, 100]. */
function predict(s0: readonly Complex[], eta0: number, s1: readonly Complex[], eta1: number, next: number): Complex[] {
  const r = Math.log(eta1 / next) / Math.log(eta0 / eta1);
  return s1.map((v, i) => {
    const a0 = Math.hypot(s0[i]!.re, s0[i]!.im);
    const a1 = Math.hypot(v.re, v.im);
    const f = a0 > 0 && a1 > 0 ? Math.min(100, Math.max(0.01, Math.pow(a1 / a0, r))) : 1;
    return Number.isFinite(f) ? complex(v.re * f, v.im * f) : v;
  });
}

/**
 * The density Im m(x + iη)/π on a grid (atoms subtracted, see {@link densityFromTransform}) with the
 * module's warm-start and continuation strategy. `atoms` are the law's known point masses.
 */
export function densityOnGrid(solver: PointSolver, x: Float64Array, eta: number, atoms: readonly Atom[]): SolvedDensity & { readonly m: Complex[] } {
  checkGrid(x);
  positive('eta', eta);
  const k = x.length;
  const density = new Float64Array(k);
  const pointConverged = new Uint8Array(k);
  const iterations = new Int32Array(k);
  const ms: Complex[] = new Array(k);
  let prev: PointSolution | null = null;
  let failures = 0;
  for (let i = 0; i < k; i++) {
    const z = complex(x[i]!, eta);
    let sol: PointSolution | null = null;
    let its = 0;
    if (prev?.converged && !solver.nearlyReal(prev.state)) {
      sol = solver.solve(z, prev.state);
      its += sol.iterations;
    }
    if (!sol || !sol.converged || solver.nearlyReal(sol.state) || sol.m.im < 0) {
      const cont = solveByContinuation(solver, x[i]!, eta);
      its += cont.iterations;
      if (cont.converged || !sol?.converged) sol = cont;
    }
    iterations[i] = its;
    pointConverged[i] = sol.converged && sol.m.im > -1e-10 * Math.hypot(sol.m.re, sol.m.im) ? 1 : 0;
    if (!pointConverged[i]) failures++;
    density[i] = densityFromTransform(sol.m, x[i]!, eta, atoms);
    ms[i] = sol.m;
    prev = sol;
  }
  return { x, density, atoms, eta, converged: failures === 0, pointConverged, iterations, failures, m: ms };
}
