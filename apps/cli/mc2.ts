import { tensor, Rng } from '@wide/core';
import { kernel, monteCarlo } from '@wide/layers';
import { relativeFrobenius } from '/work/main/packages/testing/src/index.ts';
const a = { layers: [{ type: 'dense', wStd: 1.3, bStd: 0.1 }, { type: 'gelu' }, { type: 'residual', layers: [{ type: 'dense', wStd: 1, bStd: 0.2 }, { type: 'sin', a: 1, b: 0.8, c: 0.2 }, { type: 'dense', wStd: 0.8 }] }, { type: 'dense', wStd: 1.2, bStd: 0.2 }] };
const x = tensor(new Rng(11).normals(4 * 5), [4, 5]);
const k = kernel(a, x);
for (const [width, samples, seed] of [[1024, 16, 1], [1024, 16, 2], [4096, 4, 2], [4096, 4, 3], [256, 64, 1], [64, 256, 1]]) {
  const t0 = performance.now();
  const mc = monteCarlo(a, x, null, { width, samples, seed });
  console.log(width, samples, seed, ((performance.now() - t0)/1000).toFixed(2)+'s', 'nngp', relativeFrobenius(mc.nngp!, k.nngp).toExponential(2), 'ntk', relativeFrobenius(mc.ntk!, k.ntk!).toExponential(2), 'c=1:', (1/Math.sqrt(width*samples)).toExponential(2));
}
