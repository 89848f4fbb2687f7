import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng, tensor } from '@wide/core';
import { type ArchitectureSpec, kernel, monteCarlo } from '../src/index.js';

// @wide/testing's assertions, read by path (it depends on this package; see schema.test.ts).
const { expectMonteCarloClose, relativeFrobenius } = (await import(fileURLToPath(new URL(['..', '..', 'testing', 'src', 'assertions.ts'].join('/'), import.meta.url)))) as {
  expectMonteCarloClose: (mc: ArrayLike<number>, analytic: ArrayLike<number>, tol: { width: number; samples: number; c?: number; label?: string }) => number;
  relativeFrobenius: (a: ArrayLike<number>, b: ArrayLike<number>) => number;
};

/**
 * Analytic CNN kernels against the mean empirical kernels of finite CNNs built from the same JSON
 * (every conv, and the dense readout, with `channels` channels). Tolerance: relative Frobenius
 * error ≤ C/√(channels·samples). Measured constants (error × √(channels·samples)) for these
 * networks were 0.4–3.6 over seeds and channel/sample splits (16×16, 64×8, 256×4), so 6 leaves
 * room for unlucky draws without hiding a bias (a wrong rule is caught below).
 */
const C = 6;
const SAMPLES = 6;

const architectures: [string, ArchitectureSpec][] = [
  ['conv SAME → relu → conv stride 2 VALID → erf → flatten', { layers: [
    { type: 'conv', filter: [3, 3], wStd: 1.5, bStd: 0.2 }, { type: 'relu' },
    { type: 'conv', filter: [3, 3], stride: [2, 2], padding: 'VALID', wStd: 1.3, bStd: 0.1 }, { type: 'erf' },
    { type: 'flatten' }, { type: 'dense', wStd: 1.2, bStd: 0.1 },
  ] }],
  ['conv VALID → erf → avgPool → conv stride 2 → relu → globalAvgPool', { layers: [
    { type: 'conv', filter: [3, 3], padding: 'VALID', wStd: 1.4, bStd: 0.1 }, { type: 'erf' },
    { type: 'avgPool', window: [2, 2], stride: [1, 1] },
    { type: 'conv', filter: [2, 2], stride: [2, 2], wStd: 1.5, bStd: 0.2 }, { type: 'relu' },
    { type: 'globalAvgPool' }, { type: 'dense', wStd: 1.1, bStd: 0.1 },
  ] }],
  ['1-D: conv CIRCULAR dilated → relu → conv stride 2 VALID → erf → globalAvgPool', { layers: [
    { type: 'conv', filter: [3], dilation: [2], padding: 'CIRCULAR', wStd: 1.5, bStd: 0.2 }, { type: 'relu' },
    { type: 'conv', filter: [2], stride: [2], padding: 'VALID', wStd: 1.2 }, { type: 'erf' },
    { type: 'globalAvgPool' }, { type: 'dense', wStd: 1.3, bStd: 0.1 },
  ] }],
];

/** Two images and one of larger norm: one batch covers same-batch and cross entries. */
const images = (spatial: number[]) => {
  const size = spatial.reduce((a, b) => a * b, 1) * 2;
  return tensor([...new Rng(1).normals(2 * size), ...new Rng(2).normals(size).map((v) => 1.5 * v)], [3, ...spatial, 2]);
};
const x2d = images([6, 6]);
const x1d = images([9]);
const inputFor = (arch: ArchitectureSpec) => ((arch.layers[0] as unknown as { filter: number[] }).filter.length === 1 ? x1d : x2d);

