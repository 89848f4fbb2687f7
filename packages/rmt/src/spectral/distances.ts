/**
 * Distances between an empirical spectrum and a predicted law given as a density on a grid (linear
 * between grid points, 0 outside) plus atoms: the Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)|
 * and the Wasserstein-1 distance ∫ |F_n(x) − F(x)| dx, both computed exactly for that piecewise
 * description (F is piecewise quadratic between grid points, with jumps at the atoms).
 * @module
 */
import { InvalidRequestError } from '../errors.js';
import { checkGrid } from './grid.js';
import type { GridDensity } from './law.js';
import { ecdf, sortedSpectrum } from './empirical.js';

const countAt = (v: Float64Array, t: number): number => {
  let c = 0;
  for (const x of v) if (x === t) c++;
  return c;
};

/** The distribution function F of a {@link GridDensity}. */
export interface GridCdf {
  /** F(x) (right-continuous). */
  at(x: number): number;
  /** F(x−) (left limit: without an atom at x). */
  before(x: number): number;
  /** Total mass (continuous part by the trapezoid rule, plus atoms): 1 when the grid covers the support. */
  readonly mass: number;
  /** Mass of the continuous part alone. */
  readonly continuousMass: number;
}

/** The distribution function of a density on a grid plus atoms (exact for the piecewise-linear density). */
export function gridCdf(law: GridDensity): GridCdf {
  const { x, density: rho, atoms } = law;
  checkGrid(x, 'law.x');
  if (rho.length !== x.length) throw new InvalidRequestError('law.density', `expected ${x.length} values (one per grid point), got ${rho.length}`);
  for (let i = 0; i < rho.length; i++) {
    if (!(rho[i]! >= 0) || !Number.isFinite(rho[i]!)) throw new InvalidRequestError(`law.density[${i}]`, `expected a finite number ≥ 0, got ${rho[i]}`);
  }
  const k = x.length;
  const cum = new Float64Array(k);
  for (let i = 1; i < k; i++) cum[i] = cum[i - 1]! + 0.5 * (rho[i]! + rho[i - 1]!) * (x[i]! - x[i - 1]!);
  const sortedAtoms = [...atoms].sort((a, b) => a.x - b.x);
  const atomMass = sortedAtoms.reduce((s, a) => s + a.mass, 0);
  const continuous = (t: number): number => {
    if (t <= x[0]!) return 0;
    if (t >= x[k - 1]!) return cum[k - 1]!;
    let lo = 0;
    let hi = k - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (x[mid]! <= t) lo = mid;
      else hi = mid;
    }
    const u = t - x[lo]!;
    const s = (rho[lo + 1]! - rho[lo]!) / (x[lo + 1]! - x[lo]!);
    return cum[lo]! + rho[lo]! * u + 0.5 * s * u * u;
  };
  const atomsUpTo = (t: number, inclusive: boolean): number => {
    let s = 0;
    for (const a of sortedAtoms) if (a.x < t || (inclusive && a.x === t)) s += a.mass;
    return s;
  };
  return {
    at: (t) => continuous(t) + atomsUpTo(t, true),
    before: (t) => continuous(t) + atomsUpTo(t, false),
    mass: cum[k - 1]! + atomMass,
    continuousMass: cum[k - 1]!,
  };
}

/** Options of the distances. */
export interface AtomSnapOptions {
  /**
   * Eigenvalues within this distance of an atom of the predicted law count as lying on it
   * (default 1e-8·max|λ|): a zero eigenvalue comes out of an eigensolver as ±1e-13, and without this
   * an atom at 0 would miss half of them.
   */
  atomTolerance?: number;
}

/** Moves eigenvalues within the tolerance of an atom onto it (sorted order is kept). */
function snapToAtoms(v: Float64Array, atoms: GridDensity['atoms'], options: AtomSnapOptions): Float64Array {
  if (atoms.length === 0) return v;
  const tol = options.atomTolerance ?? 1e-8 * Math.max(Math.abs(v[0]!), Math.abs(v[v.length - 1]!));
  for (let i = 0; i < v.length; i++) for (const a of atoms) if (Math.abs(v[i]! - a.x) <= tol) v[i] = a.x;
  return v.sort();
}

/** A distance with the point where it is attained. */
export interface KsDistance {
  /** sup_x |F_n(x) − F(x)|. */
  readonly distance: number;
  /** An x where the supremum is attained (+∞ when it is the missing mass at the right end). */
  readonly at: number;
  /** The predicted law's total mass (1 when its grid covers the support). */
  readonly mass: number;
}

