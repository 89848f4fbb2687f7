/**
 * The tiny CNTK test case of seed-001-cntk.md §5.1 and golden/cnn-kernels.json: two 6×6×3 NHWC
 * images x[i,j,c] = sin(1 + φ + 0.9c + 0.7i + 1.3j) + 0.5·cos(0.3φ + 1.7·i·j + c), φ = 0 (a) and
 * 0.8 (b), and the `arora_cntk` values (read from the copy shipped by @wide/testing).
 */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@wide/core';
import { goldenPath } from '@wide/testing';

/** The image of phase φ, NHWC (6, 6, 3) flattened. */
export function goldenImage(phi: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let c = 0; c < 3; c++) x.push(Math.sin(1 + phi + 0.9 * c + 0.7 * i + 1.3 * j) + 0.5 * Math.cos(0.3 * phi + 1.7 * i * j + c));
  return x;
}

export const imageA: number[] = goldenImage(0);
export const imageB: number[] = goldenImage(0.8);
/** a and b as one batch (n = 2): its 2×2 kernel holds aa, ab, bb. */
export const pairAB: Tensor = tensor([...imageA, ...imageB], [2, 6, 6, 3]);

/** Self/cross values: aa, ab, bb. */
export interface Triple {
  aa: number;
  ab: number;
  bb: number;
}

/** The `arora_cntk` part of golden/cnn-kernels.json. */
export interface AroraGolden {
  note: string;
  x_dot: Triple;
  vanilla: Record<string, Triple>;
  gap: Record<string, Triple>;
  main_text_convention_vanilla: Record<string, number>;
  main_text_convention_gap: Record<string, number>;
}

export const aroraGolden: AroraGolden = (JSON.parse(readFileSync(goldenPath('cnn-kernels'), 'utf8')) as { arora_cntk: AroraGolden }).arora_cntk;

/** |got − want| / |want|. */
export const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

/** The image of `x` (6×6×C, NHWC flat) shifted circularly by (di, dj). */
export function rollImage(x: readonly number[], di: number, dj: number, size = 6, channels = 3): number[] {
  const out = new Array<number>(x.length);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const si = (((i - di) % size) + size) % size;
      const sj = (((j - dj) % size) + size) % size;
      for (let c = 0; c < channels; c++) out[(i * size + j) * channels + c] = x[(si * size + sj) * channels + c]!;
    }
  }
  return out;
}
