import { describe, expect, it } from 'vitest';
import { InvalidArchitectureError, tensor } from '@wide/core';
import { kernel, monteCarlo, validateArchitecture } from '@wide/layers';
import { expectMonteCarloClose, relativeFrobenius } from '@wide/testing';
import { aroraArchitecture, fcArchitecture } from '../src/index.js';
import { aroraGolden, goldenImage, imageA, imageB, pairAB, rel, rollImage } from './golden-images.js';

const tiny = { imageShape: [6, 6], inputChannels: 3 } as const;
const depths = ['3', '4', '6'] as const;

/** NTK of the preset on the batch (a, b): [aa, ab, bb]. */
function ntkTriple(spec: ReturnType<typeof aroraArchitecture>): [number, number, number] {
  const k = kernel(spec, pairAB);
  return [k.ntk![0]!, k.ntk![1]!, k.ntk![3]!];
}

describe('arora preset: golden/cnn-kernels.json arora_cntk (authors\' code convention)', () => {
  it('the golden images are the file\'s: ‖a‖², ‖b‖², ⟨a, b⟩ (x_dot)', () => {
    const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i]!, 0);
    expect(rel(dot(imageA, imageA), aroraGolden.x_dot.aa)).toBeLessThan(1e-8);
    expect(rel(dot(imageB, imageB), aroraGolden.x_dot.bb)).toBeLessThan(1e-8);
    expect(rel(dot(imageA, imageB), aroraGolden.x_dot.ab)).toBeLessThan(1e-8);
  });

  it.each(depths.flatMap((d) => (['vanilla', 'gap'] as const).map((v) => [v, d] as const)))('CNTK-%s depth %s: K(a,b), K(a,a), K(b,b) to ≤ 1e-8', (variant, d) => {
    const want = aroraGolden[variant][d]!;
    const [aa, ab, bb] = ntkTriple(aroraArchitecture({ ...tiny, depth: Number(d), variant }));
    expect(rel(ab, want.ab)).toBeLessThanOrEqual(1e-8);
    expect(rel(aa, want.aa)).toBeLessThanOrEqual(1e-8);
    expect(rel(bb, want.bb)).toBeLessThanOrEqual(1e-8);
    // Two batches (the cross path, x2 ≠ x1) give the same K(a, b).
    const cross = kernel(aroraArchitecture({ ...tiny, depth: Number(d), variant }), tensor(imageA, [1, 6, 6, 3]), tensor(imageB, [1, 6, 6, 3]));
    expect(rel(cross.ntk![0]!, want.ab)).toBeLessThanOrEqual(1e-8);
  });

  it.each(depths.flatMap((d) => (['vanilla', 'gap'] as const).map((v) => [v, d] as const)))('main-text convention, CNTK-%s depth %s', (variant, d) => {
    const want = aroraGolden[variant === 'vanilla' ? 'main_text_convention_vanilla' : 'main_text_convention_gap'][d]!;
    const [, ab] = ntkTriple(aroraArchitecture({ ...tiny, depth: Number(d), variant, mainText: true }));
    expect(rel(ab, want)).toBeLessThanOrEqual(1e-8);
  });
});

