/**
 * The secular equation of divide and conquer: the eigenvalues λ of diag(dl) + ρ·w·wᵀ (dl
 * ascending, ‖w‖ = 1, ρ > 0) are the roots of f(λ) = 1/ρ + Σ w_j²/(dl_j − λ), one in each
 * (dl_i, dl_{i+1}) and the last in (dl_{K−1}, dl_{K−1} + ρ). Each root is found relative to its
 * nearer pole so that the differences dl_j − λ keep full relative accuracy (they become the
 * eigenvectors, Gu–Eisenstat). Plain-JS reference; `assembly/linalg/secular.ts` is the same
 * algorithm for the worker pool.
 * @module
 */
import { NonConvergenceError } from '../errors.js';

const EPS = 2 ** -53;

/** The K = 2 secular problem in closed form: returns τ and the origin (0 or 1) for root i. */
export function secular2(i: number, d0: number, d1: number, w0: number, w1: number, rho: number): { tau: number; origin: number } {
  const del = d1 - d0;
  const z0 = w0 * w0;
  const z1 = w1 * w1;
  if (i === 0) {
    const w = 1 + (2 * rho * (z1 - z0)) / del;
    if (w > 0) {
      const b = del + rho * (z0 + z1);
      const c = rho * z0 * del;
      return { tau: (2 * c) / (b + Math.sqrt(Math.abs(b * b - 4 * c))), origin: 0 };
    }
    const b = -del + rho * (z0 + z1);
    const c = rho * z1 * del;
    const tau = b > 0 ? (-2 * c) / (b + Math.sqrt(b * b + 4 * c)) : (b - Math.sqrt(b * b + 4 * c)) / 2;
    return { tau, origin: 1 };
  }
  const b = -del + rho * (z0 + z1);
  const c = rho * z1 * del;
  const tau = b > 0 ? (b + Math.sqrt(b * b + 4 * c)) / 2 : (2 * c) / (-b + Math.sqrt(b * b + 4 * c));
  return { tau, origin: 1 };
}

/** Iterations allowed per root of the secular equation (each also shrinks a bracket). */
export const SECULAR_MAXIT = 80;

/**
 * Root i of the secular equation 1/ρ + Σ w_j²/(dl_j − λ) = 0 (dl ascending, ‖w‖ = 1, ρ > 0,
 * K = dl.length ≥ 3): returns λ_i and fills delta[j] = dl_j − λ_i, computed relative to the
 * nearer pole so that the differences keep full relative accuracy. The iteration is the
 * two-pole rational interpolation of R.-C. Li ("the middle way", as in LAPACK's dlaed4) with a
 * Newton fallback and a bisection safeguard on a shrinking bracket.
 */
export function secularRoot(dl: Float64Array, w: Float64Array, rho: number, i: number, delta: Float64Array): number {
  const K = dl.length;
  const rhoinv = 1 / rho;
  if (i === K - 1) return secularLast(dl, w, rho, delta);
  const ip1 = i + 1;
  const del = dl[ip1]! - dl[i]!;
  const midpt = del / 2;
  // f at the midpoint decides the origin (the nearer pole).
  let psi = 0;
  for (let j = 0; j < i; j++) psi += (w[j]! * w[j]!) / (dl[j]! - dl[i]! - midpt);
  let phi = 0;
  for (let j = K - 1; j > ip1; j--) phi += (w[j]! * w[j]!) / (dl[j]! - dl[i]! - midpt);
  let c = rhoinv + psi + phi;
  const fmid = c + (w[i]! * w[i]!) / -midpt + (w[ip1]! * w[ip1]!) / (del - midpt);
  const orgati = fmid > 0;
  let tau: number;
  let lo: number;
  let hi: number;
  const zi = w[i]! * w[i]!;
  const zi1 = w[ip1]! * w[ip1]!;
  if (orgati) {
    const a = c * del + zi + zi1;
    const b = zi * del;
    tau = a > 0 ? (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) : (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    lo = 0;
    hi = midpt;
  } else {
    const a = c * del - zi - zi1;
    const b = zi1 * del;
    tau = a < 0 ? (2 * b) / (a - Math.sqrt(Math.abs(a * a + 4 * b * c))) : -(a + Math.sqrt(Math.abs(a * a + 4 * b * c))) / (2 * c);
    lo = -midpt;
    hi = 0;
  }
  if (!(tau > lo && tau < hi)) tau = (lo + hi) / 2;
  const ii = orgati ? i : ip1;
  const org = dl[ii]!;
  for (let j = 0; j < K; j++) delta[j] = dl[j]! - org - tau;
  let swtch = false;
  let prew = 0;
  for (let iter = 0; iter < SECULAR_MAXIT; iter++) {
    // ψ over the poles left of ii, φ over those right of it, and the pole ii itself.
    let dpsi = 0;
    psi = 0;
    let erretm = 0;
    for (let j = 0; j < ii; j++) {
      const t = w[j]! / delta[j]!;
      psi += w[j]! * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    let dphi = 0;
    phi = 0;
    for (let j = K - 1; j > ii; j--) {
      const t = w[j]! / delta[j]!;
      phi += w[j]! * t;
      dphi += t * t;
      erretm += phi;
    }
    const t0 = w[ii]! / delta[ii]!;
    const dw = dpsi + dphi + t0 * t0;
    const temp = w[ii]! * t0;
    const fw = rhoinv + phi + psi + temp;
    erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp) + Math.abs(tau) * dw;
    if (Math.abs(fw) <= EPS * erretm) return org + tau;
    if (fw <= 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    if (iter > 0 && fw * prew > 0 && Math.abs(fw) > Math.abs(prew) / 10) swtch = !swtch;
    // Two-pole rational step (poles i and i+1).
    const di = delta[i]!;
    const di1 = delta[ip1]!;
    let cc: number;
    if (!swtch) {
      cc = orgati ? fw - di1 * dw - (dl[i]! - dl[ip1]!) * (w[i]! / di) ** 2 : fw - di * dw - (dl[ip1]! - dl[i]!) * (w[ip1]! / di1) ** 2;
    } else {
      const tt = w[ii]! / delta[ii]!;
      const dpsi2 = orgati ? dpsi + tt * tt : dpsi;
      const dphi2 = orgati ? dphi : dphi + tt * tt;
      cc = fw - di * dpsi2 - di1 * dphi2;
    }
    let a = (di + di1) * fw - di * di1 * dw;
    const b = di * di1 * fw;
    let eta: number;
    if (cc === 0) {
      if (a === 0) a = orgati ? zi + di1 * di1 * (dpsi + dphi) : zi1 + di * di * (dpsi + dphi);
      eta = b / a;
    } else if (a <= 0) {
      eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * cc))) / (2 * cc);
    } else {
      eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * cc)));
    }
    if (!(fw * eta < 0) || !Number.isFinite(eta)) eta = -fw / dw;
    const next = tau + eta;
    if (!(next > lo && next < hi)) eta = (fw < 0 ? hi - tau : lo - tau) / 2;
    if (eta === 0) return org + tau;
    for (let j = 0; j < K; j++) delta[j] = delta[j]! - eta;
    tau += eta;
    prew = fw;
  }
  throw new NonConvergenceError(`eigh: the secular equation for root ${i} of ${K} did not converge in ${SECULAR_MAXIT} iterations`, SECULAR_MAXIT, NaN);
}

