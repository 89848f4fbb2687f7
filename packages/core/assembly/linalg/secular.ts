// The secular equation of divide and conquer (rank-one update of a diagonal matrix) and the
// eigenvectors of that update (Gu–Eisenstat), in WebAssembly so that the O(K²) work of a merge runs
// on the worker pool. The same algorithm as secularRoot in src/cpu/linalg-dc.ts (the reference):
// the two-pole rational interpolation of R.-C. Li with a Newton fallback and a bisection safeguard.

const EPS: f64 = 1.1102230246251565e-16;
const MAXIT: i32 = 80;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Root i of 1/ρ + Σ w_j²/(dl_j − λ) = 0 (dl ascending, ‖w‖ = 1, K ≥ 3). Writes delta[j] = dl_j − λ
 * (relative to the nearer pole) and returns λ; NaN when the iteration limit is reached.
 */
function secularRoot(dl: usize, w: usize, K: i32, rho: f64, i: i32, delta: usize): f64 {
  const rhoinv = 1 / rho;
  if (i == K - 1) return secularLast(dl, w, K, rho, delta);
  const ip1 = i + 1;
  const del = ld(dl, ip1) - ld(dl, i);
  const midpt = del / 2;
  let psi: f64 = 0;
  for (let j = 0; j < i; j++) psi += (ld(w, j) * ld(w, j)) / (ld(dl, j) - ld(dl, i) - midpt);
  let phi: f64 = 0;
  for (let j = K - 1; j > ip1; j--) phi += (ld(w, j) * ld(w, j)) / (ld(dl, j) - ld(dl, i) - midpt);
  const c = rhoinv + psi + phi;
  const zi = ld(w, i) * ld(w, i);
  const zi1 = ld(w, ip1) * ld(w, ip1);
  const fmid = c + zi / -midpt + zi1 / (del - midpt);
  const orgati = fmid > 0;
  let tau: f64, lo: f64, hi: f64;
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
  const org = ld(dl, ii);
  for (let j = 0; j < K; j++) st(delta, j, ld(dl, j) - org - tau);
  let swtch = false;
  let prew: f64 = 0;
  for (let iter = 0; iter < MAXIT; iter++) {
    let dpsi: f64 = 0, erretm: f64 = 0;
    psi = 0;
    for (let j = 0; j < ii; j++) {
      const t = ld(w, j) / ld(delta, j);
      psi += ld(w, j) * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    let dphi: f64 = 0;
    phi = 0;
    for (let j = K - 1; j > ii; j--) {
      const t = ld(w, j) / ld(delta, j);
      phi += ld(w, j) * t;
      dphi += t * t;
      erretm += phi;
    }
    const t0 = ld(w, ii) / ld(delta, ii);
    const dw = dpsi + dphi + t0 * t0;
    const temp = ld(w, ii) * t0;
    const fw = rhoinv + phi + psi + temp;
    erretm = 8 * (phi - psi) + erretm + 2 * rhoinv + 3 * Math.abs(temp) + Math.abs(tau) * dw;
    if (Math.abs(fw) <= EPS * erretm) return org + tau;
    if (fw <= 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    if (iter > 0 && fw * prew > 0 && Math.abs(fw) > Math.abs(prew) / 10) swtch = !swtch;
    const di = ld(delta, i);
    const di1 = ld(delta, ip1);
    let cc: f64;
    if (!swtch) {
      if (orgati) {
        const r = ld(w, i) / di;
        cc = fw - di1 * dw - (ld(dl, i) - ld(dl, ip1)) * r * r;
      } else {
        const r = ld(w, ip1) / di1;
        cc = fw - di * dw - (ld(dl, ip1) - ld(dl, i)) * r * r;
      }
    } else {
      const tt = ld(w, ii) / ld(delta, ii);
      const dpsi2 = orgati ? dpsi + tt * tt : dpsi;
      const dphi2 = orgati ? dphi : dphi + tt * tt;
      cc = fw - di * dpsi2 - di1 * dphi2;
    }
    let a = (di + di1) * fw - di * di1 * dw;
    const b = di * di1 * fw;
    let eta: f64;
    if (cc == 0) {
      if (a == 0) a = orgati ? zi + di1 * di1 * (dpsi + dphi) : zi1 + di * di * (dpsi + dphi);
      eta = b / a;
    } else if (a <= 0) {
      eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * cc))) / (2 * cc);
    } else {
      eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * cc)));
    }
    if (!(fw * eta < 0) || !isFinite(eta)) eta = -fw / dw;
    const next = tau + eta;
    if (!(next > lo && next < hi)) eta = (fw < 0 ? hi - tau : lo - tau) / 2;
    if (eta == 0) return org + tau;
    for (let j = 0; j < K; j++) st(delta, j, ld(delta, j) - eta);
    tau += eta;
    prew = fw;
  }
  return NaN;
}

