/**
 * The recursive fixed points of Fan & Wang (2020), eqs. (11)–(15), as one joint system in
 * S = (s_1, …, s_L) ∈ (ℂ⁺)^L (reference note §2.2: solving level by level would nest L solvers).
 *
 * Vectors z = (z_{−1}, z_0, …, z_ℓ) and w are stored with z_{−1} first (index k+1 holds z_k).
 * - t_0((z_{−1}, z_0), (w_{−1}, w_0)) = ∫ (w_{−1} + w_0x)/(z_{−1} + z_0x) dμ_0(x)              (11)
 *   = w_0/z_0 + ((w_{−1}z_0 − w_0z_{−1})/z_0²)·m_0(−z_{−1}/z_0)  [derived], or
 *   (w_{−1} + w_0·E_{μ0}[x])/z_{−1} when z_0 = 0.
 * - s_ℓ(z) = 1/z_ℓ + γ_ℓ·t_{ℓ−1}(z_prev, (1 − b_ℓ², 0, …, 0, b_ℓ²))                          (12)
 * - t_ℓ(z, w) = w_ℓ/z_ℓ + t_{ℓ−1}(z_prev, w_prev)                                             (13)
 * - z_prev = (z_{−1} + (1 − b_ℓ²)/s_ℓ, z_0, …, z_{ℓ−2}, z_{ℓ−1} + b_ℓ²/s_ℓ)                     (14)
 * - w_prev = (w_{−1}, …, w_{ℓ−1}) − (w_ℓ/z_ℓ)·(z_{−1}, …, z_{ℓ−1})                              (15)
 *
 * Given S, the chain Z_L = z, Z_{ℓ−1} = z_prev(s_ℓ, Z_ℓ) is built top-down; F_ℓ(S) is the right side
 * of (12) with t_{ℓ−1} unrolled through (13)–(15) down to t_0. The limit of
 * spec(c_{−1}·Id + Σ_ℓ c_ℓ·X_ℓᵀX_ℓ) has m(z) = t_L((−z + c_{−1}, c_0, …, c_L), e_1) (Theorem 3.7).
 * b_ℓ may differ per layer (one activation per layer; the derivation is layer by layer).
 * @module
 */
import { type Complex, ONE, ZERO, add, complex, conj, div, mul, neg, scale, sub } from '../complex.js';
import type { SpectralLaw } from '../spectral/law.js';

/** What the recursion needs: the input law μ_0, γ_ℓ = n/d_ℓ and b_ℓ² per layer ℓ = 1 … L. */
export interface RecursionModel {
  readonly input: SpectralLaw;
  readonly gammas: readonly number[];
  readonly b2: readonly number[];
}

/** m_0 at any ζ off the real axis (conjugate symmetry m(ζ̄) = conj m(ζ) below it). */
function m0(law: SpectralLaw, zeta: Complex): Complex {
  return zeta.im >= 0 ? law.stieltjes(zeta) : conj(law.stieltjes(conj(zeta)));
}

/** t_0 of eq. (11). */
function t0(model: RecursionModel, z: readonly Complex[], w: readonly Complex[]): Complex {
  const [zm, z0] = z as [Complex, Complex];
  const [wm, w0] = w as [Complex, Complex];
  if (z0.re === 0 && z0.im === 0) return div(add(wm, scale(w0, model.input.mean)), zm);
  const ratio = div(w0, z0);
  const coef = div(sub(mul(wm, z0), mul(w0, zm)), mul(z0, z0));
  return add(ratio, mul(coef, m0(model.input, neg(div(zm, z0)))));
}

/** The chain Z_L = zTop, Z_{ℓ−1} = z_prev(s_ℓ, Z_ℓ) (eq. 14); Z[ℓ] has ℓ + 2 entries. */
export function zChain(model: RecursionModel, zTop: readonly Complex[], s: readonly Complex[]): Complex[][] {
  const L = model.gammas.length;
  const Z: Complex[][] = new Array(L + 1);
  Z[L] = zTop.slice();
  for (let l = L; l >= 1; l--) {
    const zl = Z[l]!;
    const is = div(ONE, s[l - 1]!);
    const b2 = model.b2[l - 1]!;
    const prev: Complex[] = new Array(l + 1);
    prev[0] = add(zl[0]!, scale(is, 1 - b2));
    for (let k = 1; k < l; k++) prev[k] = zl[k]!;
    prev[l] = add(zl[l]!, scale(is, b2));
    Z[l - 1] = prev;
  }
  return Z;
}

/** t_k(Z[k], w) through eqs. (13), (15) and (11); w has k + 2 entries. */
export function tAt(model: RecursionModel, Z: readonly Complex[][], k: number, w: readonly Complex[]): Complex {
  let acc = ZERO;
  let wc = w;
  for (let j = k; j >= 1; j--) {
    const zj = Z[j]!;
    const r = div(wc[j + 1]!, zj[j + 1]!);
    acc = add(acc, r);
    const next: Complex[] = new Array(j + 1);
    for (let i = 0; i <= j; i++) next[i] = sub(wc[i]!, mul(r, zj[i]!));
    wc = next;
  }
  return add(acc, t0(model, Z[0]!, wc));
}

/** F(S): the right-hand sides of eq. (12) for ℓ = 1 … L at the chain of zTop. */
export function fixedPointMap(model: RecursionModel, zTop: readonly Complex[], s: readonly Complex[]): Complex[] {
  const L = model.gammas.length;
  const Z = zChain(model, zTop, s);
  const out: Complex[] = new Array(L);
  for (let l = 1; l <= L; l++) {
    const b2 = model.b2[l - 1]!;
    const w: Complex[] = new Array(l + 1).fill(ZERO);
    w[0] = complex(1 - b2, 0);
    w[l] = add(w[l]!, complex(b2, 0));
    out[l - 1] = add(div(ONE, Z[l]![l + 1]!), scale(tAt(model, Z, l - 1, w), model.gammas[l - 1]!));
  }
  return out;
}

/** m(z) = t_L(zTop, e_1) once S solves the system (Theorem 3.7). */
export function stieltjesFromState(model: RecursionModel, zTop: readonly Complex[], s: readonly Complex[]): Complex {
  const L = model.gammas.length;
  const Z = zChain(model, zTop, s);
  const e1: Complex[] = new Array(L + 2).fill(ZERO);
  e1[0] = ONE;
  return tAt(model, Z, L, e1);
}

/** The top vector (−z + c_{−1}, c_0, …, c_L) for coefficients c = (c_{−1}, c_0, …, c_L). */
export function topVector(z: Complex, coefficients: readonly number[]): Complex[] {
  return coefficients.map((c, i) => (i === 0 ? complex(c - z.re, -z.im) : complex(c, 0)));
}
