/**
 * The benchmark networks (Arora et al. 2019, Table 1's CNN-V and CNN-GAP; numpy_cntk.py computes
 * the same): depth D means D − 1 layers of conv 3×3 SAME (σ_w = √2, σ_b = 0, c_σ = 2 folded into
 * the weights) + relu, then flatten (V) or globalAvgPool (GAP), then a dense readout (σ_w = 1).
 */
import type { Layer } from '@wide/core';
import { fromArchitecture } from '@wide/layers';

/** σ_w and σ_b of the convolutions; numpy_cntk.py gets σ_w² = W·W as computed here (2 + 4e-16). */
export const W = Math.SQRT2;
export const B = 0;

export type NetKind = 'v' | 'gap';

/** The architecture JSON of CNN-V or CNN-GAP of depth D (D − 1 conv + relu layers). */
export function architecture(kind: NetKind, depth: number) {
  const conv = { type: 'conv', channels: 16, filter: [3, 3], padding: 'SAME', wStd: W, bStd: B };
  return {
    layers: [
      ...Array.from({ length: depth - 1 }, () => [conv, { type: 'relu' }]).flat(),
      { type: kind === 'v' ? 'flatten' : 'globalAvgPool' },
      { type: 'dense', width: 1, wStd: 1, bStd: 0 },
    ],
  };
}

/** The network of {@link architecture}; `declared` says whether its convs declare their fused-chain step (they do: the whole network is one fused call). */
export function network(kind: NetKind, depth: number): { net: Layer<any, any>; declared: boolean } {
  const arch = architecture(kind, depth);
  const built = fromArchitecture(arch);
  const layers = built.sublayers ?? [built];
  const declared = layers.some((l) => l.type === 'conv' && l.chainStep !== undefined);
  return { net: built, declared };
}
