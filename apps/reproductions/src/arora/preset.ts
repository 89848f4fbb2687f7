/**
 * The `arora` preset: architecture JSON (conventions §2) whose NTK is exactly the CNTK of
 * Arora et al. 2019, "On Exact Computation with an Infinitely Wide Neural Net", in the
 * convention of the authors' code (seed-001-cntk.md §1.4–1.6), and the fully-connected NTK of
 * the same depth (their eq. 13) for comparison.
 *
 * The paper's recursion (its §4, lines 258–324 of the text; |F| = q^r for a q×…×q filter, c_σ = 2):
 *   Σ⁰ = patchsum(Σ_c x_c ⊗ x′_c),  Θ⁰ = Σ⁰ (vanilla) or 0 (GAP: first layer fixed);
 *   for h = 1 … d−2:  Σʰ = (c_σ/|F|)·patchsum(K), Θʰ = (c_σ/|F|)·patchsum(K̇ ⊙ Θʰ⁻¹ + K),
 *   with K = E[relu(u)relu(v)], K̇ = E[step(u)step(v)], (u, v) ~ N(0, Λ(Σʰ⁻¹)) (eqs. 15–16);
 *   top (code / Appendix E, line 1161: no patch-sum after the last ReLU, c_σ/|F| folded into it):
 *     vanilla  Θ = (c_σ/|F|)·Σ_p (K̇ ⊙ Θ + K)_pp,   GAP  Θ = (c_σ/|F|)·mean_{p,p′} (K̇ ⊙ Θ)_pp′.
 *   The main text (lines 284–288) applies one more patch-sum at the top instead:
 *     vanilla  Θ = Σ_p [(c_σ/|F|)·patchsum(K̇ ⊙ Θ + K)]_pp,  GAP  Θ = mean [(c_σ/|F|)·patchsum(K̇ ⊙ Θ)].
 *
 * How each paper quantity maps onto our layers (conventions §1: Σ⁰ = ⟨x, x′⟩/C, conv
 * Σ′ = σ_w²/|F|·Σ_δ Σ + σ_b², Θ′ = σ_w²/|F|·Σ_δ Θ + Σ′, abRelu(0, b) multiplies K and K̇ by b²):
 *
 * | paper | ours |
 * |---|---|
 * | Σ⁰ = patchsum(Σ_c x_c x′_c), no 1/C, no 1/|F| | first `conv` with σ_w² = C·|F| (cancels our 1/C and 1/|F|), σ_b = 0 |
 * | Θ⁰ = Σ⁰ (vanilla) / 0 (GAP, first layer fixed) | first conv `trainable: true` / `false` |
 * | c_σ = 2 in Σʰ and Σ̇ʰ | `abRelu {a: 0, b: √2}` (b² = 2 on K and K̇) |
 * | (1/|F|)·patchsum, zero padding | `conv {filter: [q, q], padding: "SAME", wStd: 1, bStd: 0}` |
 * | depth d | d−1 convs and d−1 ReLUs, then the readout (Table 1: "conv layers + 1") |
 * | vanilla top (c_σ/|F|)·trace(K̇Θ + K) | `flatten` (mean over p) + `dense` with σ_w² = P/|F| (trained: adds its Σ) |
 * | GAP top (c_σ/|F|)·mean(K̇Θ), last layer fixed | `globalAvgPool` + `dense` with σ_w² = 1/|F|, `trainable: false` |
 * | main-text top patch-sum | one more `conv` (wStd 1; fixed for GAP), then trace / mean with a fixed readout (σ_w² = P / 1) |
 * | no biases | every σ_b = 0 |
 *
 * Every σ_w² above is a constant per layer, so for ReLU (1-homogeneous) it rescales the whole
 * kernel and leaves ridge-less predictions unchanged (seed-001 §1.6); the preset still matches
 * the authors' numbers exactly (golden/cnn-kernels.json `arora_cntk`).
 * @module
 */