describe('analytic CNN kernels ≈ Monte-Carlo kernels of finite CNNs (error shrinks like 1/√channels)', () => {
  it.each(architectures)('%s', (name, arch) => {
    const x = inputFor(arch);
    const exact = kernel(arch, x);
    const errs: Record<number, { nngp: number; ntk: number }> = {};
    for (const width of [16, 256]) {
      const mc = monteCarlo(arch, x, null, { width, samples: SAMPLES, seed: 2026 });
      errs[width] = {
        nngp: expectMonteCarloClose(mc.nngp!, exact.nngp, { width, samples: SAMPLES, c: C, label: `${name} NNGP at ${width} channels` }),
        ntk: expectMonteCarloClose(mc.ntk!, exact.ntk!, { width, samples: SAMPLES, c: C, label: `${name} NTK at ${width} channels` }),
      };
    }
    expect(errs[256]!.nngp).toBeLessThan(errs[16]!.nngp);
    expect(errs[256]!.ntk).toBeLessThan(errs[16]!.ntk);
  });

  it('standard parameterisation: Θ′ = σ_w²/|F|·Σ_δ Θ + C·Σ_δ Σ + 1 matches finite CNNs of that width', () => {
    const layers = [
      { type: 'conv', channels: 128, filter: [3, 3], stride: [2, 1], wStd: 1.4, bStd: 0.2 }, { type: 'relu' },
      { type: 'conv', channels: 128, filter: [2, 2], padding: 'VALID', wStd: 1.2, bStd: 0.1 }, { type: 'erf' },
      { type: 'globalAvgPool' }, { type: 'dense', width: 128, wStd: 1, bStd: 0.1 },
    ] as ArchitectureSpec['layers'];
    const exact = kernel({ parameterization: 'standard', layers }, x2d);
    const mc = monteCarlo({ parameterization: 'standard', layers }, x2d, null, { samples: 16, seed: 7 });
    expectMonteCarloClose(mc.ntk!, exact.ntk!, { width: 128, samples: 16, c: C, label: 'standard NTK' });
    expectMonteCarloClose(mc.nngp!, exact.nngp, { width: 128, samples: 16, c: C, label: 'standard NNGP' });
    // The ntk-parameterised NTK is a different number (it does not grow with the channels): the check can tell them apart.
    expect(relativeFrobenius(mc.ntk!, kernel({ layers }, x2d).ntk!)).toBeGreaterThan(0.5);
  });

  it('trainable: false (fixed first conv and readout, as in CNTK-GAP): the NTK omits their terms, as the finite gradients do', () => {
    const layers = (fixed: boolean) =>
      [
        { type: 'conv', filter: [3, 3], wStd: 1.5, bStd: 0.2, trainable: !fixed }, { type: 'relu' },
        { type: 'conv', filter: [3, 3], wStd: 1.3, bStd: 0.1 }, { type: 'relu' },
        { type: 'globalAvgPool' }, { type: 'dense', wStd: 1.2, bStd: 0.1, trainable: !fixed },
      ] as ArchitectureSpec['layers'];
    const exact = kernel({ layers: layers(true) }, x2d);
    const mc = monteCarlo({ layers: layers(true) }, x2d, null, { width: 128, samples: SAMPLES, seed: 11 });
    const err = expectMonteCarloClose(mc.ntk!, exact.ntk!, { width: 128, samples: SAMPLES, c: C, label: 'fixed layers NTK' });
    const trained = kernel({ layers: layers(false) }, x2d);
    expect(Array.from(trained.nngp)).toEqual(Array.from(exact.nngp));
    // The trained network's NTK is far from these finite gradients (the test can tell the two apart).
    expect(relativeFrobenius(mc.ntk!, trained.ntk!)).toBeGreaterThan(5 * err);
    expect(relativeFrobenius(mc.ntk!, trained.ntk!)).toBeGreaterThan(C / Math.sqrt(128 * SAMPLES));
  });

  it('a wrong rule is caught: finite CNNs with SAME padding do not match the analytic kernel with CIRCULAR padding', () => {
    const arch = (padding: 'SAME' | 'CIRCULAR'): ArchitectureSpec => ({ layers: [{ type: 'conv', filter: [3, 3], padding, wStd: 1.5, bStd: 0.1 }, { type: 'relu' }, { type: 'conv', filter: [3, 3], padding, wStd: 1.3 }, { type: 'relu' }, { type: 'globalAvgPool' }, { type: 'dense' }] });
    // The two analytic kernels differ by 58 % (relative Frobenius), the tolerance here is 19 %.
    const mc = monteCarlo(arch('SAME'), x2d, null, { width: 64, samples: 16, seed: 3 });
    expectMonteCarloClose(mc.nngp!, kernel(arch('SAME'), x2d).nngp, { width: 64, samples: 16, c: C });
    expect(() => expectMonteCarloClose(mc.nngp!, kernel(arch('CIRCULAR'), x2d).nngp, { width: 64, samples: 16, c: C })).toThrow(/exceeds/);
  });
});
