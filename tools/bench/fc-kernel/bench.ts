/**
 * `pnpm bench`: time of NNGP + NTK of a depth-5 ReLU network on n = 2,000 and 5,000 MNIST images
 * (n×n kernels, float64) with Wide's two CPU kernel sets — WebAssembly SIMD (the default) and
 * plain JS (`WIDE_KERNELS=js`'s reference) — side by side with a NumPy float64 baseline of the same
 * computation (numpy_baseline.py, natural and optimized, run as a child process on the same .npy
 * data). Rounds are interleaved (WASM, JS, NumPy, WASM, …) because this VM is noisy; each figure
 * is the best of the rounds. Then the peak RSS of a fresh process computing the largest kernel
 * (peak-memory.ts). Writes results.json and results.md next to this file.
 *
 * Options: --sizes 2000,5000 --rounds 2 --quick (n = 500 only, nothing written) --no-js.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, type Kernel, computeKernel, jsBackend, releaseKernel, wasmBackend } from '@wide/core';
import { loadMnist, readNpy, writeNpy } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { arch, B, DEPTH, W } from './network.js';
import { benchArgs } from '../args.js';

const { here, args, opt, quick } = benchArgs(import.meta.url);
const withJs = !args.includes('--no-js');
const sizes = (quick ? '500' : opt('sizes', '2000,5000')).split(',').map(Number);
const rounds = Number(opt('rounds', quick ? '1' : '2'));
const net = fromArchitecture(arch);

function maxRelErr(got: Float64Array, want: Float64Array): number {
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const w = want[i]!;
    if (Math.abs(w) > 1e-3 * scale) worst = Math.max(worst, Math.abs(got[i]! - w) / Math.abs(w));
  }
  return worst;
}

interface Row {
  n: number;
  wasm: number;
  js: number | null;
  numpyNatural: number;
  numpyOptimized: number;
  /** Max relative difference to NumPy natural (NNGP, NTK) and WASM vs JS. */
  errNngp: number;
  errNtk: number;
  wasmVsJs: number | null;
  /** Max relative difference of the JS kernels to NumPy natural (NNGP and NTK). */
  jsVsNumpy: number | null;
}

/** Seconds of one computeKernel, keeping the kernel (the previous one is handed back first, so the arena stays warm). */
function timed(backend: Backend, x: { data: Float64Array; shape: number[] }, keep: { k: Kernel | null }): number {
  if (keep.k) releaseKernel(keep.k, backend);
  keep.k = null;
  const t0 = performance.now();
  keep.k = computeKernel(net, x, null, { backend });
  return (performance.now() - t0) / 1000;
}

