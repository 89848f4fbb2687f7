import { describe, expect, it } from 'vitest';
import { type Backend, type Kernel, type Layer, Rng, computeKernel, computeKernelTiled, estimateKernelMemory, jsBackend, serial, tensor, wasmBackend } from '../src/index.js';
import { avgPool, conv, dense, firstDifference, flatten, globalAvgPool, relu } from './spatial-helpers.js';

/** Every array of `a` equals `b`'s bit for bit. */
function sameKernel(a: Kernel, b: Kernel): void {
  expect([a.n1, a.n2, a.diagonalSpatial, a.spatial.join()]).toEqual([b.n1, b.n2, b.diagonalSpatial, b.spatial.join()]);
  expect(a.nngp.length).toBe(b.nngp.length);
  expect(firstDifference(a.nngp, b.nngp)).toBe(-1);
  expect(firstDifference(a.ntk ?? [], b.ntk ?? [])).toBe(-1);
  expect(firstDifference(a.var1, b.var1)).toBe(-1);
  expect(firstDifference(a.var2, b.var2)).toBe(-1);
}

const nets: [string, () => Layer<any, any>, 'diagonal' | 'full', number][] = [
  // name, network, layout auto picks, output positions
  ['CNN-V (diagonal)', () => serial(conv(3), relu(), conv(3, { stride: 2 }), relu(), flatten(), dense()), 'diagonal', 1],
  ['conv stack ending with spatial axes (diagonal)', () => serial(conv(3), relu(), conv(2, { padding: 'VALID' })), 'diagonal', 12],
  ['CNN-GAP (full → P = 1)', () => serial(conv(3), relu(), conv(3, { padding: 'CIRCULAR' }), relu(), globalAvgPool(), dense()), 'full', 1],
  ['conv + avgPool ending with spatial axes (full, P² per pair)', () => serial(conv(3), relu(), avgPool(2)), 'full', 4],
];

describe.each([
  ['js', jsBackend],
  ['wasm', wasmBackend],
] as [string, Backend][])('computeKernelTiled on spatial kernels (%s backend)', (_name, backend) => {
  const rng = new Rng(8);
  const [H, W, C] = [4, 5, 2];
  const x1 = tensor(rng.normals(7 * H * W * C), [7, H, W, C]);
  const x2 = tensor(rng.normals(5 * H * W * C), [5, H, W, C]);

  it.each(nets)('%s: tiled = untiled bit for bit, symmetric and two-batch, tiles 1, 2, 3, 5', (_n, make, layout, positions) => {
    const net = make();
    const whole = computeKernel(net, x1, null, { backend });
    const cross = computeKernel(net, x1, x2, { backend });
    expect(whole.spatial.reduce((a, b) => a * b, 1)).toBe(positions);
    expect(whole.diagonalSpatial).toBe(layout === 'diagonal' || positions === 1);
    expect(whole.nngp.length).toBe(7 * 7 * (whole.diagonalSpatial ? positions : positions ** 2));
    for (const tile of [1, 2, 3, 5]) {
      sameKernel(computeKernelTiled(net, x1, null, { backend, tile }), whole);
      sameKernel(computeKernelTiled(net, x1, x2, { backend, tile }), cross);
    }
  });

  it.each(nets)('%s: the symmetric kernel is exactly symmetric, K(xⱼ, xᵢ)ₚₚ′ = K(xᵢ, xⱼ)ₚ′ₚ', (_n, make) => {
    const k = computeKernelTiled(make(), x1, null, { backend, tile: 3 });
    const n = k.n1;
    const P = k.spatial.reduce((a, b) => a * b, 1);
    const Q = k.diagonalSpatial ? 1 : P;
    for (const arr of [k.nngp, k.ntk!]) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          for (let p = 0; p < P; p++) {
            for (let q = 0; q < Q; q++) {
              const a = ((i * n + j) * P + p) * Q + q;
              const b = k.diagonalSpatial ? (j * n + i) * P + p : ((j * n + i) * P + q) * P + p;
              if (i !== j) expect(arr[a]).toBe(arr[b]);
            }
          }
        }
      }
    }
  });

  it('the full layout forced on a CNN-V network tiles too, and agrees with the diagonal path', () => {
    const net = nets[0]![1]();
    const full = computeKernel(net, x1, x2, { backend, layout: 'full' });
    sameKernel(computeKernelTiled(net, x1, x2, { backend, layout: 'full', tile: 2 }), full);
    const diag = computeKernel(net, x1, x2, { backend });
    expect(firstDifference(full.nngp, diag.nngp)).toBe(-1);
  });

  it('progress is reported once per tile, up to (total, total)', () => {
    const calls: [number, number][] = [];
    computeKernelTiled(nets[2]![1](), x1, null, { backend, tile: 3, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[1, 6], [2, 6], [3, 6], [4, 6], [5, 6], [6, 6]]);
    const cross: number[] = [];
    computeKernelTiled(nets[3]![1](), x1, x2, { backend, tile: 2, onProgress: (d) => cross.push(d) });
    expect(cross).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('the default tile follows the layout actually used and the memory limit; the result is the untiled one', () => {
    const net = nets[3]![1]();
    const whole = computeKernel(net, x1, null, { backend });
    // Σ and Θ tiles hold t²·P² numbers (P = 20) on the full layout: a limit of 256 KiB leaves room for small tiles only.
    const plan = estimateKernelMemory(net, x1.shape, null, { maxMemory: 2 ** 18 });
    expect(plan.layout).toBe('full');
    expect(plan.fits).toBe(true);
    // 2×2 tiles: 8 B · 4 sets · (4 pairs · 400 · 2 kernels + 4 samples · 400) + the 7×7×4² output (13.4 KB) = 167 KB.
    expect(plan.tile).toBe(2);
    expect(plan.tiles).toBe(10);
    expect(plan.bytes).toBe(8 * 4 * (4 * 400 * 2 + 4 * 400) + 8 * (49 * 16 * 2 + 7 * 16));
    expect(estimateKernelMemory(net, x1.shape, null, { maxMemory: 2 ** 18, tile: plan.tile + 1 }).fits).toBe(false);
    sameKernel(computeKernelTiled(net, x1, null, { backend, maxMemory: 2 ** 18 }), whole);
    // The diagonal layout of the same size (CNN-V) fits in one tile under that limit.
    expect(estimateKernelMemory(nets[0]![1](), x1.shape, null, { maxMemory: 2 ** 18 }).tiles).toBe(1);
  });
});
