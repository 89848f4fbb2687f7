// @wide/testing: property-based checks of your own kernels with Wide's arbitraries.
import fc from 'fast-check';
import { eigvalsh } from '@wide/core';
import { kernel, monteCarlo } from '@wide/layers';
import { arbArchitecture, arbInputs, expectMonteCarloClose } from '@wide/testing';

// Every architecture from the grammar gives a positive semi-definite train–train NTK.
fc.assert(
  fc.property(arbArchitecture(), arbInputs(5, 3), (arch, x) => {
    const k = kernel(arch, x);
    const ev = eigvalsh(k.ntk!, 5);
    return ev[0]! >= -1e-9 * Math.abs(ev[4]!);
  }),
  { numRuns: 25, seed: 1 },
);
console.log('PSD property held for 25 random architectures');

// "analytic ≈ Monte-Carlo" within c/√(width·samples).
const arch = { layers: [{ type: 'dense', wStd: 1.4, bStd: 0.1 }, { type: 'relu' }, { type: 'dense', wStd: 1.4 }] };
const x = fc.sample(arbInputs(4, 3), { numRuns: 1, seed: 3 })[0]!;
const mc = monteCarlo(arch, x, null, { width: 256, samples: 8, seed: 2 });
const err = expectMonteCarloClose(mc.ntk!, kernel(arch, x).ntk!, { width: 256, samples: 8 });
console.log(`Monte-Carlo NTK relative error ${err.toExponential(2)} (bound 4/√(256·8) = ${(4 / Math.sqrt(2048)).toExponential(2)})`);