const rows: Row[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'wide-bench-'));
try {
  // Warm the JIT, the worker pools and the WebAssembly module on a small problem first.
  const warm = loadMnist({ split: 'train', count: 200, normalize: 'standardize' });
  for (const b of [wasmBackend, jsBackend]) releaseKernel(computeKernel(net, warm.x, null, { backend: b }), b);
  for (const n of sizes) {
    const { x } = loadMnist({ split: 'train', count: n, normalize: 'standardize' });
    const xFlat = { data: x.data, shape: [n, x.data.length / n] };
    const xPath = join(tmp, `x${n}.npy`);
    writeNpy(xPath, xFlat.data, xFlat.shape);
    const best = { wasm: Infinity, js: Infinity, natural: Infinity, optimized: Infinity };
    const wasmK = { k: null as Kernel | null };
    const jsK = { k: null as Kernel | null };
    for (let r = 0; r < rounds; r++) {
      const tw = timed(wasmBackend, xFlat, wasmK);
      best.wasm = Math.min(best.wasm, tw);
      process.stderr.write(`n=${n} round ${r + 1}: wasm ${tw.toFixed(2)} s`);
      if (withJs) {
        const tj = timed(jsBackend, xFlat, jsK);
        best.js = Math.min(best.js, tj);
        process.stderr.write(`, js ${tj.toFixed(2)} s`);
      }
      const py = spawnSync('python3', [join(here, 'numpy_baseline.py'), '--x', xPath, '--w', String(W), '--b', String(B), '--depth', String(DEPTH), ...(r === 0 ? ['--out-dir', tmp] : [])], { encoding: 'utf8' });
      if (py.status !== 0) throw new Error(`numpy baseline failed: ${py.stderr}`);
      const res = JSON.parse(py.stdout.trim().split('\n').pop()!) as { seconds: { natural: number; optimized: number } };
      best.natural = Math.min(best.natural, res.seconds.natural);
      best.optimized = Math.min(best.optimized, res.seconds.optimized);
      process.stderr.write(`, numpy natural ${res.seconds.natural.toFixed(2)} s, optimized ${res.seconds.optimized.toFixed(2)} s\n`);
    }
    const k = wasmK.k!;
    const wasmVsJs = jsK.k ? Math.max(maxRelErr(k.nngp, jsK.k.nngp), maxRelErr(k.ntk!, jsK.k.ntk!)) : null;
    const refN = readNpy(join(tmp, 'nngp.npy')).data as Float64Array;
    const refT = readNpy(join(tmp, 'ntk.npy')).data as Float64Array;
    rows.push({
      n,
      wasm: best.wasm,
      js: withJs ? best.js : null,
      numpyNatural: best.natural,
      numpyOptimized: best.optimized,
      errNngp: maxRelErr(k.nngp, refN),
      errNtk: maxRelErr(k.ntk!, refT),
      wasmVsJs,
      jsVsNumpy: jsK.k ? Math.max(maxRelErr(jsK.k.nngp, refN), maxRelErr(jsK.k.ntk!, refT)) : null,
    });
    releaseKernel(k, wasmBackend);
    if (jsK.k) releaseKernel(jsK.k, jsBackend);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// Peak memory of a fresh process computing the largest kernel (WebAssembly kernels).
const nMem = Math.max(...sizes);
const mem = spawnSync(process.execPath, [...process.execArgv, join(here, 'peak-memory.ts'), String(nMem)], { encoding: 'utf8' });
if (mem.status !== 0) throw new Error(`peak-memory.ts failed: ${mem.stderr}`);
const peak = JSON.parse(mem.stdout.trim().split('\n').pop()!) as { n: number; peakRssMB: number; outputsMB: number; seconds: number };

const f2 = (v: number) => v.toFixed(2);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.version}`;
const table = [
  `NNGP + NTK, depth-5 ReLU network (dense √2/0.1), MNIST n×784, float64 — ${machine}; best of ${rounds} interleaved round(s); times in seconds, in-process (computeKernel)`,
  '',
  '| n | WASM | JS | NumPy natural | NumPy optimized | WASM / natural | WASM / optimized | JS / natural | JS / optimized | max rel. diff WASM–NumPy (NNGP, NTK) | JS–NumPy | WASM–JS |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) =>
    `| ${r.n} | ${f2(r.wasm)} | ${r.js === null ? '–' : f2(r.js)} | ${f2(r.numpyNatural)} | ${f2(r.numpyOptimized)} | ${f2(r.wasm / r.numpyNatural)} | ${f2(r.wasm / r.numpyOptimized)} | ${r.js === null ? '–' : f2(r.js / r.numpyNatural)} | ${r.js === null ? '–' : f2(r.js / r.numpyOptimized)} | ${r.errNngp.toExponential(1)}, ${r.errNtk.toExponential(1)} | ${r.jsVsNumpy === null ? '–' : r.jsVsNumpy.toExponential(1)} | ${r.wasmVsJs === null ? '–' : r.wasmVsJs.toExponential(1)} |`,
  ),
  '',
  `Peak RSS of a fresh process computing the n = ${peak.n} kernel (WebAssembly kernels, MNIST loaded, ${f2(peak.seconds)} s): ${peak.peakRssMB.toFixed(0)} MiB = ${(peak.peakRssMB / peak.outputsMB).toFixed(2)}× the two output matrices (${peak.outputsMB.toFixed(0)} MiB).`,
].join('\n');
process.stdout.write(table + '\n');
if (!quick) {
  writeFileSync(join(here, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), rounds, rows, peakMemory: peak }, null, 2) + '\n');
  writeFileSync(join(here, 'results.md'), table + '\n');
}
