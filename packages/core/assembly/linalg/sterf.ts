// All eigenvalues of a symmetric tridiagonal matrix: the Pal–Walker–Kahan root-free QL/QR of
// src/cpu/linalg-tridiagonal.ts (the reference, with the algorithm's description), compiled.

const EPS: f64 = 1.1102230246251565e-16;
const EPS2: f64 = EPS * EPS;
const SAFMIN: f64 = 2.2250738585072014e-308;
const SSFMAX: f64 = Math.sqrt(1 / SAFMIN) / 3;
const SSFMIN: f64 = Math.sqrt(SAFMIN) / EPS2;

let rt1: f64 = 0;
let rt2: f64 = 0;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** Eigenvalues of [[a, b], [b, c]] into rt1 (larger |·|) and rt2. */
function eig2(a: f64, b: f64, c: f64): void {
  const sm = a + c;
  const adf = Math.abs(a - c);
  const ab = Math.abs(b + b);
  const big = Math.abs(a) > Math.abs(c);
  const acmx = big ? a : c;
  const acmn = big ? c : a;
  let rt: f64;
  if (adf > ab) {
    const r = ab / adf;
    rt = adf * Math.sqrt(1 + r * r);
  } else if (adf < ab) {
    const r = adf / ab;
    rt = ab * Math.sqrt(1 + r * r);
  } else rt = ab * Math.SQRT2;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
  }
}

function scale(x: usize, from: i32, to: i32, f: f64): void {
  for (let i = from; i < to; i++) st(x, i, ld(x, i) * f);
}

/**
 * Overwrites d (n) with the eigenvalues (unsorted) of the tridiagonal (d, e); e is destroyed.
 * d and e must be finite. Returns the number of off-diagonal entries left non-zero after 30·n
 * iterations (0: converged).
 */
export function lin_sterf(d: usize, e: usize, n: i32): i32 {
  if (n <= 1) return 0;
  const nmaxit = n * 30;
  let jtot = 0;
  let l1 = 0;
  while (l1 <= n - 1) {
    if (l1 > 0) st(e, l1 - 1, 0);
    let m = l1;
    for (; m < n - 1; m++) {
      const t = Math.abs(ld(e, m));
      if (t == 0) break;
      if (t <= Math.sqrt(Math.abs(ld(d, m))) * Math.sqrt(Math.abs(ld(d, m + 1))) * EPS) {
        st(e, m, 0);
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend == l) continue;
    let anorm: f64 = 0;
    for (let i = l; i <= lend; i++) anorm = Math.max(anorm, Math.abs(ld(d, i)));
    for (let i = l; i < lend; i++) anorm = Math.max(anorm, Math.abs(ld(e, i)));
    if (anorm == 0) continue;
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
    for (let i = l; i < lend; i++) st(e, i, ld(e, i) * ld(e, i));
    if (Math.abs(ld(d, lend)) < Math.abs(ld(d, l))) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      // QL
      while (l <= lend) {
        let mm = l;
        for (; mm < lend; mm++) if (Math.abs(ld(e, mm)) <= EPS2 * Math.abs(ld(d, mm) * ld(d, mm + 1))) break;
        if (mm < lend) st(e, mm, 0);
        let p = ld(d, l);
        if (mm == l) {
          l++;
          continue;
        }
        if (mm == l + 1) {
          eig2(ld(d, l), Math.sqrt(ld(e, l)), ld(d, l + 1));
          st(d, l, rt1);
          st(d, l + 1, rt2);
          st(e, l, 0);
          l += 2;
          continue;
        }
        if (jtot == nmaxit) break;
        jtot++;
        const rte = Math.sqrt(ld(e, l));
        let sigma = (ld(d, l + 1) - p) / (2 * rte);
        const r0 = Math.abs(sigma) > 1e150 ? Math.abs(sigma) : Math.sqrt(sigma * sigma + 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r0 : -r0));
        let c: f64 = 1, s: f64 = 0;
        let gamma = ld(d, mm) - sigma;
        p = gamma * gamma;
        for (let i = mm - 1; i >= l; i--) {
          const bb = ld(e, i);
          const r = p + bb;
          if (i != mm - 1) st(e, i + 1, s * r);
          const oldc = c;
          c = p / r;
          s = bb / r;
          const oldgam = gamma;
          const alpha = ld(d, i);
          gamma = c * (alpha - sigma) - s * oldgam;
          st(d, i + 1, oldgam + (alpha - gamma));
          p = c != 0 ? (gamma * gamma) / c : oldc * bb;
        }
        st(e, l, s * p);
        st(d, l, sigma + gamma);
      }
    } else {
      // QR
      while (l >= lend) {
        let mm = l;
        for (; mm > lend; mm--) if (Math.abs(ld(e, mm - 1)) <= EPS2 * Math.abs(ld(d, mm) * ld(d, mm - 1))) break;
        if (mm > lend) st(e, mm - 1, 0);
        let p = ld(d, l);
        if (mm == l) {
          l--;
          continue;
        }
        if (mm == l - 1) {
          eig2(ld(d, l), Math.sqrt(ld(e, l - 1)), ld(d, l - 1));
          st(d, l, rt1);
          st(d, l - 1, rt2);
          st(e, l - 1, 0);
          l -= 2;
          continue;
        }
        if (jtot == nmaxit) break;
        jtot++;
        const rte = Math.sqrt(ld(e, l - 1));
        let sigma = (ld(d, l - 1) - p) / (2 * rte);
        const r0 = Math.abs(sigma) > 1e150 ? Math.abs(sigma) : Math.sqrt(sigma * sigma + 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r0 : -r0));
        let c: f64 = 1, s: f64 = 0;
        let gamma = ld(d, mm) - sigma;
        p = gamma * gamma;
        for (let i = mm; i <= l - 1; i++) {
          const bb = ld(e, i);
          const r = p + bb;
          if (i != mm) st(e, i - 1, s * r);
          const oldc = c;
          c = p / r;
          s = bb / r;
          const oldgam = gamma;
          const alpha = ld(d, i + 1);
          gamma = c * (alpha - sigma) - s * oldgam;
          st(d, i, oldgam + (alpha - gamma));
          p = c != 0 ? (gamma * gamma) / c : oldc * bb;
        }
        st(e, l - 1, s * p);
        st(d, l, sigma + gamma);
      }
    }
    if (iscale == 1) scale(d, lsv, lendsv + 1, anorm / SSFMAX);
    else if (iscale == 2) scale(d, lsv, lendsv + 1, anorm / SSFMIN);
    if (jtot >= nmaxit) {
      let bad = 0;
      for (let i = 0; i < n - 1; i++) if (ld(e, i) != 0) bad++;
      if (bad > 0) return bad;
      break;
    }
  }
  return 0;
}
