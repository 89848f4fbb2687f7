/**
 * A network in the architecture JSON (conventions §2) as the random-matrix formulas see it: a stack
 * of bias-free dense layers, each followed by an elementwise activation, optionally closed by a
 * dense read-out. `serial` and `repeat` are unrolled; anything else is an error naming its path.
 *
 * A dense layer's `wStd` = s scales its pre-activation, z = s·Wh/√n (ntk parameterisation), so it
 * is folded into the activation that follows: σ̃(x) = σ(s·x). With this the network is
 * X_ℓ = σ̃_ℓ(W_ℓX_{ℓ−1})/√d_ℓ with N(0, 1) weights, the model of Fan & Wang (2020, eq. 1) and of
 * Gu et al. (2022, eq. 3). The read-out's `wStd` = s_out multiplies every gradient, so the NTK of
 * the JSON network is s_out² times Fan & Wang's (Theorem 3.8 with every τ_ℓ = s_out²).
 * @module
 */
import { InvalidArchitectureError } from '@wide/core';
import { buildLayer, validateArchitecture } from '@wide/layers';
import { type ScalarActivation, activationFromLayer, scaledInput } from './activation.js';

/** A stack of dense layers and activations (module comment). */
export interface DenseNetwork {
  /** d_1 … d_L, the hidden widths. */
  readonly widths: number[];
  /** σ̃_1 … σ̃_L, with each dense layer's wStd folded in. */
  readonly activations: ScalarActivation[];
  /** The read-out dense layer, when the JSON ends with one. */
  readonly readout: { readonly outputs: number; readonly wStd: number } | null;
  /** The JSON's parameterisation (`ntk` or `standard`; the CK does not depend on it, the NTK limits assume `ntk`). */
  readonly parameterization: string;
}

type Spec = { type: string; [k: string]: unknown };

function unroll(specs: readonly Spec[], path: string, out: { spec: Spec; path: string }[]): void {
  specs.forEach((s, i) => {
    const p = `${path}[${i}]`;
    if (s.type === 'serial') unroll(s['layers'] as Spec[], `${p}.layers`, out);
    else if (s.type === 'repeat') for (let r = 0; r < (s['n'] as number); r++) unroll(s['layers'] as Spec[], `${p}.layers`, out);
    else out.push({ spec: s, path: p });
  });
}

/** The dense stack of an architecture JSON value (parsed), or an {@link InvalidArchitectureError} naming the offending path. */
export function networkFromArchitecture(json: unknown): DenseNetwork {
  const arch = validateArchitecture(json) as unknown as { parameterization: string; layers: Spec[] };
  const flat: { spec: Spec; path: string }[] = [];
  unroll(arch.layers, 'layers', flat);
  const widths: number[] = [];
  const acts: ScalarActivation[] = [];
  let readout: { outputs: number; wStd: number } | null = null;
  let pendingScale: number | null = null;
  flat.forEach(({ spec, path }) => {
    if (spec.type === 'dense') {
      if ((spec['bStd'] as number) !== 0) throw new InvalidArchitectureError(`${path}.bStd`, `the random-matrix limits need bias-free dense layers (bStd = 0), got ${String(spec['bStd'])}`);
      if (pendingScale !== null) {
        throw new InvalidArchitectureError(`${path}`, 'two dense layers in a row: each hidden dense layer must be followed by an activation (only the last dense layer may be a read-out)');
      }
      pendingScale = spec['wStd'] as number;
      widths.push(spec['width'] as number);
      return;
    }
    if (pendingScale === null) {
      throw new InvalidArchitectureError(`${path}`, `expected a dense layer before ${spec.type}: the random-matrix limits take a stack of dense layers each followed by one activation`);
    }
    const layer = buildLayer(spec, path, arch.parameterization as 'ntk' | 'standard') as unknown as Parameters<typeof activationFromLayer>[0];
    if (typeof layer.fn !== 'function' || !layer.rule) {
      throw new InvalidArchitectureError(`${path}.type`, `${spec.type} is not an elementwise activation; the random-matrix limits take a stack of dense layers and activations`);
    }
    acts.push(scaledInput(activationFromLayer(layer, path), pendingScale));
    pendingScale = null;
  });
  if (pendingScale !== null) {
    // The stack ends with a dense layer: it is the read-out.
    const w = widths.pop()!;
    readout = { outputs: w, wStd: pendingScale };
  }
  if (widths.length === 0) throw new InvalidArchitectureError('layers', 'expected at least one dense layer followed by an activation');
  return { widths, activations: acts, readout, parameterization: arch.parameterization };
}
