/**
 * Kernels at several depths in one pass. A preset of depth d (the `arora` CNTKs and the FC NTK
 * of ./preset.ts alike) is a trunk of 2d − 2 layers — the first affine layer, then
 * (ReLU → affine) d − 2 times, then a ReLU — followed by a readout that does not depend on d. So
 * the trunk of depth d is a prefix of the trunk of depth d′ > d, and the kernels of every depth
 * in a list cost what the deepest alone costs: run the deepest trunk segment by segment and read
 * out after each depth. For Table 1's depths 3, 4, 6, 11, 21 this does 20 conv layers per
 * kernel entry instead of 2 + 3 + 5 + 10 + 20 = 40.
 *
 * The result is one kernel whose single "spatial" axis is the depth: entry (i·n2 + j)·D + t is
 * depth t's kernel of pair (i, j) (the diagonal layout of conventions §1 with P = D), so the
 * tiled driver tiles and mirrors it like any other kernel. Each depth's numbers equal those of
 * the preset of that depth computed alone (test/depth-sweep.test.ts, ≤ 1e-12 relative: a
 * backend may fuse the layers of a long serial differently from those of a segment).
 * @module
 */
import { type ArchitectureSpec, buildLayer } from '@wide/layers';
import {
  type Kernel,
  type KernelName,
  type Layer,
  InvalidArchitectureError,
  NonFiniteKernelError,
  UnsupportedError,
  releaseKernel,
  serial,
  singleKernel,
  withFields,
} from '@wide/core';

/** Number of trunk layers of a preset of depth d (the layers before its readout). */
export const trunkLength = (depth: number): number => 2 * depth - 2;

/** `layers[i]…` of a segment starting at layer `offset` of the architecture renamed `layers[offset + i]…`. */
function shiftPath(e: unknown, offset: number): unknown {
  if (!(e instanceof NonFiniteKernelError)) return e;
  const m = /^layers\[(\d+)\](.*)$/.exec(e.path);
  if (!m) return e;
  return new NonFiniteKernelError(`layers[${offset + Number(m[1])}]${m[2]}`, e.description, e.problem);
}

/** Options of {@link depthSweep}. */
export interface DepthSweepOptions {
  /**
   * If given (one entry per depth), milliseconds are added up here on every kernel call: entry
   * t gets the trunk segment that leads to depth t and depth t's readout. The sum of entries
   * 0…t is then about what depth t alone costs (plus the shallower readouts, O(n²·P), small).
   */
  timings?: Float64Array;
}

/**
 * A layer whose kernel holds the kernels of `preset(d)` at every depth d in `depths`
 * (increasing; see the module comment); `preset` is one of the presets of ./preset.ts with its
 * other options fixed, e.g. `(d) => aroraArchitecture({ ...o, depth: d })`. The finite network
 * is not available (build the preset of one depth for that). Throws InvalidArchitectureError
 * for depths that are not increasing integers ≥ 2, or that the preset rejects.
 */