describe('arora preset: identities of seed-001 §5.1', () => {
  it('q = 1: CNTK-V of depth 4 is the sum over pixels of the FC NTK with L = 3 (179.5620591255)', () => {
    const k = kernel(aroraArchitecture({ ...tiny, depth: 4, variant: 'vanilla', filter: 1 }), tensor(imageA, [1, 6, 6, 3]), tensor(imageB, [1, 6, 6, 3]));
    expect(rel(k.ntk![0]!, 179.5620591255)).toBeLessThan(1e-10);
    // Second method: the 36 pixels of a and of b as 3-vectors through the FC preset, Σ_p NTK_FC(a_p, b_p).
    const fc = kernel(fcArchitecture({ depth: 4, inputDim: 3 }), tensor(imageA, [36, 3]), tensor(imageB, [36, 3]));
    let trace = 0;
    for (let p = 0; p < 36; p++) trace += fc.ntk![p * 36 + p]!;
    expect(rel(k.ntk![0]!, trace)).toBeLessThan(1e-12);
  });

  it('circular padding: CNTK-GAP depth 4 is 1.06919618076 and invariant under circular shifts; zero padding is not', () => {
    const circular = aroraArchitecture({ ...tiny, depth: 4, variant: 'gap', padding: 'CIRCULAR' });
    const a = tensor(imageA, [1, 6, 6, 3]);
    const k0 = kernel(circular, a, tensor(imageB, [1, 6, 6, 3])).ntk![0]!;
    expect(rel(k0, 1.06919618076)).toBeLessThan(1e-10);
    for (const [di, dj] of [[2, -1], [1, 0], [5, 3]] as const) {
      const shifted = tensor(rollImage(imageB, di, dj), [1, 6, 6, 3]);
      expect(rel(kernel(circular, a, shifted).ntk![0]!, k0)).toBeLessThan(1e-12);
    }
    const zero = aroraArchitecture({ ...tiny, depth: 4, variant: 'gap' });
    const shifted = kernel(zero, a, tensor(rollImage(imageB, 2, -1), [1, 6, 6, 3])).ntk![0]!;
    expect(rel(shifted, 0.4041080419)).toBeLessThan(1e-8);
    expect(rel(shifted, aroraGolden.gap['4']!.ab)).toBeGreaterThan(0.05);
  });

  it('homogeneity: K(2a, b) = 2·K(a, b) (ReLU without biases)', () => {
    const spec = aroraArchitecture({ ...tiny, depth: 3, variant: 'vanilla' });
    const k1 = kernel(spec, tensor(imageA, [1, 6, 6, 3]), tensor(imageB, [1, 6, 6, 3])).ntk![0]!;
    const k2 = kernel(spec, tensor(imageA.map((v) => 2 * v), [1, 6, 6, 3]), tensor(imageB, [1, 6, 6, 3])).ntk![0]!;
    expect(rel(k2, 2 * k1)).toBeLessThan(1e-12);
  });
});

describe('FC preset: eq. 13 golden table (seed-001 §5.1, unit vectors in ℝ²)', () => {
  // (Σᴸ, Θᴸ) for orthogonal x = (1, 0), x′ = (0, 1) and 60°: x′ = (½, √3/2).
  const table: [L: number, orth: [number, number], sixty: [number, number]][] = [
    [1, [0.3183098862, 0.3183098862], [0.608997781, 0.9423311144]],
    [2, [0.4937310902, 0.6857086363], [0.6839056509, 1.3514795611]],
    [3, [0.6048257201, 1.0603881068], [0.7381281923, 1.7378446792]],
    [5, [0.7359463506, 1.7921959668], [0.810454201, 2.4628931325]],
  ];
  it.each(table)('L = %i hidden layers (depth L + 1)', (L, orth, sixty) => {
    const spec = fcArchitecture({ depth: L + 1, inputDim: 2 });
    const x = tensor([1, 0], [1, 2]);
    for (const [y, [sigma, theta]] of [[[0, 1], orth], [[0.5, Math.sqrt(3) / 2], sixty]] as const) {
      const k = kernel(spec, x, tensor([...y], [1, 2]));
      expect(rel(k.nngp[0]!, sigma)).toBeLessThan(1e-9);
      expect(rel(k.ntk![0]!, theta)).toBeLessThan(1e-9);
    }
    // Σᴸ(x, x) = ‖x‖² and Θᴸ(x, x) = (L + 1)‖x‖².
    const self = kernel(spec, tensor([3, 4], [1, 2]));
    expect(rel(self.nngp[0]!, 25)).toBeLessThan(1e-12);
    expect(rel(self.ntk![0]!, 25 * (L + 1))).toBeLessThan(1e-12);
  });
});

