/**
 * The golden kernel values shipped with this package (`golden/*.json`): computed independently
 * in float64 for Wide's conventions and never edited to make a test pass (conventions §5).
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One fully-connected golden case: a network, a correlation ρ and the kernels there. */
export interface GoldenFcCase {
  /** Human-readable description of the network. */
  net: string;
  /** Architecture JSON layers (conventions §2). */
  layers: unknown[];
  /** Input correlation ρ; see {@link goldenFcInputs}. */
  rho: number;
  /** Σ(x1, x2) of the network output. */
  nngp: number;
  /** Θ(x1, x2) of the network output. */
  ntk: number;
}

/** Absolute path of a golden file shipped with `@wide/testing`, e.g. `goldenPath('fc-kernels')`. */
export function goldenPath(name: 'fc-kernels' | 'cnn-kernels'): string {
  return fileURLToPath(new URL(`../golden/${name}.json`, import.meta.url));
}

/** The fully-connected golden cases (`golden/fc-kernels.json`). */
export function goldenFcCases(): GoldenFcCase[] {
  return (JSON.parse(readFileSync(goldenPath('fc-kernels'), 'utf8')) as { cases: GoldenFcCase[] }).cases;
}

/**
 * The inputs of a fully-connected golden case: x1 = (√2, 0) and x2 = √2(ρ, √(1−ρ²)), so that
 * the input kernel Σ⁰ = x·x′/d has q1 = q2 = 1 and correlation ρ.
 */
export function goldenFcInputs(rho: number): { x1: number[]; x2: number[] } {
  return { x1: [Math.SQRT2, 0], x2: [Math.SQRT2 * rho, Math.SQRT2 * Math.sqrt(1 - rho * rho)] };
}
