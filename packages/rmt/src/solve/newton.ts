/**
 * The robust fixed-point solver behind every law of the package (reference note §2.2, "Newton with
 * a damped fall-back"): find S ∈ (ℂ⁺)^k with S = F(S) for a map F holomorphic in S.
 *
 * - Newton on R(S) = F(S) − S with the complex Jacobian by forward differences (F is holomorphic,
 *   so a real step h_j = 1e-7·(1 + |s_j|) gives the complex derivative), one k×k complex solve.
 * - Safeguard: a Newton step is accepted only if it stays in the domain (`valid`, e.g. Im s > 0,
 *   finite) and lowers ‖R‖∞; otherwise it is halved up to three times, and failing that replaced by
 *   a damped fixed-point step S ← (1 − θ)S + θF(S) with Im clipped to ≥ 1e-12·(1 + |s|).
 * - Stop when ‖R‖∞ ≤ tol·(1 + ‖S‖∞).
 * @module
 */
import { type Complex, abs, add, complex, isFinite, scale, solveLinear, sub } from '../complex.js';

/** A fixed-point problem S = F(S) on a domain. */
export interface FixedPointProblem {
  /** The number of unknowns k. */
  readonly size: number;
  /** F(S). */
  map(s: readonly Complex[]): Complex[];
  /** Whether S lies in the domain (e.g. every Im s > 0). */
  valid(s: readonly Complex[]): boolean;
}

/** Options of {@link solveFixedPoint}. */
export interface FixedPointOptions {
  /** Relative tolerance on ‖F(S) − S‖∞ (default 1e-12). */
  tol?: number;
  /** Iteration limit (default 100). */
  maxIterations?: number;
  /** Damping θ of the fall-back step (default 0.5). */
  damping?: number;
}

/** What {@link solveFixedPoint} found. */
export interface FixedPointResult {
  /** The last iterate. */
  readonly s: Complex[];
  /** ‖F(S) − S‖∞ there. */
  readonly residual: number;
  /** Iterations taken. */
  readonly iterations: number;
  /** Whether the tolerance was met. */
  readonly converged: boolean;
}

const norm = (v: readonly Complex[]) => v.reduce((m, c) => Math.max(m, abs(c)), 0);

function residualOf(p: FixedPointProblem, s: readonly Complex[]): { r: Complex[]; n: number } {
  const f = p.map(s);
  const r = f.map((fi, i) => sub(fi, s[i]!));
  const n = r.every(isFinite) ? norm(r) : Infinity;
  return { r, n };
}

/** Solves S = F(S) from `start` (see the module comment). */
export function solveFixedPoint(p: FixedPointProblem, start: readonly Complex[], options: FixedPointOptions = {}): FixedPointResult {
  const tol = options.tol ?? 1e-12;
  const maxIt = options.maxIterations ?? 100;
  const theta = options.damping ?? 0.5;
  const k = p.size;
  let s = start.slice();
  let { r, n: rn } = residualOf(p, s);
  let it = 0;
  for (; it < maxIt; it++) {
    if (rn <= tol * (1 + norm(s))) return { s, residual: rn, iterations: it, converged: true };
    let accepted = false;
    if (Number.isFinite(rn)) {
      // Jacobian of R = F − I by forward differences, column j.
      const jac: Complex[] = new Array(k * k);
      for (let j = 0; j < k; j++) {
        const h = 1e-7 * (1 + abs(s[j]!));
        const sj = s.slice();
        sj[j] = add(sj[j]!, complex(h, 0));
        const rj = residualOf(p, sj).r;
        for (let i = 0; i < k; i++) jac[i * k + j] = scale(sub(rj[i]!, r[i]!), 1 / h);
      }
      const delta = solveLinear(jac, r.map((c) => scale(c, -1)), k);
      if (delta) {
        for (let lambda = 1, tries = 0; tries < 4; tries++, lambda /= 2) {
          const cand = s.map((c, i) => add(c, scale(delta[i]!, lambda)));
          if (!cand.every(isFinite) || !p.valid(cand)) continue;
          const next = residualOf(p, cand);
          if (next.n < rn) {
            s = cand;
            r = next.r;
            rn = next.n;
            accepted = true;
            break;
          }
        }
      }
    }
    if (!accepted) {
      // Damped fixed-point step, projected into the upper half-plane.
      const f = Number.isFinite(rn) ? r.map((c, i) => add(c, s[i]!)) : p.map(s);
      let cand = s.map((c, i) => {
        const fi = isFinite(f[i]!) ? f[i]! : c;
        const v = add(scale(c, 1 - theta), scale(fi, theta));
        return complex(v.re, Math.max(v.im, 1e-12 * (1 + abs(v))));
      });
      if (!p.valid(cand)) cand = s.map((c) => complex(c.re, Math.max(c.im, 1e-12 * (1 + abs(c)))));
      s = cand;
      ({ r, n: rn } = residualOf(p, s));
    }
  }
  return { s, residual: rn, iterations: it, converged: rn <= tol * (1 + norm(s)) };
}
