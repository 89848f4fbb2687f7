/**
 * One Wide measurement of tools/bench/cntk, run as its own process (the worker pool's size,
 * WIDE_THREADS, is fixed when the WebAssembly runtime starts): NNGP + NTK of CNN-V or CNN-GAP on
 * the images of a .npy, after a warm-up on a few of them; prints one JSON line (seconds: best of
 * --repeat) and writes nngp.npy and ntk.npy (n×n) to --out-dir.
 *
 * Usage: wide_cntk.ts --x X.npy --net v|gap --depth D [--repeat 2] [--out-dir DIR]
 */
import { join } from 'node:path';
import { type Kernel, computeKernel, releaseKernel, wasmBackend } from '@wide/core';
import { readNpy, writeNpy } from '@wide/data';
import { type NetKind, network } from './network.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1]!;
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
};
const kind = opt('net') as NetKind;
const depth = Number(opt('depth'));
const repeat = Number(opt('repeat', '2'));
const outDir = args.includes('--out-dir') ? opt('out-dir') : null;
const xs = readNpy(opt('x'));
const x = { data: Float64Array.from(xs.data), shape: [...xs.shape] };
const n = x.shape[0]!;
const { net, declared } = network(kind, depth);

// Warm-up: the same kernels on 3 images (compiles the JIT's and the WebAssembly engine's optimised code).
const warm = { data: x.data.slice(0, 3 * (x.data.length / n)), shape: [3, ...x.shape.slice(1)] };
releaseKernel(computeKernel(net, warm, null, { backend: wasmBackend }), wasmBackend);

let best = Infinity;
let k: Kernel | null = null;
for (let r = 0; r < repeat; r++) {
  if (k) releaseKernel(k, wasmBackend);
  const t0 = performance.now();
  k = computeKernel(net, x, null, { backend: wasmBackend });
  best = Math.min(best, (performance.now() - t0) / 1000);
}
if (outDir) {
  writeNpy(join(outDir, 'nngp.npy'), k!.nngp, [n, n]);
  writeNpy(join(outDir, 'ntk.npy'), k!.ntk!, [n, n]);
}
process.stdout.write(JSON.stringify({ n, seconds: best, threads: Number(process.env['WIDE_THREADS'] ?? 0), declaredSteps: declared }) + '\n');
