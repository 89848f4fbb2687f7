/**
 * Convenience entry points that take an architecture (JSON value or layer) and data.
 * @module
 */
import { type ComputeKernelOptions, type Kernel, type Layer, type MonteCarloKernels, type MonteCarloOptions, type Tensor, computeKernel, monteCarloKernel } from '@wide/core';
import { type ArchitectureSpec, fromArchitecture } from './architecture.js';

/** A network given as a layer or as architecture JSON (parsed; validated at run time by {@link fromArchitecture}). */
export type Network = Layer<any, any> | ArchitectureSpec | { readonly layers: readonly unknown[]; readonly parameterization?: string; readonly name?: string; readonly description?: string };

function toLayer(net: Network): Layer<any, any> {
  return 'kernel' in net && typeof net.kernel === 'function' ? (net as Layer<any, any>) : fromArchitecture(net);
}

/** The analytic NNGP and NTK of a network (layer or architecture JSON) on x1 × x2. */
export function kernel(net: Network, x1: Tensor, x2: Tensor | null = null, options: ComputeKernelOptions = {}): Kernel {
  return computeKernel(toLayer(net), x1, x2, options);
}

/** Monte-Carlo NNGP and NTK of finite networks built from the same spec. */
export function monteCarlo(net: Network, x1: Tensor, x2: Tensor | null = null, options: MonteCarloOptions = {}): MonteCarloKernels {
  return monteCarloKernel(toLayer(net), x1, x2, options);
}
