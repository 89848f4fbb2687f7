/**
 * `pnpm bench`: time of NNGP + NTK of a depth-5 ReLU network on n = 2,000 and 5,000 MNIST images
 * (n×n kernels, float64, CPU backend), side by side with a NumPy float64 baseline of the same
 * computation (numpy_baseline.py, run as a child process in the same process group, on the same
 * .npy data). Rounds are interleaved (JS, NumPy, JS, NumPy, …) because this VM is noisy; each
 * figure is the best of the rounds. Writes results.json and results.md next to this file.
 *
 * Options: --sizes 2000,5000 --rounds 2 --quick (n = 500 only).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeKernel } from '@wide/core';
import { loadMnist, readNpy, writeNpy } from '@wide/data';
import { fromArchitecture } from '@wide/layers';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const quick = args.includes('--quick');
const sizes = (quick ? '500' : opt('sizes', '2000,5000')).split(',').map(Number);
const rounds = Number(opt('rounds', quick ? '1' : '2'));

const W = Math.SQRT2;
const B = 0.1;
const DEPTH = 5;
/** dense(√2, 0.1) [relu dense(√2, 0.1)] × 5, NTK parameterisation. */
const arch = {
  layers: [{ type: 'dense', wStd: W, bStd: B }, ...Array.from({ length: DEPTH }, () => [{ type: 'relu' }, { type: 'dense', wStd: W, bStd: B }]).flat()],
};
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

interface Row { n: number; js: number; numpyNatural: number; numpyOptimized: number; errNngp: number; errNtk: number }
const rows: Row[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'wide-bench-'));
try {
  // Warm the JIT on a small problem first.
  const warm = loadMnist({ split: 'train', count: 200, normalize: 'standardize' });
  computeKernel(net, warm.x);
  for (const n of sizes) {
    const { x } = loadMnist({ split: 'train', count: n, normalize: 'standardize' });
    const xFlat = { data: x.data, shape: [n, x.data.length / n] };
    const xPath = join(tmp, `x${n}.npy`);
    writeNpy(xPath, xFlat.data, xFlat.shape);
    let js = Infinity;
    let natural = Infinity;
    let optimized = Infinity;
    let last: ReturnType<typeof computeKernel> | null = null;
    for (let r = 0; r < rounds; r++) {
      last = null;
      const t0 = performance.now();
      last = computeKernel(net, xFlat);
      js = Math.min(js, (performance.now() - t0) / 1000);
      process.stderr.write(`n=${n} round ${r + 1}: wide ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      const py = spawnSync('python3', [join(here, 'numpy_baseline.py'), '--x', xPath, '--w', String(W), '--b', String(B), '--depth', String(DEPTH), ...(r === 0 ? ['--out-dir', tmp] : [])], { encoding: 'utf8' });
      if (py.status !== 0) throw new Error(`numpy baseline failed: ${py.stderr}`);
      const res = JSON.parse(py.stdout.trim().split('\n').pop()!) as { seconds: { natural: number; optimized: number } };
      natural = Math.min(natural, res.seconds.natural);
      optimized = Math.min(optimized, res.seconds.optimized);
      process.stderr.write(`, numpy natural ${res.seconds.natural.toFixed(2)} s, optimized ${res.seconds.optimized.toFixed(2)} s\n`);
    }
    const errNngp = maxRelErr(last!.nngp, readNpy(join(tmp, 'nngp.npy')).data as Float64Array);
    const errNtk = maxRelErr(last!.ntk!, readNpy(join(tmp, 'ntk.npy')).data as Float64Array);
    rows.push({ n, js, numpyNatural: natural, numpyOptimized: optimized, errNngp, errNtk });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.version}`;
const table = [
  `NNGP + NTK, depth-5 ReLU network (dense √2/0.1), MNIST n×784, float64 — ${machine}; best of ${rounds} interleaved round(s)`,
  '',
  '| n | wide (s) | NumPy natural (s) | NumPy optimized (s) | wide / natural | wide / optimized | max rel. diff NNGP | NTK |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.n} | ${r.js.toFixed(2)} | ${r.numpyNatural.toFixed(2)} | ${r.numpyOptimized.toFixed(2)} | ${(r.js / r.numpyNatural).toFixed(2)} | ${(r.js / r.numpyOptimized).toFixed(2)} | ${r.errNngp.toExponential(1)} | ${r.errNtk.toExponential(1)} |`),
].join('\n');
process.stdout.write(table + '\n');
if (!quick) {
  writeFileSync(join(here, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), rounds, rows }, null, 2) + '\n');
  writeFileSync(join(here, 'results.md'), table + '\n');
}