/** The largest root (i = K−1, K ≥ 3), in (dl_{K−1}, dl_{K−1} + ρ]. */
function secularLast(dl: Float64Array, w: Float64Array, rho: number, delta: Float64Array): number {
  const K = dl.length;
  const rhoinv = 1 / rho;
  const n1 = K - 1;
  const n2 = K - 2;
  const org = dl[n1]!;
  const midpt = rho / 2;
  let psi = 0;
  for (let j = 0; j < n2; j++) psi += (w[j]! * w[j]!) / (dl[j]! - org - midpt);
  const c0 = rhoinv + psi;
  const fw0 = c0 + (w[n2]! * w[n2]!) / (dl[n2]! - org - midpt) + (w[n1]! * w[n1]!) / -midpt;
  let tau: number;
  let lo: number;
  let hi: number;
  const del = dl[n1]! - dl[n2]!;
  const quad = (c: number) => {
    const a = -c * del + w[n2]! * w[n2]! + w[n1]! * w[n1]!;
    const b = w[n1]! * w[n1]! * del;
    return a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
  };
  if (fw0 <= 0) {
    const temp = (w[n2]! * w[n2]!) / (del + rho) + (w[n1]! * w[n1]!) / rho;
    tau = c0 <= temp ? rho : quad(c0);
    lo = midpt;
    hi = rho;
  } else {
    tau = quad(c0);
    lo = 0;
    hi = midpt;
  }
  if (!(tau > lo && tau <= hi)) tau = (lo + hi) / 2;
  for (let j = 0; j < K; j++) delta[j] = dl[j]! - org - tau;
  for (let iter = 0; iter < SECULAR_MAXIT; iter++) {
    let dpsi = 0;
    psi = 0;
    let erretm = 0;
    for (let j = 0; j < n1; j++) {
      const t = w[j]! / delta[j]!;
      psi += w[j]! * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    const t0 = w[n1]! / delta[n1]!;
    const phi = w[n1]! * t0;
    const dphi = t0 * t0;
    erretm = 8 * (-phi - psi) + erretm - phi + rhoinv + Math.abs(tau) * (dpsi + dphi);
    const fw = rhoinv + phi + psi;
    if (Math.abs(fw) <= EPS * erretm) return org + tau;
    if (fw <= 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    let c = fw - delta[n2]! * dpsi - delta[n1]! * dphi;
    const a = (delta[n2]! + delta[n1]!) * fw - delta[n2]! * delta[n1]! * (dpsi + dphi);
    const b = delta[n2]! * delta[n1]! * fw;
    if (c < 0) c = Math.abs(c);
    let eta: number;
    if (c === 0) eta = hi - tau;
    else if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (!(fw * eta < 0) || !Number.isFinite(eta)) eta = -fw / (dpsi + dphi);
    const next = tau + eta;
    if (!(next > lo && next < hi)) eta = (fw < 0 ? hi - tau : lo - tau) / 2;
    if (eta === 0) return org + tau;
    for (let j = 0; j < K; j++) delta[j] = delta[j]! - eta;
    tau += eta;
  }
  throw new NonConvergenceError(`eigh: the secular equation for the largest of ${K} roots did not converge in ${SECULAR_MAXIT} iterations`, SECULAR_MAXIT, NaN);
}

