import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Kernel, type Tensor, NonFiniteKernelError, jsBackend, tensor, wasmBackend } from '@wide/core';
import { type LayerSpec, kernel } from '@wide/layers';
import { arbArchitecture, arbInputPair, safeActivations } from '../src/index.js';

const D = 4;

/** x1 with a duplicate of its first sample, the negation of its second and a zero sample appended (ρ = ±1, q = 0). */
function withEdges(x: Tensor): Tensor {
  const n = x.shape[0]!;
  const data = new Float64Array((n + 3) * D);
  data.set(x.data);
  data.set(x.data.subarray(0, D), n * D);
  for (let t = 0; t < D; t++) data[(n + 1) * D + t] = -x.data[D + t]!;
  return tensor(data, [n + 3, D]);
}

/**
 * max |a − b| / √(|Kᵢᵢ|·|Kⱼⱼ|) over entries (i, j), with the diagonals of the JS kernels of each
 * batch: the error relative to the kernel's scale at that pair (an entry itself may be ~0 by
 * cancellation); entries whose scale is 0 must match exactly.
 */
function scaledError(a: Float64Array, b: Float64Array, d1: Float64Array, d2: Float64Array): number {
  const n2 = d2.length;
  let worst = 0;
  for (let e = 0; e < a.length; e++) {
    const scale = Math.sqrt(Math.abs(d1[Math.floor(e / n2)]!) * Math.abs(d2[e % n2]!));
    const err = Math.abs(a[e]! - b[e]!);
    worst = Math.max(worst, scale > 0 ? err / scale : err === 0 ? 0 : Infinity);
  }
  return worst;
}

const diag = (m: Float64Array, n: number) => Float64Array.from({ length: n }, (_, i) => m[i * n + i]!);

/** Architectures of arbArchitecture, some with a zero-weight dense layer first (zero variances throughout). */
const arbArch = fc.tuple(arbArchitecture(), fc.boolean()).map(([a, zero]) => (zero ? { ...a, layers: [{ type: 'dense', wStd: 0, bStd: 0.3 }, ...a.layers] } : a));

let runs = 0;
const outcomes = { finite: 0, error: 0 };

describe('WebAssembly and JS kernels agree (fast-check, 120 runs)', () => {
  it('to 1e-13 of the kernel scale, symmetric and two-batch, with ρ = ±1 and zero variances', () => {
    fc.assert(
      fc.property(arbArch, arbInputPair(4, 3, D), (arch, [x1, x2]) => {
        const xa = withEdges(x1);
        const n1 = xa.shape[0]!;
        const js = kernel(arch, xa, null, { backend: jsBackend });
        const wasm = kernel(arch, xa, null, { backend: wasmBackend });
        const js2 = kernel(arch, x2, null, { backend: jsBackend });
        const dN = diag(js.nngp, n1);
        const dT = diag(js.ntk!, n1);
        expect(scaledError(wasm.nngp, js.nngp, dN, dN)).toBeLessThanOrEqual(1e-13);
        expect(scaledError(wasm.ntk!, js.ntk!, dT, dT)).toBeLessThanOrEqual(1e-13);
        const cj = kernel(arch, xa, x2, { backend: jsBackend });
        const cw = kernel(arch, xa, x2, { backend: wasmBackend });
        expect(scaledError(cw.nngp, cj.nngp, dN, diag(js2.nngp, 3))).toBeLessThanOrEqual(1e-13);
        expect(scaledError(cw.ntk!, cj.ntk!, dT, diag(js2.ntk!, 3))).toBeLessThanOrEqual(1e-13);
        wasm.var1.forEach((v, i) => expect(Math.abs(v - js.var1[i]!)).toBeLessThanOrEqual(1e-13 * Math.abs(js.var1[i]!)));
        runs++;
      }),
      { numRuns: 120, seed: 77 },
    );
    expect(runs).toBe(120);
  });
});

/** Extreme but valid layers: huge weights, erf a up to 1e308, exp b up to 800. */
const logUniform = (lo: number, hi: number) => fc.double({ min: Math.log10(lo), max: Math.log10(hi), noNaN: true }).map((e) => 10 ** e);
const arbExtremeLayer: fc.Arbitrary<LayerSpec[]> = fc.oneof(
  fc.tuple(logUniform(1e-3, 1e200), logUniform(1e-3, 1e200)).map(([wStd, bStd]): LayerSpec[] => [{ type: 'dense', wStd, bStd }, { type: 'relu' }]),
  fc.tuple(logUniform(1e-3, 1e308), logUniform(1e-3, 1e3)).map(([a, b]): LayerSpec[] => [{ type: 'dense' }, { type: 'erf', a, b }]),
  fc.double({ min: -800, max: 800, noNaN: true }).map((b): LayerSpec[] => [{ type: 'dense' }, { type: 'exp', b }]),
  fc.constantFrom(...safeActivations.filter((s) => s.type !== 'gaussian')).map((s): LayerSpec[] => [{ type: 'dense', wStd: 1e30 }, s]),
);

describe('non-finite kernels never pass silently (fast-check, 100 runs, both kernel sets)', () => {
  it('extreme parameters and inputs give a finite kernel or NonFiniteKernelError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(arbExtremeLayer, { minLength: 1, maxLength: 3 }), fc.integer({ min: -150, max: 160 }), arbInputPair(3, 2, D), fc.boolean(), (blocks, scaleExp, [x1, x2], two) => {
        const scale = 10 ** scaleExp;
        const xs = tensor(x1.data.map((v) => v * scale), x1.shape);
        const layers = [...blocks.flat(), { type: 'dense' }];
        for (const backend of [jsBackend, wasmBackend]) {
          let k: Kernel | null = null;
          try {
            k = kernel({ layers }, xs, two ? x2 : null, { backend });
          } catch (e) {
            expect(e).toBeInstanceOf(NonFiniteKernelError);
            expect((e as NonFiniteKernelError).message).toMatch(/^(layers\[\d+\] \(.+\)|the input kernel .*): the (NNGP|NTK) (overflows to Infinity|turns NaN)$/);
            outcomes.error++;
            continue;
          }
          for (const a of [k.nngp, k.ntk!, k.var1, k.var2]) expect(a.every(Number.isFinite)).toBe(true);
          outcomes.finite++;
        }
      }),
      { numRuns: 100, seed: 78 },
    );
    // Both outcomes occur (the property is not vacuous).
    expect(outcomes.finite).toBeGreaterThan(20);
    expect(outcomes.error).toBeGreaterThan(20);
  });
});
