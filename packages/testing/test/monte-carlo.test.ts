import { describe, expect, it } from 'vitest';
import { Rng, tensor } from '@wide/core';
import { type ArchitectureSpec, kernel, monteCarlo } from '@wide/layers';
import { expectMonteCarloClose, relativeFrobenius } from '../src/index.js';

/**
 * Analytic kernels against the mean empirical kernels of finite networks built from the same
 * spec. Tolerance: relative Frobenius error ≤ 6/√(width·samples). Measured constants (error ×
 * √(width·samples)) for these networks were 1–4 over several seeds and width/sample splits
 * (64×256, 256×64, 1024×16, 4096×4), so 6 leaves room for unlucky draws without hiding a bias:
 * a 10 % error in a layer rule gives constants of 25 and more at width 4096.
 */
const C = 6;
// Heavy-tailed networks (e.g. rectifiedMonomial(2) after a ReLU) have constants near 10: their
// rules are checked against quadrature instead, where the oracle is not noisy.
const SAMPLES = 4;

const architectures: [string, ArchitectureSpec][] = [
  ['relu → erf, biases', { layers: [{ type: 'dense', wStd: 1.5, bStd: 0.2 }, { type: 'relu' }, { type: 'dense', wStd: 1.2, bStd: 0.1 }, { type: 'erf' }, { type: 'dense', wStd: 1.1, bStd: 0.3 }] }],
  ['gelu → residual(sin), biases', { layers: [{ type: 'dense', wStd: 1.3, bStd: 0.1 }, { type: 'gelu' }, { type: 'residual', layers: [{ type: 'dense', wStd: 1, bStd: 0.2 }, { type: 'sin', a: 1, b: 0.8, c: 0.2 }, { type: 'dense', wStd: 0.8 }] }, { type: 'dense', wStd: 1.2, bStd: 0.2 }] }],
  ['leakyRelu → sigmoidLike → abs, biases', { layers: [{ type: 'dense', wStd: 1.4, bStd: 0.3 }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'dense', wStd: 1.1, bStd: 0.1 }, { type: 'sigmoidLike' }, { type: 'dense', wStd: 1.9, bStd: 0.2 }, { type: 'abs' }, { type: 'dense', wStd: 1, bStd: 0.1 }] }],
  ['parallel(tanh, polynomial) → concat → gaussian, biases', { layers: [
    { type: 'dense', wStd: 1.2, bStd: 0.2 },
    { type: 'fanOut', n: 2 },
    { type: 'parallel', branches: [[{ type: 'elementwise', fn: 'tanh', degree: 40 }], [{ type: 'polynomial', coef: [0.1, 1, 0.3] }]] },
    { type: 'fanInConcat' },
    { type: 'dense', wStd: 1.3, bStd: 0.1 },
    { type: 'gaussian', a: 1, b: -0.4 },
    { type: 'dense', wStd: 1.5, bStd: 0.2 },
  ] }],
];

const x1 = tensor(new Rng(11).normals(3 * 5), [3, 5]);
/** x1 and three more inputs of larger norm: one batch covers same-batch and cross entries. */
const batch = tensor([...x1.data, ...new Rng(12).normals(3 * 5).map((v) => 1.5 * v)], [6, 5]);

describe('analytic kernels ≈ Monte-Carlo kernels of finite networks (error shrinks like 1/√width)', () => {
  it.each(architectures)('%s', (name, arch) => {
    const exact = kernel(arch, batch);
    const errs: Record<number, { nngp: number; ntk: number }> = {};
    for (const width of [256, 4096]) {
      const mc = monteCarlo(arch, batch, null, { width, samples: SAMPLES, seed: 2026 });
      errs[width] = {
        nngp: expectMonteCarloClose(mc.nngp!, exact.nngp, { width, samples: SAMPLES, c: C, label: `${name} NNGP at width ${width}` }),
        ntk: expectMonteCarloClose(mc.ntk!, exact.ntk!, { width, samples: SAMPLES, c: C, label: `${name} NTK at width ${width}` }),
      };
    }
    expect(errs[4096]!.nngp).toBeLessThan(errs[256]!.nngp);
    expect(errs[4096]!.ntk).toBeLessThan(errs[256]!.ntk);
  });

  it('standard parameterisation: the width-dependent NTK matches finite networks of that width', () => {
    const arch: ArchitectureSpec = { parameterization: 'standard', layers: [{ type: 'dense', width: 512, wStd: 1.4, bStd: 0.2 }, { type: 'relu' }, { type: 'dense', width: 512, wStd: 1.2, bStd: 0.1 }, { type: 'erf' }, { type: 'dense', width: 1, wStd: 1, bStd: 0.1 }] };
    const exact = kernel(arch, x1);
    const mc = monteCarlo(arch, x1, null, { samples: 32, seed: 7 });
    expect(relativeFrobenius(mc.ntk!, exact.ntk!)).toBeLessThan(C / Math.sqrt(512 * 32));
    // The ntk-parameterised kernel is different (it does not grow with width): the test can tell them apart.
    const ntkParam = kernel({ ...arch, parameterization: 'ntk' }, x1);
    expect(relativeFrobenius(mc.ntk!, ntkParam.ntk!)).toBeGreaterThan(0.5);
  });

  it('a wrong rule is caught: the MC kernel of relu does not match the analytic kernel of gelu', () => {
    const relu: ArchitectureSpec = { layers: [{ type: 'dense', wStd: 1.3 }, { type: 'relu' }, { type: 'dense' }] };
    const mc = monteCarlo(relu, x1, null, { width: 1024, samples: 4, seed: 1 });
    const wrong = kernel({ layers: [{ type: 'dense', wStd: 1.3 }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'dense' }] }, x1);
    expect(() => expectMonteCarloClose(mc.nngp!, wrong.nngp, { width: 1024, samples: 4, c: C })).toThrow(/exceeds/);
  });
});
