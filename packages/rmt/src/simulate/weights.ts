/**
 * Laws of i.i.d. weights with mean 0 and variance 1 (Gu et al. 2022, Assumption 2; Fan & Wang 2020
 * use N(0, 1)): Gaussian, symmetric Bernoulli (±1), sparse ternary (0 with probability ε,
 * ±(1 − ε)^{−1/2} otherwise: Gu et al.'s Corollary 1), or any sampler of your own.
 * @module
 */
import type { Rng } from '@wide/core';
import { InvalidRequestError } from '../errors.js';

/** A weight law: `gaussian`, `bernoulli` (±1), `{ ternary: ε }`, or `{ name, sample }` filling an array with mean-0, variance-1 draws. */
export type WeightLaw = 'gaussian' | 'bernoulli' | { readonly ternary: number } | { readonly name: string; readonly sample: (rng: Rng, out: Float64Array) => void };

/** A one-line name of a weight law. */
export function weightLawName(law: WeightLaw): string {
  if (typeof law === 'string') return law;
  if ('ternary' in law) return `ternary(ε=${law.ternary})`;
  return law.name;
}

/** Throws unless `law` is a valid weight law (ε in [0, 1) for ternary). */
export function checkWeightLaw(law: unknown, name = 'weights'): WeightLaw {
  if (law === 'gaussian' || law === 'bernoulli') return law;
  if (law && typeof law === 'object') {
    if ('ternary' in law) {
      const e = (law as { ternary: unknown }).ternary;
      if (typeof e !== 'number' || !(e >= 0 && e < 1)) throw new InvalidRequestError(`${name}.ternary`, `expected a sparsity ε in [0, 1), got ${String(e)}`);
      return law as WeightLaw;
    }
    if ('sample' in law && typeof (law as { sample: unknown }).sample === 'function') return law as WeightLaw;
  }
  throw new InvalidRequestError(name, `expected "gaussian", "bernoulli", { ternary: ε } or { name, sample }, got ${JSON.stringify(law)}`);
}

/** Fills `out` with i.i.d. draws of `law` from `rng` and returns it. */
export function fillWeights(law: WeightLaw, rng: Rng, out: Float64Array): Float64Array {
  if (law === 'gaussian') return rng.fillNormal(out);
  if (law === 'bernoulli') {
    // 32 signs per 32-bit draw.
    for (let i = 0; i < out.length; i += 32) {
      const bits = rng.nextUint32();
      const end = Math.min(out.length, i + 32);
      for (let j = i; j < end; j++) out[j] = (bits >>> (j - i)) & 1 ? 1 : -1;
    }
    return out;
  }
  if ('ternary' in law) {
    const eps = law.ternary;
    const v = 1 / Math.sqrt(1 - eps);
    const half = (1 - eps) / 2;
    for (let i = 0; i < out.length; i++) {
      const u = rng.nextUint32() / 4294967296;
      out[i] = u < half ? v : u < 2 * half ? -v : 0;
    }
    return out;
  }
  law.sample(rng, out);
  return out;
}
