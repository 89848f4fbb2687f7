import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsBackend, tensor, wasmBackend } from '@wide/core';
import { kernel } from '../src/index.js';

/**
 * Golden values computed independently in float64, shipped by @wide/testing (a copy of
 * ../shared/golden, never edited to pass; read by path, as @wide/testing depends on this package).
 */
const goldenPath = fileURLToPath(new URL('../../testing/golden/fc-kernels.json', import.meta.url));
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { cases: { net: string; layers: unknown[]; rho: number; nngp: number; ntk: number }[] };

function relErr(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

describe.each([jsBackend, wasmBackend])('golden fully-connected kernels (golden/fc-kernels.json), $name kernels', (backend) => {
  it('has cases', () => expect(golden.cases.length).toBeGreaterThanOrEqual(20));
  it.each(golden.cases.map((c) => [`${c.net} at ρ=${c.rho}`, c] as const))('%s', (_name, c) => {
    // Inputs x1 = (√2, 0), x2 = √2(ρ, √(1−ρ²)) give Σ⁰ with q1 = q2 = 1 and correlation ρ.
    const x1 = tensor([Math.SQRT2, 0], [1, 2]);
    const x2 = tensor([Math.SQRT2 * c.rho, Math.SQRT2 * Math.sqrt(1 - c.rho * c.rho)], [1, 2]);
    const k = kernel({ layers: c.layers }, x1, x2, { backend });
    expect(relErr(k.nngp[0]!, c.nngp)).toBeLessThanOrEqual(1e-10);
    expect(relErr(k.ntk![0]!, c.ntk)).toBeLessThanOrEqual(1e-10);
  });
});