import { InvalidArchitectureError } from '@wide/core';
import type { ArchitectureSpec, LayerSpec } from '@wide/layers';

/** CNTK-V (flatten/trace readout, every layer trained) or CNTK-GAP (global average pooling, first and last layers fixed). */
export type AroraVariant = 'vanilla' | 'gap';

/** Zero padding keeping the size (the paper) or circular padding (translation-equivariant; for the shift-invariance check). */
export type AroraPadding = 'SAME' | 'CIRCULAR';

/** Options of {@link aroraArchitecture}. */
export interface AroraPresetOptions {
  /** The paper's depth d ≥ 2 (≥ 3 for GAP): d−1 conv layers plus the readout, as in Table 1. */
  depth: number;
  /** `vanilla` (CNTK-V) or `gap` (CNTK-GAP). */
  variant: AroraVariant;
  /** Spatial shape of the images, e.g. [28, 28] (the trace readout needs P = H·W). */
  imageShape: readonly number[];
  /** Input channels C (1 for MNIST, 3 for CIFAR-10). */
  inputChannels: number;
  /** Filter side q, odd (default 3, the paper's). */
  filter?: number;
  /** Padding of every conv (default `SAME`, the paper's zero padding). */
  padding?: AroraPadding;
  /** Channels of the finite network (Monte-Carlo kernels only; the exact kernel does not depend on it). Default 128, as the paper's Table 2. */
  channels?: number;
  /** Main-text convention (one more patch-sum after the last ReLU) instead of the authors' code. Default false. */
  mainText?: boolean;
}

/** abRelu(0, √2) = √2·relu: K and K̇ times c_σ = 2 (Fact B.1 of the paper). */
export const aroraRelu: LayerSpec = { type: 'abRelu', a: 0, b: Math.SQRT2 };

function checkInteger(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new InvalidArchitectureError(name, `expected an integer ≥ ${min}, got ${v}`);
}

/** The number of positions P and the filter size |F| = q^r of a preset. */
export function presetSizes(o: Pick<AroraPresetOptions, 'imageShape' | 'filter'>): { positions: number; filterSize: number } {
  const q = o.filter ?? 3;
  return { positions: o.imageShape.reduce((a, b) => a * b, 1), filterSize: q ** o.imageShape.length };
}

/**
 * The architecture JSON whose NTK is the Arora et al. 2019 CNTK (authors'-code convention, or
 * the main text's with `mainText`); see the module comment for the mapping. Throws
 * InvalidArchitectureError naming the bad option.
 */
export function aroraArchitecture(o: AroraPresetOptions): ArchitectureSpec {
  const q = o.filter ?? 3;
  const channels = o.channels ?? 128;
  const padding = o.padding ?? 'SAME';
  const gap = o.variant === 'gap';
  if (o.variant !== 'vanilla' && o.variant !== 'gap') throw new InvalidArchitectureError('variant', `expected "vanilla" or "gap", got ${JSON.stringify(o.variant)}`);
  checkInteger('depth', o.depth, gap ? 3 : 2);
  checkInteger('inputChannels', o.inputChannels, 1);
  checkInteger('channels', channels, 1);
  if (!Number.isInteger(q) || q < 1 || q % 2 === 0) throw new InvalidArchitectureError('filter', `expected an odd integer ≥ 1, got ${q}`);
  const rank = o.imageShape.length;
  if (rank < 1 || rank > 3 || o.imageShape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new InvalidArchitectureError('imageShape', `expected 1 to 3 positive integers, got [${o.imageShape.join(', ')}]`);
  }
  const { positions: P, filterSize: F } = presetSizes(o);
  const filter = o.imageShape.map(() => q);
  const conv = (wStd: number, trainable = true): LayerSpec => ({ type: 'conv', channels, filter, padding, wStd, bStd: 0, trainable });

  // Σ⁰: σ_w² = C·|F| turns our ⟨x, x′⟩/C and 1/|F| into the paper's plain patch-sum; fixed for GAP (Θ⁰ = 0).
  const layers: LayerSpec[] = [conv(Math.sqrt(o.inputChannels * F), !gap)];
  // d−2 times ReLU → conv: Σʰ = (c_σ/|F|)·patchsum(K), Θʰ = (c_σ/|F|)·patchsum(K̇ ⊙ Θ + K).
  for (let h = 1; h <= o.depth - 2; h++) layers.push(aroraRelu, conv(1));
  layers.push(aroraRelu);
  layers.push(...aroraReadout({ variant: o.variant, positions: P, filterSize: F, mainText: o.mainText ?? false, conv }));
  return { parameterization: 'ntk', layers };
}

