/**
 * Stieltjes transforms m(z) = ∫ dμ(x)/(x − z) of measures given as atoms or as densities on a grid,
 * and density recovery by Stieltjes inversion: for z = x + iη, Im m(z)/π is the density of μ
 * convolved with Cauchy(0, η), which tends to the density of μ as η → 0 (Fan & Wang 2020, §2.2).
 * @module
 */
import { type Complex, complex, div, log, mul, sub, add, scale } from '../complex.js';
import { InvalidRequestError } from '../errors.js';
import { positive } from '../validate.js';
import type { Atom } from './law.js';

/** m(z) = Σ_k w_k/(x_k − z) of atoms at `points` with `weights` (default 1/n each). */
export function stieltjesOfAtoms(points: ArrayLike<number>, z: Complex, weights?: ArrayLike<number>): Complex {
  const n = points.length;
  let re = 0;
  let im = 0;
  for (let k = 0; k < n; k++) {
    // w/(x − z) = w·(x − z̄)/|x − z|²
    const dr = points[k]! - z.re;
    const d2 = dr * dr + z.im * z.im;
    const w = weights ? weights[k]! : 1;
    re += (w * dr) / d2;
    im += (w * z.im) / d2;
  }
  return weights ? complex(re, im) : complex(re / n, im / n);
}

/**
 * m(z) = ∫ ρ(t)/(t − z) dt of a density ρ that is linear between grid points x_k (and 0 outside
 * [x_0, x_last]), integrated exactly: on [x_k, x_{k+1}] with ρ(t) = ρ_k + s_k(t − x_k),
 * ∫ ρ/(t − z) = s_k·(x_{k+1} − x_k) + (ρ_k + s_k(z − x_k))·(log(x_{k+1} − z) − log(x_k − z)),
 * where t − z stays in ℂ⁻ for Im z > 0, so the principal logarithm never crosses its cut.
 */
export function stieltjesOfDensity(x: ArrayLike<number>, density: ArrayLike<number>, z: Complex): Complex {
  if (x.length !== density.length) throw new InvalidRequestError('density', `expected ${x.length} values (one per grid point), got ${density.length}`);
  if (!(z.im > 0)) throw new InvalidRequestError('z', `expected Im z > 0, got ${z.im}`);
  let total = complex(0, 0);
  let logPrev = log(complex(x[0]! - z.re, -z.im));
  for (let k = 0; k + 1 < x.length; k++) {
    const h = x[k + 1]! - x[k]!;
    const logNext = log(complex(x[k + 1]! - z.re, -z.im));
    const s = (density[k + 1]! - density[k]!) / h;
    const coef = add(complex(density[k]!, 0), scale(complex(z.re - x[k]!, z.im), s));
    total = add(total, add(complex(s * h, 0), mul(coef, sub(logNext, logPrev))));
    logPrev = logNext;
  }
  return total;
}

/** m(z) of a grid density plus atoms. */
export function stieltjesOfGridLaw(x: ArrayLike<number>, density: ArrayLike<number>, atoms: readonly Atom[], z: Complex): Complex {
  let m = stieltjesOfDensity(x, density, z);
  for (const a of atoms) m = add(m, div(complex(a.mass, 0), complex(a.x - z.re, -z.im)));
  return m;
}

/**
 * The density recovered from a Stieltjes transform, ρ(x) ≈ Im m(x + iη)/π at each grid point,
 * minus the Cauchy-smeared `atoms` w·η/(π((x − a)² + η²)), clipped at 0.
 */
export function stieltjesInversion(m: (z: Complex) => Complex, x: ArrayLike<number>, eta: number, atoms: readonly Atom[] = []): Float64Array {
  positive('eta', eta);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = densityFromTransform(m(complex(x[i]!, eta)), x[i]!, eta, atoms);
  return out;
}

/** Im m/π at x + iη minus the smeared atoms, clipped at 0 (never NaN: a non-finite m gives 0). */
export function densityFromTransform(m: Complex, x: number, eta: number, atoms: readonly Atom[]): number {
  let v = m.im / Math.PI;
  for (const a of atoms) {
    const d = x - a.x;
    v -= (a.mass * eta) / (Math.PI * (d * d + eta * eta));
  }
  return v > 0 && Number.isFinite(v) ? v : 0;
}