/**
 * The Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)| between the empirical distribution of
 * `eigenvalues` and the law `predicted`. F_n is a step function and F is non-decreasing, so the
 * supremum is attained at an eigenvalue (from the left or the right) or at an atom, or it is the
 * mass F misses beyond its grid.
 */
export function ksDistance(eigenvalues: ArrayLike<number>, predicted: GridDensity, options: AtomSnapOptions = {}): KsDistance {
  const v = snapToAtoms(sortedSpectrum(eigenvalues), predicted.atoms, options);
  const F = gridCdf(predicted);
  const n = v.length;
  let best = Math.abs(1 - F.mass);
  let at = Infinity;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && v[j + 1] === v[i]) j++;
    const lam = v[i]!;
    const below = Math.abs(i / n - F.before(lam));
    const above = Math.abs((j + 1) / n - F.at(lam));
    if (below > best) {
      best = below;
      at = lam;
    }
    if (above > best) {
      best = above;
      at = lam;
    }
    i = j + 1;
  }
  for (const a of predicted.atoms) {
    // Between eigenvalues F_n is constant; at an atom F jumps.
    const c = ecdf(v, a.x);
    const cBefore = ecdf(v, a.x) - countAt(v, a.x) / n;
    for (const d of [Math.abs(c - F.at(a.x)), Math.abs(cBefore - F.before(a.x))]) {
      if (d > best) {
        best = d;
        at = a.x;
      }
    }
  }
  return { distance: best, at, mass: F.mass };
}

/** ∫_u0^u1 |c0 + c1·u + c2·u²| du, exactly (splitting at the real roots inside). */
function integrateAbsQuadratic(c0: number, c1: number, c2: number, u0: number, u1: number): number {
  const prim = (u: number) => c0 * u + (c1 * u * u) / 2 + (c2 * u * u * u) / 3;
  const cuts = [u0];
  if (c2 !== 0) {
    const disc = c1 * c1 - 4 * c2 * c0;
    if (disc > 0) {
      const q = -0.5 * (c1 + Math.sign(c1 || 1) * Math.sqrt(disc));
      const roots = [q / c2, q !== 0 ? c0 / q : NaN].filter((r) => r > u0 && r < u1).sort((a, b) => a - b);
      cuts.push(...roots);
    }
  } else if (c1 !== 0) {
    const r = -c0 / c1;
    if (r > u0 && r < u1) cuts.push(r);
  }
  cuts.push(u1);
  let s = 0;
  for (let i = 0; i + 1 < cuts.length; i++) s += Math.abs(prim(cuts[i + 1]!) - prim(cuts[i]!));
  return s;
}

/**
 * The Wasserstein-1 distance ∫ |F_n(x) − F(x)| dx between the empirical distribution of
 * `eigenvalues` and `predicted` (exact: on each piece between eigenvalues, atoms and grid points,
 * F_n is constant and F quadratic). Mass that `predicted` misses beyond its grid is not transported
 * anywhere, so compare laws whose grid covers the support.
 */
export function wasserstein1(eigenvalues: ArrayLike<number>, predicted: GridDensity, options: AtomSnapOptions = {}): number {
  const v = snapToAtoms(sortedSpectrum(eigenvalues), predicted.atoms, options);
  const F = gridCdf(predicted);
  const { x, density: rho } = predicted;
  const n = v.length;
  const k = x.length;
  const points = [...Array.from(v), ...Array.from(x), ...predicted.atoms.map((a) => a.x)].sort((a, b) => a - b);
  let total = 0;
  let e = 0; // eigenvalues ≤ the current left end
  let g = 0; // grid interval index: x[g] ≤ left end < x[g+1]
  for (let p = 0; p + 1 < points.length; p++) {
    const a = points[p]!;
    const b = points[p + 1]!;
    while (e < n && v[e]! <= a) e++;
    if (b <= a) continue;
    const c = e / n;
    const Fa = F.at(a);
    if (a < x[0]! || a >= x[k - 1]!) {
      total += Math.abs(c - Fa) * (b - a);
      continue;
    }
    while (g + 1 < k - 1 && x[g + 1]! <= a) g++;
    // On [a, b] ⊂ [x_g, x_{g+1}]: F(a + u) = Fa + ρ(a)·u + s·u²/2.
    const s = (rho[g + 1]! - rho[g]!) / (x[g + 1]! - x[g]!);
    const rhoA = rho[g]! + s * (a - x[g]!);
    total += integrateAbsQuadratic(Fa - c, rhoA, s / 2, 0, b - a);
  }
  return total;
}