/**
 * The layers after the last ReLU (see the table in the module comment): the trace or mean
 * readout, with the code's c_σ/|F| folded into the readout's σ_w² or, in the main-text
 * convention, one more conv first.
 */
export function aroraReadout(o: { variant: AroraVariant; positions: number; filterSize: number; mainText: boolean; conv: (wStd: number, trainable?: boolean) => LayerSpec }): LayerSpec[] {
  const gap = o.variant === 'gap';
  if (o.mainText) {
    // (c_σ/|F|)·patchsum(K̇Θ + K) (vanilla, trained) or (c_σ/|F|)·patchsum(K̇Θ) (GAP, fixed), then Σ_p or mean with no factor.
    const top = o.conv(1, !gap);
    if (gap) return [top, { type: 'globalAvgPool' }, { type: 'dense', width: 1, wStd: 1, bStd: 0, trainable: false }];
    return [top, { type: 'flatten' }, { type: 'dense', width: 1, wStd: Math.sqrt(o.positions), bStd: 0, trainable: false }];
  }
  // Code convention: flatten is the mean over p, so σ_w² = P/|F| makes (1/|F|)·Σ_p, and the trained readout adds its Σ (the K term).
  if (!gap) return [{ type: 'flatten' }, { type: 'dense', width: 1, wStd: Math.sqrt(o.positions / o.filterSize), bStd: 0 }];
  // GAP: the mean over all (p, p′) pairs, times 1/|F|; the last layer is fixed, so no K term.
  return [{ type: 'globalAvgPool' }, { type: 'dense', width: 1, wStd: Math.sqrt(1 / o.filterSize), bStd: 0, trainable: false }];
}

/** Options of {@link fcArchitecture}. */
export interface FcPresetOptions {
  /** Depth d ≥ 2: d−1 hidden ReLU layers and the readout (eq. 13 with L = d−1). */
  depth: number;
  /** Input dimension d₀ (784 for 28×28 images). */
  inputDim: number;
  /** Hidden width of the finite network (the exact kernel does not depend on it). Default 512. */
  width?: number;
}

/**
 * The fully-connected ReLU NTK of the paper's eq. 13 with L = d−1 hidden layers, no biases,
 * c_σ = 2 and Σ⁰ = xᵀx′ (first dense σ_w² = d₀ cancels our 1/d₀): the comparison row of the
 * Table 1 analogue. Golden values: seed-001-cntk.md §5.1 (Σᴸ, Θᴸ on unit vectors in ℝ²).
 */
export function fcArchitecture(o: FcPresetOptions): ArchitectureSpec {
  checkInteger('depth', o.depth, 2);
  checkInteger('inputDim', o.inputDim, 1);
  const width = o.width ?? 512;
  checkInteger('width', width, 1);
  const layers: LayerSpec[] = [{ type: 'dense', width, wStd: Math.sqrt(o.inputDim), bStd: 0 }];
  for (let h = 1; h <= o.depth - 2; h++) layers.push(aroraRelu, { type: 'dense', width, wStd: 1, bStd: 0 });
  layers.push(aroraRelu, { type: 'dense', width: 1, wStd: 1, bStd: 0 });
  return { parameterization: 'ntk', layers };
}
