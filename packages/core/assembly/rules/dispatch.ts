// The closed-form kernel rules of the activations, vectorised (f64x2: two kernel entries per call).
//
// Contract of every rule (and of applyRule):
//   rule(p, q1, q2, c): Σ′ of the two entries (q1, q2, c) lane by lane, and Σ̇ left in the module
//   global `ruleDot` (common.ts) — read it right after the call, before the next rule call.
// `p` is the byte offset of the rule's f64 params block, built in JS by nativeRule()
// (src/cpu/wasm/rule-ids.ts) from the PairRule: what can be precomputed once per layer is (a², 2b²,
// cos 2c0, the expanded polynomial terms, …). Everything is @inline, so a caller's loop holds the
// rule body, and the global costs one v128 store + load per call (AssemblyScript has no multiple
// return values; a per-thread global needs no pointer and no memory of the caller's). Each worker
// thread has its own instance, hence its own `ruleDot`.
//
// The formulas mirror the JS rules of packages/layers/src/activations term by term (same clamping
// of ρ, ρ = 0 at a zero variance, √(1−ρ²) as √((1−ρ)(1+ρ)), same order of operations except
// x/(2π) → x·(1/(2π))), so the two agree to a few ulp (test/wasm-rules.test.ts in layers).
// Non-finite results (overflow, the gaussian rule's invalid region) come out as ±∞/NaN: the
// caller (the chain driver) turns them into a typed error.
import { abRelu } from './ab-relu';
import { erf } from './erf';
import { exp, gaussian } from './exp';
import { gelu } from './gelu';
import { polynomial } from './polynomial';
import { rectifiedMonomial } from './rectified-monomial';
import { sin } from './sin';
import { sign, step } from './sign';

export { ruleDot } from './common';

// Rule ids: keep in step with RULE_IDS in src/cpu/wasm/rule-ids.ts.
export const RULE_AB_RELU: i32 = 0;
export const RULE_ERF: i32 = 1;
export const RULE_GELU: i32 = 2;
export const RULE_SIN: i32 = 3;
export const RULE_SIGN: i32 = 4;
export const RULE_STEP: i32 = 5;
export const RULE_EXP: i32 = 6;
export const RULE_GAUSSIAN: i32 = 7;
export const RULE_POLYNOMIAL: i32 = 8;
export const RULE_RECTIFIED_MONOMIAL: i32 = 9;

/** Σ′ of rule `id` (params at p) for two entries; Σ̇ in `ruleDot`. An unknown id gives NaN. */
// @ts-ignore: decorator
@inline export function applyRule(id: i32, p: usize, q1: v128, q2: v128, c: v128): v128 {
  switch (id) {
    case RULE_AB_RELU: return abRelu(p, q1, q2, c);
    case RULE_ERF: return erf(p, q1, q2, c);
    case RULE_GELU: return gelu(p, q1, q2, c);
    case RULE_SIN: return sin(p, q1, q2, c);
    case RULE_SIGN: return sign(p, q1, q2, c);
    case RULE_STEP: return step(p, q1, q2, c);
    case RULE_EXP: return exp(p, q1, q2, c);
    case RULE_GAUSSIAN: return gaussian(p, q1, q2, c);
    case RULE_POLYNOMIAL: return polynomial(p, q1, q2, c);
    case RULE_RECTIFIED_MONOMIAL: return rectifiedMonomial(p, q1, q2, c);
    default: return f64x2.splat(NaN);
  }
}
