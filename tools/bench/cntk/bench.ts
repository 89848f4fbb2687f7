/**
 * `pnpm --filter @wide/bench bench:cntk`: milliseconds per kernel entry (NNGP + NTK together) of
 * the exact CNTK of Arora et al.'s CNN-V (depth 21) and CNN-GAP (depth 6) on 28×28×1 MNIST images
 * (standardised), with Wide's CPU backend on 1 and 2 worker threads (WIDE_THREADS; each its own
 * process, wide_cntk.ts) side by side with numpy_cntk.py, a vectorised NumPy float64 implementation
 * of the same recursion, on the same .npy data in the same run. Rounds are interleaved (Wide 1,
 * Wide 2, NumPy, …; the machine is noisy) and each figure is the best round. The kernels are
 * compared (max relative difference ≤ 1e-10 required). Writes results.json and results.md here.
 *
 * Options: --v 40 (images for CNN-V: 40×40 entries) --gap 5 --rounds 2 --quick (n = 8 and 2, one
 * round, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, readNpy, writeNpy } from '@wide/data';
import { type NetKind, W, B } from './network.js';
import { benchArgs } from '../args.js';

const { here, args, opt, quick } = benchArgs(import.meta.url);
const rounds = Number(opt('rounds', quick ? '1' : '2'));
const nets: { kind: NetKind; depth: number; n: number }[] = [
  { kind: 'v', depth: 21, n: Number(opt('v', quick ? '8' : '40')) },
  { kind: 'gap', depth: 6, n: Number(opt('gap', quick ? '2' : '5')) },
];
/** NumPy with OpenBLAS's own CPU detection and 2 threads (its elementwise work is single-threaded anyway). */
const numpyEnv: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '2' };
delete numpyEnv['OPENBLAS_CORETYPE'];
delete numpyEnv['OPENBLAS_L2_SIZE'];

/** Max relative difference over entries at least 1e-3 of the largest. */
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

function runJson(cmd: string, argv: string[], env: NodeJS.ProcessEnv): { seconds: number; declaredSteps?: boolean } {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

interface Row {
  net: string;
  n: number;
  entries: number;
  /** Best seconds: Wide on 1 and 2 worker threads, NumPy. */
  wide1: number;
  wide2: number;
  numpy: number;
  /** Max relative difference Wide–NumPy (NNGP, NTK), and Wide 1 thread vs 2 threads. */
  errNngp: number;
  errNtk: number;
  threadsDiff: number;
  declaredSteps: boolean;
}

const tmp = mkdtempSync(join(tmpdir(), 'wide-cntk-bench-'));
const rows: Row[] = [];
try {
  for (const { kind, depth, n } of nets) {
    const { x } = loadMnist({ split: 'train', count: n, normalize: 'standardize' });
    const xPath = join(tmp, `x-${kind}.npy`);
    writeNpy(xPath, x.data, [n, 28, 28, 1]);
    const dirs = { w1: join(tmp, `${kind}-w1`), w2: join(tmp, `${kind}-w2`), np: join(tmp, `${kind}-np`) };
    for (const d of Object.values(dirs)) mkdirSync(d);
    const best = { wide1: Infinity, wide2: Infinity, numpy: Infinity };
    let declared = false;
    for (let r = 0; r < rounds; r++) {
      for (const threads of [1, 2] as const) {
        const res = runJson(process.execPath, [...process.execArgv, join(here, 'wide_cntk.ts'), '--x', xPath, '--net', kind, '--depth', String(depth), '--out-dir', threads === 1 ? dirs.w1 : dirs.w2], { ...process.env, WIDE_THREADS: String(threads) });
        declared = res.declaredSteps ?? false;
        const key = threads === 1 ? 'wide1' : 'wide2';
        best[key] = Math.min(best[key], res.seconds);
        process.stderr.write(`${kind} n=${n} round ${r + 1}: wide ${threads} thread(s) ${res.seconds.toFixed(2)} s\n`);
      }
      const py = runJson('python3', [join(here, 'numpy_cntk.py'), '--x', xPath, '--net', kind, '--convs', String(depth - 1), '--w2', String(W * W), '--b2', String(B * B), '--out-dir', dirs.np], numpyEnv);
      best.numpy = Math.min(best.numpy, py.seconds);
      process.stderr.write(`${kind} n=${n} round ${r + 1}: numpy ${py.seconds.toFixed(2)} s\n`);
    }
    const load = (dir: string, name: string) => readNpy(join(dir, `${name}.npy`)).data as Float64Array;
    rows.push({
      net: kind === 'v' ? `CNN-V depth ${depth}` : `CNN-GAP depth ${depth}`,
      n,
      entries: n * n,
      ...best,
      errNngp: maxRelErr(load(dirs.w2, 'nngp'), load(dirs.np, 'nngp')),
      errNtk: maxRelErr(load(dirs.w2, 'ntk'), load(dirs.np, 'ntk')),
      threadsDiff: Math.max(maxRelErr(load(dirs.w1, 'nngp'), load(dirs.w2, 'nngp')), maxRelErr(load(dirs.w1, 'ntk'), load(dirs.w2, 'ntk'))),
      declaredSteps: declared,
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const ms = (s: number, r: Row) => ((s * 1000) / r.entries).toPrecision(3);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.version}`;
const table = [
  `Exact CNTK, NNGP + NTK, MNIST 28×28×1 (standardised), float64 — ${machine}; best of ${rounds} interleaved round(s); ms per kernel entry (n×n entries, symmetric x2 = x1, wall clock in-process)`,
  '',
  '| network | n (entries) | Wide 1 thread | Wide 2 threads | Wide 2 threads × 2 cores | NumPy | Wide 1 / NumPy | Wide 2 / NumPy | max rel. diff Wide–NumPy (NNGP, NTK) | 1 vs 2 threads |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.net} | ${r.n} (${r.entries}) | ${ms(r.wide1, r)} | ${ms(r.wide2, r)} | ${ms(2 * r.wide2, r)} | ${ms(r.numpy, r)} | ${(r.wide1 / r.numpy).toFixed(3)} | ${(r.wide2 / r.numpy).toFixed(3)} | ${r.errNngp.toExponential(1)}, ${r.errNtk.toExponential(1)} | ${r.threadsDiff.toExponential(1)} |`,
  ),
  '',
  `NumPy is numpy_cntk.py (all n² pairs vectorised; its elementwise work runs on one thread). Wide computes the x2 = x1 kernel's upper triangle, each network as one fused chain per sample pair (CNN-V on same-position covariances, CNN-GAP on the P×P blocks of all position pairs).`,
  rows.some((r) => !r.declaredSteps) ? 'The conv, flatten and globalAvgPool layers did not declare their fused-chain steps themselves; the benchmark attached the documented ones (network.ts).' : '',
].join('\n');
process.stdout.write(table + '\n');
const bad = rows.filter((r) => Math.max(r.errNngp, r.errNtk) > 1e-10);
if (bad.length) throw new Error(`Wide and NumPy disagree beyond 1e-10 on ${bad.map((r) => r.net).join(', ')}`);
if (!quick) {
  writeFileSync(join(here, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), rounds, rows }, null, 2) + '\n');
  writeFileSync(join(here, 'results.md'), table + '\n');
}
