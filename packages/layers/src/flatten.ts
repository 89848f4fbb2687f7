/**
 * flatten: (n, …spatial, C) → (n, P·C). Kernel rule (conventions §1, neural-tangents `Flatten`):
 * Σ′ = mean over positions p of Σ_pp (the spatial diagonal), Θ′ likewise; the 1/P pairs with
 * the next dense layer's 1/√(P·C) fan-in. With spatial axes the output is not Gaussian (units at
 * different positions follow different kernels); without them flatten is the identity.
 * Both layouts: on a kernel stored on the spatial diagonal the mean of each block of P; with all
 * position pairs the mean of the diagonal of each P×P block, for Σ, Θ and the per-sample variance
 * blocks alike. Either way the result has no spatial axes (stored on the diagonal, P = 1).
 * @module
 */
import { type Kernel, type Layer, type Tensor, positionsOf, singleKernel, singleShape, singleTensor } from '@wide/core';
import { checkLayout } from './window-kernel.js';

function diagonalMean(arr: Float64Array, pairs: number, P: number, diagonalSpatial: boolean): Float64Array {
  const out = new Float64Array(pairs);
  const stride = diagonalSpatial ? P : P * P;
  const step = diagonalSpatial ? 1 : P + 1;
  for (let r = 0; r < pairs; r++) {
    let s = 0;
    for (let p = 0; p < P; p++) s += arr[r * stride + p * step]!;
    out[r] = s / P;
  }
  return out;
}

/** The flatten layer. */
export function flatten(): Layer<null, readonly number[]> {
  return {
    type: 'flatten',
    chainStep: { kind: 'flatten' },
    kernel(kv) {
      const k: Kernel = singleKernel(kv, 'flatten');
      const P = positionsOf(k);
      if (k.spatial.length === 0) return k;
      checkLayout(k, 'flatten');
      const d = k.diagonalSpatial;
      const var1 = diagonalMean(k.var1, k.n1, P, d);
      return {
        ...k,
        spatial: [],
        diagonalSpatial: true,
        nngp: diagonalMean(k.nngp, k.n1 * k.n2, P, d),
        ntk: k.ntk ? diagonalMean(k.ntk, k.n1 * k.n2, P, d) : null,
        var1,
        var2: k.x1IsX2 ? var1 : diagonalMean(k.var2, k.n2, P, d),
        channels: k.channels * P,
        isGaussian: k.isGaussian && P === 1,
        owned: true,
      };
    },
    init(_rng, shape) {
      const s = singleShape(shape, 'flatten');
      return { params: null, outputShape: [s.reduce((a, b) => a * b, 1)] };
    },
    forward(_p, xv) {
      const x = singleTensor(xv, 'flatten');
      const n = x.shape[0]!;
      return { y: { data: x.data, shape: [n, x.data.length / Math.max(n, 1)] } as Tensor, cache: x.shape };
    },
    backward(_p, shape, gyv) {
      const gy = singleTensor(gyv, 'flatten');
      return { gx: { data: gy.data, shape }, grads: [] };
    },
  };
}
