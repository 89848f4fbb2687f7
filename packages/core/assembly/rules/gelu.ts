// gelu(x) = x·Φ(x), as packages/layers/src/activations/gelu.ts: with P = (1+q1)(1+q2),
// S = √max(P − c², MIN_VALUE), N = q1q2·S² + c², A = arcsin(clamp(c/√P)),
//   Σ′ = c/4 + c/(2π)·A + N/(2π·P·S),
//   Σ̇ = 1/4 + A/(2π) + c/(2π·S) + c·(2(1 − q1q2)S² + N)/(2π·P·S³).
// No params.
import { asin, clampUnit, k2 } from '../math';
import { INV_2PI, ruleDot } from './common';

// @ts-ignore: decorator
@inline export function gelu(p: usize, q1: v128, q2: v128, c: v128): v128 {
  const P = f64x2.mul(f64x2.add(k2(1.0), q1), f64x2.add(k2(1.0), q2));
  const S = f64x2.sqrt(f64x2.pmax(f64x2.sub(P, f64x2.mul(c, c)), k2(f64.MIN_VALUE)));
  const qq = f64x2.mul(q1, q2);
  const N = f64x2.add(f64x2.mul(f64x2.mul(qq, S), S), f64x2.mul(c, c));
  const A = asin(clampUnit(f64x2.div(c, f64x2.sqrt(P))));
  const twoPiP = f64x2.mul(k2(2 * Math.PI), P);
  const nngp = f64x2.add(
    f64x2.add(f64x2.mul(c, k2(0.25)), f64x2.mul(f64x2.mul(c, k2(INV_2PI)), A)),
    f64x2.div(N, f64x2.mul(twoPiP, S)),
  );
  const inner = f64x2.add(f64x2.mul(f64x2.mul(f64x2.mul(k2(2.0), f64x2.sub(k2(1.0), qq)), S), S), N);
  ruleDot = f64x2.add(
    f64x2.add(f64x2.add(k2(0.25), f64x2.mul(A, k2(INV_2PI))), f64x2.div(c, f64x2.mul(k2(2 * Math.PI), S))),
    f64x2.div(f64x2.mul(c, inner), f64x2.mul(f64x2.mul(f64x2.mul(twoPiP, S), S), S)),
  );
  return nngp;
}
