// abRelu(a, b) = a·min(x, 0) + b·max(x, 0) (relu, leakyRelu, abs): the arc-cosine kernel of
// order 1 (Cho & Saul 2009; neural-tangents `ABRelu`), as packages/layers/src/activations/relu.ts:
//   Σ̇ = (a²+b²)/2 − (a−b)²·θ/(2π),  Σ′ = (a−b)²/(2π)·√(q1q2)·√((1−ρ)(1+ρ)) + Σ̇·c,  θ = arccos ρ.
// Params (rule-ids.ts): [(a²+b²)/2, (a−b)², (a−b)²/(2π)]. (a−b)²θ/(2π) is divided as in JS, not
// multiplied by 1/(2π): at a zero variance (ρ = 0, θ = π/2 exactly) Σ̇ is then bit-identical, which
// matters where it cancels to 0 (abs: 1 − 4·(π/2)/(2π)).
import { acos, k2 } from '../math';
import { correlation, param, positive, ruleDot, sinOfAngle } from './common';

// @ts-ignore: decorator
@inline export function abRelu(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const qq = f64x2.mul(q1, q2);
  const pos = positive(qq);
  const sq = v128.and(f64x2.sqrt(qq), pos);
  const rho = correlation(qq, c, pos);
  const dot = f64x2.sub(param(p, 0), f64x2.div(f64x2.mul(param(p, 1), acos(rho)), k2(2 * Math.PI)));
  ruleDot = dot;
  return f64x2.add(f64x2.mul(f64x2.mul(param(p, 2), sq), sinOfAngle(rho)), f64x2.mul(dot, c));
}
