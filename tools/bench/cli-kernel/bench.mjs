#!/usr/bin/env node
// Whole-process benchmark of `wide kernel` (issue 7): NNGP + NTK of the depth-5 ReLU network
// dense(√2, 0.1) [relu dense(√2, 0.1)]×5 on n MNIST images, .npy in and out, against the NumPy
// peer (numpy_cli.py: the same recursion, natural and optimized, np.load/np.save) as processes in
// the same run, interleaved rounds (this VM is noisy); best of the rounds. Also: peak RSS
// (/usr/bin/time) and the
// largest relative difference of the kernels. The NumPy peer runs with OpenBLAS's own CPU
// detection (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set on some machines here, are removed for it). Writes results.md and results.json here.
// Options: --sizes 2000,5000 --rounds 3 --quick (n = 500, 1 round).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const quick = args.includes('--quick');
const sizes = (quick ? '500' : opt('sizes', '2000,5000')).split(',').map(Number);
const rounds = Number(opt('rounds', quick ? '1' : '3'));

const wideBin = join(root, 'node_modules', '.bin', 'wide');
if (!existsSync(wideBin)) throw new Error(`${wideBin} is missing: run pnpm install (it builds and links the CLI) first`);
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command; returns wall seconds and peak RSS in MB (when /usr/bin/time exists). */
const numpyEnv = { OPENBLAS_NUM_THREADS: '2', OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined };
function run(cmd, argv, env = {}) {
  const full = timeBin ? [timeBin, ['-f', '%M', cmd, ...argv]] : [cmd, argv];
  const t0 = performance.now();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  const rss = timeBin ? Number(r.stderr.trim().split('\n').pop()) / 1024 : NaN;
  return { seconds, rss };
}

/** A float64 .npy (version 1) as a Float64Array. */
function readF8(path) {
  const b = readFileSync(path);
  const hl = b.readUInt16LE(8);
  return new Float64Array(b.buffer.slice(b.byteOffset + 10 + hl, b.byteOffset + b.length));
}
function maxRelDiff(a, b) {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(b[i]) > 1e-3 * scale) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}

const tmp = mkdtempSync(join(tmpdir(), 'wide-cli-bench-'));
const arch = { layers: [{ type: 'dense', wStd: Math.SQRT2, bStd: 0.1 }, ...Array.from({ length: 5 }, () => [{ type: 'relu' }, { type: 'dense', wStd: Math.SQRT2, bStd: 0.1 }]).flat()] };
const archPath = join(tmp, 'arch.json');
writeFileSync(archPath, JSON.stringify(arch));
const rows = [];
try {
  // Inputs: the first n MNIST training images, standardised, written by Wide's own data package.
  const make = spawnSync(process.execPath, ['-e', `
    const { loadMnist, writeNpy } = await import('@wide/data');
    for (const n of ${JSON.stringify(sizes)}) {
      const { x } = loadMnist({ split: 'train', count: n, normalize: 'standardize' });
      writeNpy(${JSON.stringify(tmp)} + '/x' + n + '.npy', x.data, [n, x.data.length / n]);
    }`, '--input-type=module'], { cwd: join(root, 'apps', 'cli'), encoding: 'utf8' });
  if (make.status !== 0) throw new Error(make.stderr);

  for (const n of sizes) {
    const x = join(tmp, `x${n}.npy`);
    const best = { wide: { seconds: Infinity, rss: 0 }, natural: { seconds: Infinity, rss: 0 }, optimized: { seconds: Infinity, rss: 0 } };
    // Every run writes into a new folder, as a user's single run does (no page cache of an earlier
    // output to overwrite); the folders of all but the last round are removed as the rounds go.
    let dirs = null;
    for (let r = 0; r < rounds; r++) {
      if (dirs) for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
      dirs = { wide: join(tmp, `w${n}-${r}`), natural: join(tmp, `n${n}-${r}`), optimized: join(tmp, `o${n}-${r}`) };
      for (const d of Object.values(dirs)) mkdirSync(d);
      const steps = [
        ['wide', () => run(wideBin, ['kernel', '--arch', archPath, '--x1', x, '--out-dir', dirs.wide, '--quiet'])],
        ['natural', () => run('python3', [join(here, 'numpy_cli.py'), '--x', x, '--variant', 'natural', '--out-dir', dirs.natural], numpyEnv)],
        ['optimized', () => run('python3', [join(here, 'numpy_cli.py'), '--x', x, '--variant', 'optimized', '--out-dir', dirs.optimized], numpyEnv)],
      ];
      for (const [name, f] of r % 2 ? steps.reverse() : steps) {
        const m = f();
        if (m.seconds < best[name].seconds) best[name] = m;
      }
      process.stderr.write(`n=${n} round ${r + 1}: wide ${best.wide.seconds.toFixed(2)} s, numpy natural ${best.natural.seconds.toFixed(2)} s, optimized ${best.optimized.seconds.toFixed(2)} s\n`);
    }
    const diff = {
      nngp: maxRelDiff(readF8(join(dirs.wide, 'nngp.npy')), readF8(join(dirs.natural, 'nngp.npy'))),
      ntk: maxRelDiff(readF8(join(dirs.wide, 'ntk.npy')), readF8(join(dirs.natural, 'ntk.npy'))),
    };
    rows.push({ n, wide: best.wide, natural: best.natural, optimized: best.optimized, outputsMB: (2 * n * n * 8) / 1e6, diff });
  }

  const numpyVersion = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const f = (s) => s.toFixed(2);
  const md = [
    `Whole process, \`wide kernel\` (.npy in, nngp.npy + ntk.npy out) vs the NumPy peer, depth-5 ReLU, MNIST n×784, float64 — ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}, NumPy ${numpyVersion}; best of ${rounds} interleaved round(s), ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| n | wide (s) | NumPy natural (s) | NumPy optimized (s) | wide / natural | wide / optimized | peak RSS wide (MB) | outputs (MB) | RSS / outputs | max rel. diff NNGP | NTK |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.n} | ${f(r.wide.seconds)} | ${f(r.natural.seconds)} | ${f(r.optimized.seconds)} | ${f(r.wide.seconds / r.natural.seconds)} | ${f(r.wide.seconds / r.optimized.seconds)} | ${r.wide.rss.toFixed(0)} | ${r.outputsMB.toFixed(0)} | ${(r.wide.rss / r.outputsMB).toFixed(2)} | ${r.diff.nngp.toExponential(1)} | ${r.diff.ntk.toExponential(1)} |`),
    '',
    'Start-up alone is measured by tools/bench/startup.',
    '',
  ].join('\n');
  writeFileSync(join(here, 'results.md'), md);
  writeFileSync(join(here, 'results.json'), JSON.stringify({ rows }, null, 2) + '\n');
  process.stdout.write(md);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
