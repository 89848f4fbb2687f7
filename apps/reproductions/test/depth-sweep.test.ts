import { describe, expect, it } from 'vitest';
import { InvalidArchitectureError, UnsupportedError, computeKernel, computeKernelTiled, jsBackend, tensor } from '@wide/core';
import { kernel } from '@wide/layers';
import { maxRelativeError } from '@wide/testing';
import { aroraArchitecture, depthSweep, fcArchitecture, kernelAtDepth } from '../src/index.js';
import { goldenImage } from './golden-images.js';

const images = tensor([0, 0.8, 1.6].flatMap(goldenImage), [3, 6, 6, 3]);
const other = tensor([2.4, 3.1].flatMap(goldenImage), [2, 6, 6, 3]);
const depths = [3, 4, 6];

describe('depthSweep: every depth in one pass', () => {
  it.each([
    ['CNTK-V', (d: number) => aroraArchitecture({ imageShape: [6, 6], inputChannels: 3, depth: d, variant: 'vanilla' })],
    ['CNTK-GAP', (d: number) => aroraArchitecture({ imageShape: [6, 6], inputChannels: 3, depth: d, variant: 'gap' })],
    ['CNTK-V main text', (d: number) => aroraArchitecture({ imageShape: [6, 6], inputChannels: 3, depth: d, variant: 'vanilla', mainText: true })],
  ] as const)('%s: equals the preset of each depth computed alone (≤ 1e-12), x2 = x1 and x2 ≠ x1', (_name, preset) => {
    const sweep = depthSweep(preset, depths);
    for (const x2 of [null, other]) {
      const k = computeKernel(sweep, images, x2);
      expect(k.spatial).toEqual([3]);
      depths.forEach((d, t) => {
        const alone = kernel(preset(d), images, x2);
        expect(maxRelativeError(kernelAtDepth(k, t, 'ntk'), alone.ntk!)).toBeLessThanOrEqual(1e-12);
        expect(maxRelativeError(kernelAtDepth(k, t, 'nngp'), alone.nngp)).toBeLessThanOrEqual(1e-12);
      });
    }
  });

  it('FC NTK: the same on flat inputs, and the depths need not start at 2', () => {
    const flat = tensor(images.data, [3, 108]);
    const k = computeKernel(depthSweep((depth) => fcArchitecture({ depth, inputDim: 108 }), [5, 8, 21]), flat);
    [5, 8, 21].forEach((d, t) => expect(maxRelativeError(kernelAtDepth(k, t), kernel(fcArchitecture({ depth: d, inputDim: 108 }), flat).ntk!)).toBeLessThanOrEqual(1e-12));
  });

  it('tiles like any kernel: tiled = untiled bit for bit (symmetric and not), on the JS backend too', () => {
    const sweep = depthSweep((depth) => aroraArchitecture({ imageShape: [6, 6], inputChannels: 3, depth, variant: 'gap' }), [3, 4]);
    for (const backend of [undefined, jsBackend]) {
      const whole = computeKernel(sweep, images, null, { backend });
      const tiled = computeKernelTiled(sweep, images, null, { tile: 2, backend });
      expect(Array.from(tiled.ntk!)).toEqual(Array.from(whole.ntk!));
      const cross = computeKernelTiled(sweep, other, images, { tile: 1, backend });
      expect(Array.from(cross.ntk!)).toEqual(Array.from(computeKernel(sweep, other, images, { backend }).ntk!));
    }
  });

  it('rejects depths out of range, unsorted or repeated; has no finite network', () => {
    const spec = (depth: number) => aroraArchitecture({ imageShape: [6, 6], inputChannels: 3, depth, variant: 'gap' });
    expect(() => depthSweep(spec, [1, 5])).toThrow(InvalidArchitectureError);
    expect(() => depthSweep(spec, [1, 5])).toThrow('depths: expected depths ≥ 2, got 1, 5');
    // The preset's own checks apply to every depth (CNTK-GAP needs depth ≥ 3).
    expect(() => depthSweep(spec, [2, 5])).toThrow('depth: expected an integer ≥ 3, got 2');
    expect(() => depthSweep(spec, [4, 3])).toThrow('depths: expected increasing integers, got 4, 3');
    expect(() => depthSweep(spec, [3, 3])).toThrow('depths: expected increasing integers, got 3, 3');
    expect(() => depthSweep(spec, [])).toThrow('depths: expected at least one depth');
    expect(() => depthSweep(spec, [3]).forward(null, images)).toThrow(UnsupportedError);
  });

  it('kernelAtDepth checks its arguments', () => {
    const k = computeKernel(depthSweep((depth) => aroraArchitecture({ imageShape: [6, 6], inputChannels: 3, depth, variant: 'vanilla' }), [3, 4]), images);
    expect(() => kernelAtDepth(k, 2)).toThrow('depth: expected an index in [0, 1], got 2');
  });
});
