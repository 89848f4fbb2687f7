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

/** One neural-tangents-convention CNN golden case: a network and its kernels on the images a and b of {@link goldenCnnImage}. */
export interface GoldenCnnCase {
  /** Architecture JSON layers (conventions §2). */
  layers: { type: string; [field: string]: unknown }[];
  /** Σ(a, b), Θ(a, b), Σ(a, a) and Θ(a, a) of the network output. */
  nngp_ab: number;
  ntk_ab: number;
  nngp_aa: number;
  ntk_aa: number;
}

/** The neural-tangents-convention CNN golden cases (`golden/cnn-kernels.json` `cases`; its `arora_cntk` part is read by the reproduction). */
export function goldenCnnCases(): GoldenCnnCase[] {
  return (JSON.parse(readFileSync(goldenPath('cnn-kernels'), 'utf8')) as { cases: GoldenCnnCase[] }).cases;
}

/**
 * An input image of `golden/cnn-kernels.json`, 6×6×3 NHWC, flattened in that order:
 * x[i, j, c] = sin(1 + φ + 0.9c + 0.7i + 1.3j) + 0.5·cos(0.3φ + 1.7ij + c); φ = 0 gives a, φ = 0.8 gives b.
 */
export function goldenCnnImage(phi: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let c = 0; c < 3; c++) x.push(Math.sin(1 + phi + 0.9 * c + 0.7 * i + 1.3 * j) + 0.5 * Math.cos(0.3 * phi + 1.7 * i * j + c));
  return x;
}
