/**
 * Symmetric tridiagonal eigenvalues: the Pal–Walker–Kahan root-free variant of implicit QL/QR
 * with Wilkinson-like shifts and scaling of each unreduced block (the algorithm of LAPACK's
 * dsterf). O(n²), no square roots in the inner loop; chooses QL or QR per block so that the
 * smaller end converges first.
 * @module
 */
import { NonConvergenceError } from '../errors.js';

const EPS = 2 ** -53;
const EPS2 = EPS * EPS;
const SAFMIN = 2 ** -1022;
const SAFMAX = 1 / SAFMIN;
const SSFMAX = Math.sqrt(SAFMAX) / 3;
const SSFMIN = Math.sqrt(SAFMIN) / EPS2;
/** Iterations allowed per eigenvalue (LAPACK's MAXIT). */
const MAXIT = 30;

/** Eigenvalues of [[a, b], [b, c]]: rt1 of larger absolute value, rt2 the other (LAPACK dlae2). */
export function eig2(a: number, b: number, c: number): [number, number] {
  const sm = a + c;
  const adf = Math.abs(a - c);
  const ab = Math.abs(b + b);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  let rt: number;
  if (adf > ab) rt = adf * Math.sqrt(1 + (ab / adf) ** 2);
  else if (adf < ab) rt = ab * Math.sqrt(1 + (adf / ab) ** 2);
  else rt = ab * Math.SQRT2;
  if (sm < 0) {
    const rt1 = 0.5 * (sm - rt);
    return [rt1, (acmx / rt1) * acmn - (b / rt1) * b];
  }
  if (sm > 0) {
    const rt1 = 0.5 * (sm + rt);
    return [rt1, (acmx / rt1) * acmn - (b / rt1) * b];
  }
  return [0.5 * rt, -0.5 * rt];
}

function scale(x: Float64Array, from: number, to: number, f: number): void {
  for (let i = from; i < to; i++) x[i] = x[i]! * f;
}

/**
 * All eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal d (n) and
 * off-diagonal e (e[i] couples i and i+1; e[n−1] ignored). Overwrites d (returned, sorted) and e.
 * Throws {@link NonConvergenceError} if some eigenvalues fail to converge in 30·n iterations.
 */
