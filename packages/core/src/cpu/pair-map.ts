/**
 * The CPU pair map: applies an elementwise nonlinearity's kernel rule to every entry of Σ and Θ.
 * Uses symmetry when x1 is x2 (upper triangle, then mirror) and sets the diagonal exactly
 * from the variances (so ρ = 1 there without rounding).
 * @module
 */
import type { PairLayout, PairMapResult, PairRule } from '../backend.js';
import { mirrorUpper } from './blas.js';

function mapVariances(rule: PairRule, v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const q = v[i]!;
    out[i] = rule.nngp(q, q, q);
  }
  return out;
}

/** See {@link Backend.pairMap}. */
export function pairMap(rule: PairRule, layout: PairLayout, nngp: Float64Array, ntk: Float64Array | null, var1: Float64Array, var2: Float64Array, inPlace: boolean): PairMapResult {
  const { n1, n2, positions: P, diagonalSpatial, symmetric } = layout;
  const outN = inPlace ? nngp : new Float64Array(nngp.length);
  const outT = ntk ? (inPlace ? ntk : new Float64Array(ntk.length)) : null;
  const both = new Float64Array(2);
  const hasBoth = typeof rule.both === 'function';
  const Q = diagonalSpatial ? 1 : P;
  const tri = symmetric && diagonalSpatial;
  for (let i = 0; i < n1; i++) {
    for (let j = tri ? i : 0; j < n2; j++) {
      const base = (i * n2 + j) * P * Q;
      for (let p = 0; p < P; p++) {
        const q1 = var1[i * P + p]!;
        for (let pp = 0; pp < Q; pp++) {
          const idx = base + p * Q + pp;
          const q2 = var2[j * P + (diagonalSpatial ? p : pp)]!;
          // On the exact diagonal of a symmetric kernel use c = q (ρ = 1 exactly).
          const c = tri && i === j ? q1 : nngp[idx]!;
          if (outT) {
            if (hasBoth) {
              rule.both!(q1, q2, c, both);
              outN[idx] = both[0]!;
              outT[idx] = both[1]! * ntk![idx]!;
            } else {
              outN[idx] = rule.nngp(q1, q2, c);
              outT[idx] = rule.dnngp(q1, q2, c) * ntk![idx]!;
            }
          } else {
            outN[idx] = rule.nngp(q1, q2, c);
          }
        }
      }
    }
  }
  if (tri) {
    mirrorUpper(outN, n1, P);
    if (outT) mirrorUpper(outT, n1, P);
  }
  const v1 = mapVariances(rule, var1);
  const v2 = var2 === var1 ? v1 : mapVariances(rule, var2);
  return { nngp: outN, ntk: outT, var1: v1, var2: v2 };
}
