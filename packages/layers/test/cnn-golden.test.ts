import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsBackend, tensor, wasmBackend } from '@wide/core';
import { kernel } from '../src/index.js';

/**
 * The neural-tangents-convention cases of golden/cnn-kernels.json (computed independently in
 * float64, shipped by @wide/testing as a byte-identical copy of ../shared/golden), through
 * @wide/testing's readers, imported by path (it depends on this package; see schema.test.ts). The
 * `arora_cntk` part is checked by the reproduction.
 */
const goldenPath = fileURLToPath(new URL('../../testing/golden/cnn-kernels.json', import.meta.url));
const raw = JSON.parse(readFileSync(goldenPath, 'utf8')) as { inputs: string; cases: unknown[] };
interface CnnCase {
  layers: { type: string; [field: string]: unknown }[];
  nngp_ab: number;
  ntk_ab: number;
  nngp_aa: number;
  ntk_aa: number;
}
const { goldenCnnCases, goldenCnnImage } = (await import(fileURLToPath(new URL(['..', '..', 'testing', 'src', 'golden.ts'].join('/'), import.meta.url)))) as {
  goldenCnnCases: () => CnnCase[];
  goldenCnnImage: (phi: number) => number[];
};
const cases = goldenCnnCases();
const a = tensor(goldenCnnImage(0), [1, 6, 6, 3]);
const b = tensor(goldenCnnImage(0.8), [1, 6, 6, 3]);
const ab = tensor([...goldenCnnImage(0), ...goldenCnnImage(0.8)], [2, 6, 6, 3]);

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
const name = (c: CnnCase) => c.layers.map((l) => ('padding' in l ? `${l.type} ${String(l.padding)}` : l.type)).join(' → ');

describe.each([jsBackend, wasmBackend])('golden CNN kernels (golden/cnn-kernels.json), $name kernels', (backend) => {
  it('has the inputs and cases this test reads', () => {
    // goldenCnnImage implements this formula; the reader returns the file's cases.
    expect(raw.inputs).toMatch(/two NHWC images of shape 6x6x3: x\[i,j,c\] = sin\(1\+phi\+0\.9c\+0\.7i\+1\.3j\) \+ 0\.5cos\(0\.3phi\+1\.7ij\+c\), phi=0 for a and phi=0\.8 for b/);
    expect(cases).toEqual(raw.cases);
    expect(cases.length).toBe(4);
    expect(goldenCnnImage(0.8)[(2 * 6 + 3) * 3 + 1]).toBe(Math.sin(1 + 0.8 + 0.9 + 1.4 + 3.9) + 0.5 * Math.cos(0.24 + 1.7 * 6 + 1));
  });
  it.each(cases.map((c) => [name(c), c] as const))('%s', (_name, c) => {
    // The pair (a, b) as two batches, and as one batch (x2 = x1: the symmetric path) for the self-kernels.
    const cross = kernel({ layers: c.layers }, a, b, { backend });
    const both = kernel({ layers: c.layers }, ab, null, { backend });
    expect(rel(cross.nngp[0]!, c.nngp_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(cross.ntk![0]!, c.ntk_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(cross.var1[0]!, c.nngp_aa)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.nngp[1]!, c.nngp_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.ntk![1]!, c.ntk_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.nngp[0]!, c.nngp_aa)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.ntk![0]!, c.ntk_aa)).toBeLessThanOrEqual(1e-9);
  });
});