export function tridiagonalEigenvaluesPwk(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  if (n <= 1) return d;
  const nmaxit = n * MAXIT;
  let jtot = 0;
  let l1 = 0;
  for (;;) {
    // Find the next unreduced block [l1, m].
    if (l1 > n - 1) break;
    if (l1 > 0) e[l1 - 1] = 0;
    let m = l1;
    for (; m < n - 1; m++) {
      const t = Math.abs(e[m]!);
      if (t === 0) break;
      if (t <= Math.sqrt(Math.abs(d[m]!)) * Math.sqrt(Math.abs(d[m + 1]!)) * EPS) {
        e[m] = 0;
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend === l) continue;
    // Scale the block.
    let anorm = 0;
    for (let i = l; i <= lend; i++) {
      const t = Math.abs(d[i]!);
      if (t > anorm || t !== t) anorm = t;
    }
    for (let i = l; i < lend; i++) {
      const t = Math.abs(e[i]!);
      if (t > anorm || t !== t) anorm = t;
    }
    if (anorm !== anorm) throw new NonConvergenceError('tridiagonal eigenvalues: the matrix holds NaN', 0, NaN);
    if (anorm === 0) continue;
    let iscale = 0;
    if (anorm > SSFMAX) {
      iscale = 1;
      scale(d, l, lend + 1, SSFMAX / anorm);
      scale(e, l, lend, SSFMAX / anorm);
    } else if (anorm < SSFMIN) {
      iscale = 2;
      scale(d, l, lend + 1, SSFMIN / anorm);
      scale(e, l, lend, SSFMIN / anorm);
    }
    for (let i = l; i < lend; i++) e[i] = e[i]! * e[i]!;
    // QL when the top is the smaller end, else QR.
    if (Math.abs(d[lend]!) < Math.abs(d[l]!)) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      // QL iteration.
      while (l <= lend) {
        let mm = l;
        for (; mm < lend; mm++) if (Math.abs(e[mm]!) <= EPS2 * Math.abs(d[mm]! * d[mm + 1]!)) break;
        if (mm < lend) e[mm] = 0;
        let p = d[l]!;
        if (mm === l) {
          d[l] = p;
          l++;
          continue;
        }
        if (mm === l + 1) {
          const [rt1, rt2] = eig2(d[l]!, Math.sqrt(e[l]!), d[l + 1]!);
          d[l] = rt1;
          d[l + 1] = rt2;
          e[l] = 0;
          l += 2;
          continue;
        }
        if (jtot === nmaxit) break;
        jtot++;
        const rte = Math.sqrt(e[l]!);
        let sigma = (d[l + 1]! - p) / (2 * rte);
        const r0 = Math.hypot(sigma, 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r0 : -r0));
        let c = 1;
        let s = 0;
        let gamma = d[mm]! - sigma;
        p = gamma * gamma;
        for (let i = mm - 1; i >= l; i--) {
          const bb = e[i]!;
          const r = p + bb;
          if (i !== mm - 1) e[i + 1] = s * r;
          const oldc = c;
          c = p / r;
          s = bb / r;
          const oldgam = gamma;
          const alpha = d[i]!;
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i + 1] = oldgam + (alpha - gamma);
          p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
        }
        e[l] = s * p;
        d[l] = sigma + gamma;
      }
    } else {
      // QR iteration.
      while (l >= lend) {
        let mm = l;
        for (; mm > lend; mm--) if (Math.abs(e[mm - 1]!) <= EPS2 * Math.abs(d[mm]! * d[mm - 1]!)) break;
        if (mm > lend) e[mm - 1] = 0;
        let p = d[l]!;
        if (mm === l) {
          d[l] = p;
          l--;
          continue;
        }
        if (mm === l - 1) {
          const [rt1, rt2] = eig2(d[l]!, Math.sqrt(e[l - 1]!), d[l - 1]!);
          d[l] = rt1;
          d[l - 1] = rt2;
          e[l - 1] = 0;
          l -= 2;
          continue;
        }
        if (jtot === nmaxit) break;
        jtot++;
        const rte = Math.sqrt(e[l - 1]!);
        let sigma = (d[l - 1]! - p) / (2 * rte);
        const r0 = Math.hypot(sigma, 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r0 : -r0));
        let c = 1;
        let s = 0;
        let gamma = d[mm]! - sigma;
        p = gamma * gamma;
        for (let i = mm; i <= l - 1; i++) {
          const bb = e[i]!;
          const r = p + bb;
          if (i !== mm) e[i - 1] = s * r;
          const oldc = c;
          c = p / r;
          s = bb / r;
          const oldgam = gamma;
          const alpha = d[i + 1]!;
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i] = oldgam + (alpha - gamma);
          p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
        }
        e[l - 1] = s * p;
        d[l] = sigma + gamma;
      }
    }
    // Undo the scaling.
    if (iscale === 1) scale(d, lsv, lendsv + 1, anorm / SSFMAX);
    else if (iscale === 2) scale(d, lsv, lendsv + 1, anorm / SSFMIN);
    if (jtot >= nmaxit) {
      let bad = 0;
      let worst = 0;
      for (let i = 0; i < n - 1; i++) {
        if (e[i] !== 0) {
          bad++;
          worst = Math.max(worst, Math.sqrt(Math.abs(e[i]!)));
        }
      }
      if (bad > 0) {
        throw new NonConvergenceError(
          `tridiagonal eigenvalues: ${bad} of ${n} eigenvalues did not converge in ${nmaxit} QL/QR iterations (largest remaining off-diagonal ${worst.toExponential(3)})`,
          nmaxit,
          worst,
        );
      }
      break;
    }
  }
  return d.sort();
}