export function depthSweep(preset: (depth: number) => ArchitectureSpec, depths: readonly number[], options: DepthSweepOptions = {}): Layer<null, null> {
  const sorted = [...depths];
  const deepest = sorted[sorted.length - 1];
  if (deepest === undefined) throw new InvalidArchitectureError('depths', 'expected at least one depth');
  if (sorted.some((d, i) => !Number.isInteger(d) || (i > 0 && d <= sorted[i - 1]!))) throw new InvalidArchitectureError('depths', `expected increasing integers, got ${depths.join(', ')}`);
  if (sorted[0]! < 2) throw new InvalidArchitectureError('depths', `expected depths ≥ 2, got ${depths.join(', ')}`);
  // Each depth through the preset's own checks (e.g. CNTK-GAP needs depth ≥ 3); only the deepest is built.
  for (const d of sorted.slice(0, -1)) preset(d);
  const spec = preset(deepest);
  const readoutStart = trunkLength(deepest);
  const param = spec.parameterization ?? 'ntk';
  const built = spec.layers.map((l, i) => buildLayer(l, `layers[${i}]`, param));
  const segments: { layer: Layer<any, any>; offset: number }[] = [];
  let from = 0;
  for (const d of sorted) {
    segments.push({ layer: serial(...built.slice(from, trunkLength(d))), offset: from });
    from = trunkLength(d);
  }
  const readout = serial(...built.slice(readoutStart));
  const timings = options.timings;
  if (timings && timings.length !== sorted.length) throw new InvalidArchitectureError('timings', `expected ${sorted.length} entries (one per depth), got ${timings.length}`);
  const D = sorted.length;

  return {
    type: 'depthSweep',
    describe: `depthSweep depths=${sorted.join(',')}`,
    sublayers: built,
    kernel(kv, ctx) {
      let k = singleKernel(kv, 'depthSweep');
      const { n1, n2, x1IsX2 } = k;
      const nngp = new Float64Array(n1 * n2 * D);
      const ntk = k.ntk ? new Float64Array(n1 * n2 * D) : null;
      const var1 = new Float64Array(n1 * D);
      const var2 = x1IsX2 ? var1 : new Float64Array(n2 * D);
      // Entry i of depth t's array goes to i·D + t; copied at once, before the next segment may overwrite shared arrays.
      const place = (dst: Float64Array, src: Float64Array, t: number) => {
        for (let i = 0; i < src.length; i++) dst[i * D + t] = src[i]!;
      };
      let channels = 1;
      segments.forEach((seg, t) => {
        const t0 = performance.now();
        try {
          k = singleKernel(seg.layer.kernel(k, ctx), 'depthSweep');
        } catch (e) {
          throw shiftPath(e, seg.offset);
        }
        let r: Kernel;
        try {
          // Not owned: the readout must not overwrite the trunk's arrays, which the next segment continues from.
          r = singleKernel(readout.kernel(withFields(k, {}), ctx), 'depthSweep');
        } catch (e) {
          throw shiftPath(e, readoutStart);
        }
        place(nngp, r.nngp, t);
        if (ntk && r.ntk) place(ntk, r.ntk, t);
        place(var1, r.var1, t);
        if (!x1IsX2) place(var2, r.var2, t);
        channels = r.channels;
        // The readout's own arrays go back to the backend; any it shares with the trunk stay.
        const kept = new Set([k.nngp, k.ntk, k.var1, k.var2]);
        for (const a of new Set([r.nngp, r.ntk, r.var1, r.var2])) if (a && !kept.has(a)) ctx.backend.release?.(a);
        if (timings) timings[t] = timings[t]! + performance.now() - t0;
      });
      if (k.owned) releaseKernel(k, ctx.backend);
      return { n1, n2, spatial: [D], diagonalSpatial: true, nngp, ntk, var1, var2, x1IsX2, isGaussian: false, channels, owned: true };
    },
    init: () => ({ params: null, outputShape: [D, 1] }),
    forward() {
      throw new UnsupportedError('depthSweep computes kernels only; build the preset of one depth for a finite network');
    },
    backward() {
      throw new UnsupportedError('depthSweep computes kernels only; build the preset of one depth for a finite network');
    },
  };
}

/** Depth t's n1×n2 kernel (`nngp` or `ntk`) out of a {@link depthSweep} kernel. */
export function kernelAtDepth(k: Kernel, t: number, which: KernelName = 'ntk'): Float64Array {
  const arr = which === 'ntk' ? k.ntk : k.nngp;
  const D = k.spatial[0];
  if (!arr || k.spatial.length !== 1 || D === undefined || !k.diagonalSpatial) throw new InvalidArchitectureError('depth', `not a depthSweep kernel with a ${which}`);
  if (!(Number.isInteger(t) && t >= 0 && t < D)) throw new InvalidArchitectureError('depth', `expected an index in [0, ${D - 1}], got ${t}`);
  const out = new Float64Array(k.n1 * k.n2);
  for (let i = 0; i < out.length; i++) out[i] = arr[i * D + t]!;
  return out;
}
