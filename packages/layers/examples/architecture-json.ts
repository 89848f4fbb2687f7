// @wide/layers: the architecture JSON (conventions §2) → exact kernels on a batch of inputs.
import { tensor, toRows } from '@wide/core';
import { kernel, monteCarlo } from '@wide/layers';

const arch = {
  parameterization: 'ntk',
  layers: [
    { type: 'dense', width: 512, wStd: 1.5, bStd: 0.05 },
    { type: 'gelu' },
    { type: 'dense', width: 512, wStd: 1.5, bStd: 0.05 },
    { type: 'elementwise', fn: 'tanh', degree: 60 },
    { type: 'dense', width: 1, wStd: 1.5, bStd: 0.05 },
  ],
};
const x1 = tensor([1, 0, 0.5, 0.5, -1, 2], [3, 2]);
const x2 = tensor([0, 1], [1, 2]);

const k = kernel(arch, x1, x2); // 3×1 kernels
console.log('Σ(x1, x2) =', toRows(k, 'nngp').flat().map((v) => v.toFixed(6)));
console.log('Θ(x1, x2) =', toRows(k, 'ntk').flat().map((v) => v.toFixed(6)));

const mc = monteCarlo(arch, x1, x2, { width: 1024, samples: 4, seed: 7 });
console.log('Monte-Carlo Θ at width 1024:', Array.from(mc.ntk!, (v) => v.toFixed(4)));