describe('arora preset: the JSON', () => {
  it('validates, and has d − 1 convs and d − 1 ReLUs before the readout (Table 1\'s depth)', () => {
    for (const variant of ['vanilla', 'gap'] as const) {
      for (const depth of [3, 4, 6, 11, 21]) {
        for (const mainText of [false, true]) {
          const spec = aroraArchitecture({ imageShape: [28, 28], inputChannels: 1, depth, variant, mainText });
          const valid = validateArchitecture(spec);
          const types = valid.layers.map((l) => l.type);
          expect(types.filter((t) => t === 'conv').length).toBe(depth - 1 + (mainText ? 1 : 0));
          expect(types.filter((t) => t === 'abRelu').length).toBe(depth - 1);
          expect(types.at(-2)).toBe(variant === 'gap' ? 'globalAvgPool' : 'flatten');
        }
      }
    }
  });

  it('carries the mapping: σ_w² = C·|F| on the first conv, abRelu(0, √2), readout σ_w² = P/|F| or 1/|F|, fixed layers of GAP', () => {
    const v = aroraArchitecture({ imageShape: [28, 28], inputChannels: 3, depth: 3, variant: 'vanilla' });
    expect(v.layers[0]).toMatchObject({ type: 'conv', filter: [3, 3], padding: 'SAME', bStd: 0, trainable: true });
    expect((v.layers[0] as { wStd: number }).wStd ** 2).toBeCloseTo(27, 12);
    expect(v.layers[1]).toEqual({ type: 'abRelu', a: 0, b: Math.SQRT2 });
    expect((v.layers.at(-1) as { wStd: number }).wStd ** 2).toBeCloseTo(784 / 9, 10);
    const g = aroraArchitecture({ imageShape: [28, 28], inputChannels: 3, depth: 3, variant: 'gap' });
    expect(g.layers[0]).toMatchObject({ type: 'conv', trainable: false });
    expect(g.layers[2]).toMatchObject({ type: 'conv', wStd: 1, trainable: true });
    expect(g.layers.at(-1)).toMatchObject({ type: 'dense', trainable: false });
    expect((g.layers.at(-1) as { wStd: number }).wStd ** 2).toBeCloseTo(1 / 9, 14);
  });

  it('rejects bad options with InvalidArchitectureError naming the option', () => {
    const bad = (o: Partial<Parameters<typeof aroraArchitecture>[0]>, path: string) => {
      try {
        aroraArchitecture({ ...tiny, depth: 3, variant: 'vanilla', ...o });
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArchitectureError);
        expect((e as InvalidArchitectureError).path).toBe(path);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad({ depth: 2, variant: 'gap' }, 'depth')).toBe('depth: expected an integer ≥ 3, got 2');
    expect(bad({ depth: 1 }, 'depth')).toBe('depth: expected an integer ≥ 2, got 1');
    expect(bad({ filter: 4 }, 'filter')).toBe('filter: expected an odd integer ≥ 1, got 4');
    expect(bad({ imageShape: [6, 0] }, 'imageShape')).toMatch(/^imageShape: expected 1 to 3 positive integers/);
    expect(bad({ variant: 'max' as 'gap' }, 'variant')).toMatch(/^variant: expected "vanilla" or "gap"/);
    expect(() => fcArchitecture({ depth: 1, inputDim: 2 })).toThrow('depth: expected an integer ≥ 2, got 1');
  });
});

describe('arora preset: the finite network', () => {
  // Four images (phases 0, 0.8, 1.6, 2.4) so that the kernel has 16 entries.
  const four = tensor([0, 0.8, 1.6, 2.4].flatMap(goldenImage), [4, 6, 6, 3]);

  it.each(['vanilla', 'gap'] as const)('Monte-Carlo NTK of finite CNNs (CNTK-%s, depth 3, 32 channels) within c/√(channels·samples) of the exact kernel', (variant) => {
    const spec = aroraArchitecture({ ...tiny, depth: 3, variant });
    const exact = kernel(spec, four).ntk!;
    const mc = monteCarlo(spec, four, null, { width: 32, samples: 8, seed: 7, get: ['ntk'] });
    expectMonteCarloClose(mc.ntk!, exact, { width: 32, samples: 8, label: `CNTK-${variant}` });
  });

  it('the Monte-Carlo error of CNTK-V falls with the channel count (8 → 128 channels)', () => {
    const spec = aroraArchitecture({ ...tiny, depth: 3, variant: 'vanilla' });
    const exact = kernel(spec, four).ntk!;
    const err = (channels: number) => relativeFrobenius(monteCarlo(spec, four, null, { width: channels, samples: 8, seed: 7, get: ['ntk'] }).ntk!, exact);
    const [e8, e128] = [err(8), err(128)];
    // Expected ratio √16 = 4; ask for 2.
    expect(e128).toBeLessThan(e8 / 2);
  });
});