function secularLast(dl: usize, w: usize, K: i32, rho: f64, delta: usize): f64 {
  const rhoinv = 1 / rho;
  const n1 = K - 1;
  const n2 = K - 2;
  const org = ld(dl, n1);
  const midpt = rho / 2;
  let psi: f64 = 0;
  for (let j = 0; j < n2; j++) psi += (ld(w, j) * ld(w, j)) / (ld(dl, j) - org - midpt);
  const c0 = rhoinv + psi;
  const wn2 = ld(w, n2) * ld(w, n2), wn1 = ld(w, n1) * ld(w, n1);
  const fw0 = c0 + wn2 / (ld(dl, n2) - org - midpt) + wn1 / -midpt;
  const del = ld(dl, n1) - ld(dl, n2);
  let tau: f64, lo: f64, hi: f64;
  {
    const a = -c0 * del + wn2 + wn1;
    const b = wn1 * del;
    const q = a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c0) - a) : (a + Math.sqrt(a * a + 4 * b * c0)) / (2 * c0);
    if (fw0 <= 0) {
      const temp = wn2 / (del + rho) + wn1 / rho;
      tau = c0 <= temp ? rho : q;
      lo = midpt;
      hi = rho;
    } else {
      tau = q;
      lo = 0;
      hi = midpt;
    }
  }
  if (!(tau > lo && tau <= hi)) tau = (lo + hi) / 2;
  for (let j = 0; j < K; j++) st(delta, j, ld(dl, j) - org - tau);
  for (let iter = 0; iter < MAXIT; iter++) {
    let dpsi: f64 = 0, erretm: f64 = 0;
    psi = 0;
    for (let j = 0; j < n1; j++) {
      const t = ld(w, j) / ld(delta, j);
      psi += ld(w, j) * t;
      dpsi += t * t;
      erretm += psi;
    }
    erretm = Math.abs(erretm);
    const t0 = ld(w, n1) / ld(delta, n1);
    const phi = ld(w, n1) * t0;
    const dphi = t0 * t0;
    erretm = 8 * (-phi - psi) + erretm - phi + rhoinv + Math.abs(tau) * (dpsi + dphi);
    const fw = rhoinv + phi + psi;
    if (Math.abs(fw) <= EPS * erretm) return org + tau;
    if (fw <= 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    const dn2 = ld(delta, n2), dn1 = ld(delta, n1);
    let c = fw - dn2 * dpsi - dn1 * dphi;
    const a = (dn2 + dn1) * fw - dn2 * dn1 * (dpsi + dphi);
    const b = dn2 * dn1 * fw;
    if (c < 0) c = Math.abs(c);
    let eta: f64;
    if (c == 0) eta = hi - tau;
    else if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (!(fw * eta < 0) || !isFinite(eta)) eta = -fw / (dpsi + dphi);
    const next = tau + eta;
    if (!(next > lo && next < hi)) eta = (fw < 0 ? hi - tau : lo - tau) / 2;
    if (eta == 0) return org + tau;
    for (let j = 0; j < K; j++) st(delta, j, ld(delta, j) - eta);
    tau += eta;
  }
  return NaN;
}

/**
 * Roots [task·per, …) of the secular equation (K ≥ 3): row j of D (K×K) gets dl_q − λ_j, lam[j]
 * gets λ_j (NaN: no convergence).
 */
export function lin_secular_task(dl: usize, w: usize, K: i32, rho: f64, D: usize, lam: usize, per: i32, task: i32): void {
  const j1 = min(K, task * per + per);
  for (let j = task * per; j < j1; j++) st(lam, j, secularRoot(dl, w, K, rho, j, D + <usize>j * (<usize>K << 3)));
}

/**
 * Gu–Eisenstat for columns q ∈ [q0, q1): ŵ_q = sign(w_q)·√(−Δ_qq·Π_{j≠q} Δ_jq/(dl_q − dl_j)) with
 * Δ = D (row j: dl_q − λ_j), stored to what[q].
 */
export function lin_lowner_task(D: usize, K: i32, dl: usize, w: usize, what: usize, per: i32, task: i32): void {
  const q1 = min(K, task * per + per);
  const kb = <usize>K << 3;
  for (let q = task * per; q < q1; q++) {
    const dq = ld(dl, q);
    const col = D + (<usize>q << 3);
    let p = load<f64>(col + <usize>q * kb);
    for (let j = 0; j < K; j++) {
      if (j != q) p *= load<f64>(col + <usize>j * kb) / (dq - ld(dl, j));
    }
    const r = Math.sqrt(Math.max(0, -p));
    st(what, q, ld(w, q) < 0 ? -r : r);
  }
}

/**
 * Eigenvector rows j ∈ [j0, j1): u_q = ŵ_q/Δ_jq normalised, stored to row j of D at column pos[q]
 * (i32 table). `tmp` holds K doubles per task.
 */
export function lin_dcvec_task(D: usize, K: i32, what: usize, pos: usize, tmp: usize, per: i32, task: i32): void {
  const j1 = min(K, task * per + per);
  const kb = <usize>K << 3;
  const row = tmp + <usize>task * kb;
  for (let j = task * per; j < j1; j++) {
    const r = D + <usize>j * kb;
    let nrm: f64 = 0;
    for (let q = 0; q < K; q++) {
      const u = ld(what, q) / ld(r, q);
      st(row, q, u);
      nrm += u * u;
    }
    const inv = 1 / Math.sqrt(nrm);
    for (let q = 0; q < K; q++) st(r, load<i32>(pos + (<usize>q << 2)), ld(row, q) * inv);
  }
}
