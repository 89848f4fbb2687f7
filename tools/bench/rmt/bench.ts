/**
 * `pnpm --filter @wide/bench bench:rmt`: the random-matrix package (@wide/rmt) on Fan & Wang's
 * Figure 1 setting (i.i.d. N(0, 1/d₀) inputs, n/d₀ = 3, five layers with n/d_ℓ = ½, normalised
 * arctan):
 *
 * - limit densities: the CK (Theorem 3.4) and NTK (Theorem 3.7) limit densities on 2,000-point
 *   uniform grids ([0.001, 14] and [2, 60]) at L = 5, η = 1e-8, from building the model (the
 *   activation constants by quadrature) to the last point; with the Newton iterations per point
 *   and the points that did not converge. No NumPy peer: no Python library computes these laws.
 * - finite-width simulation: `fig1` (n = 3,000, d₀ = 1,000, five layers of width 6,000, every
 *   layer's Gram for Lemma 3.5's NTK stand-in, then the eigenvalues of the CK and of the stand-in),
 *   `fig1-1500` (the same at n = 1,500, the package's acceptance test) and `square` (n = 3,000,
 *   d₀ = 1,000, three ReLU layers of width 3,000, the CK and its eigenvalues), with the KS distance
 *   of the simulated spectra to the limit laws (fig1), against the same network in NumPy
 *   (numpy_rmt.py: OpenBLAS products, np.linalg.eigvalsh) in the same run.
 *
 * Rounds are interleaved (Wide, NumPy); each figure is the best round. Writes results.md and
 * results.json next to this file.
 *
 * Options: --rounds 1 --configs fig1,fig1-1500,square --no-numpy --quick (n = 600, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Rng, cpuBackend, cpuThreads } from '@wide/core';
import { activations, eigenvalues, fanWang, geometricGrid, ksDistance, lemma35Matrix, linearGrid, marchenkoPastur, mergeGrids, simulateNetwork } from '@wide/rmt';
import { benchArgs } from '../args.js';

const { here, args, opt, quick } = benchArgs(import.meta.url);
const rounds = Number(opt('rounds', '1'));
const configs = opt('configs', 'fig1,fig1-1500,square').split(',');
const withNumpy = !args.includes('--no-numpy');

const best = (x: number[]) => Math.min(...x);
const seconds = (t0: number) => (performance.now() - t0) / 1000;

function py(argv: string[]): Record<string, number> {
  const r = spawnSync('python3', [join(here, 'numpy_rmt.py'), ...argv], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: process.env['OPENBLAS_NUM_THREADS'] ?? String(availableParallelism()) } });
  if (r.status !== 0) throw new Error(`numpy_rmt.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const model = () => fanWang({ input: marchenkoPastur(3), gammas: [0.5, 0.5, 0.5, 0.5, 0.5], activations: activations.arctan(), normalize: true });

interface LimitRow { what: string; seconds: number[]; iterationsPerPoint: number; failures: number }

function limits(): LimitRow[] {
  const rows: LimitRow[] = [
    { what: 'CK density, 2,000 points on [0.001, 14]', seconds: [], iterationsPerPoint: 0, failures: 0 },
    { what: 'NTK density, 2,000 points on [2, 60]', seconds: [], iterationsPerPoint: 0, failures: 0 },
  ];
  for (let r = 0; r < Math.max(2, rounds); r++) {
    let t = performance.now();
    const ck = model().ck().density(linearGrid(0.001, 14, 2000));
    rows[0]!.seconds.push(seconds(t));
    t = performance.now();
    const ntk = model().ntk().density(linearGrid(2, 60, 2000));
    rows[1]!.seconds.push(seconds(t));
    rows[0]!.iterationsPerPoint = ck.iterations.reduce((s, v) => s + v, 0) / 2000;
    rows[0]!.failures = ck.failures;
    rows[1]!.iterationsPerPoint = ntk.iterations.reduce((s, v) => s + v, 0) / 2000;
    rows[1]!.failures = ntk.failures;
  }
  rows.forEach((row) => (row.seconds = row.seconds.slice(1))); // the first round warms the JIT
  return rows;
}

interface SimRow {
  config: string;
  shape: string;
  wide: { forward: number[]; eigCk: number[]; eigNtk: number[] };
  numpy: { forward: number[]; eigCk: number[]; eigNtk: number[] };
  ksCk: number;
  ksNtk: number;
}

/** The simulations: Figure 1 at n = 3000 (and at n = 1500, as in the package's acceptance test), and a square ReLU net. */
const CONFIGS: Record<string, { n: number; fig1: boolean }> = {
  fig1: { n: 3000, fig1: true },
  'fig1-1500': { n: 1500, fig1: true },
  square: { n: 3000, fig1: false },
};

function simulate(config: string): SimRow {
  const c = CONFIGS[config];
  if (!c) throw new Error(`unknown config ${config} (known: ${Object.keys(CONFIGS).join(', ')})`);
  const fig1 = c.fig1;
  const n = quick ? 600 : c.n;
  const d0 = fig1 ? n / 3 : 1000 * (n / 3000);
  const widths = fig1 ? [2 * n, 2 * n, 2 * n, 2 * n, 2 * n] : [n, n, n];
  const act = fig1 ? 'arctan' : 'relu';
  const row: SimRow = { config, shape: `n = ${n}, d₀ = ${d0}, widths ${widths.length} × ${widths[0]}, ${act}`, wide: { forward: [], eigCk: [], eigNtk: [] }, numpy: { forward: [], eigCk: [], eigNtk: [] }, ksCk: NaN, ksNtk: NaN };
  const m = model();
  for (let r = 0; r < rounds; r++) {
    const x = new Rng(2020 + r).normals(n * d0, 1 / Math.sqrt(d0));
    let t = performance.now();
    const sim = simulateNetwork({ x, n, d0, widths, activations: fig1 ? m.activations! : activations.relu(), seed: r, grams: fig1 });
    row.wide.forward.push(seconds(t));
    t = performance.now();
    const eck = eigenvalues(sim.ck, n);
    row.wide.eigCk.push(seconds(t));
    if (fig1) {
      const stand = lemma35Matrix(sim.grams!, n, m.lemma35());
      t = performance.now();
      const entk = eigenvalues(stand, n);
      row.wide.eigNtk.push(seconds(t));
      row.ksCk = ksDistance(eck, m.ck().density(mergeGrids(geometricGrid(1e-4, 0.5, 600), linearGrid(0.5, 14, 600)))).distance;
      row.ksNtk = ksDistance(entk, m.ntk().density(mergeGrids(linearGrid(2.5, 4.6, 700), linearGrid(4.6, 60, 700)))).distance;
    }
    if (withNumpy) {
      const out = py(['time', '--n', String(n), '--d0', String(d0), '--widths', widths.join(','), '--act', act, '--seed', String(r), ...(fig1 ? ['--grams'] : [])]);
      row.numpy.forward.push(out['forward']!);
      row.numpy.eigCk.push(out['eig_ck']!);
      if (fig1) row.numpy.eigNtk.push(out['eig_ntk']!);
    }
  }
  return row;
}

const fmt = (x: number[]) => (x.length ? best(x).toFixed(x.length && best(x) < 1 ? 3 : 1) : '—');

function main(): void {
  const load0 = loadavg()[0]!;
  const limitRows = limits();
  const simRows = configs.map(simulate);
  const header = `@wide/rmt — ${cpus()[0]?.model.trim() ?? 'CPU'}, ${cpuThreads()} threads, Node ${process.version}, backend ${cpuBackend.name}; load average ${load0.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end. Best of ${rounds} round(s).`;
  const lines = [
    header,
    '',
    '| limit density (Fan–Wang Figure 1, L = 5) | seconds | Newton iterations per point | points not converged |',
    '|---|---|---|---|',
    ...limitRows.map((r) => `| ${r.what} | ${fmt(r.seconds)} | ${r.iterationsPerPoint.toFixed(1)} | ${r.failures} |`),
    '',
    '| simulation | Wide forward + Grams (s) | NumPy (s) | Wide eigvalsh CK (s) | NumPy (s) | Wide eigvalsh NTK stand-in (s) | NumPy (s) | KS CK / NTK vs the limit |',
    '|---|---|---|---|---|---|---|---|',
    ...simRows.map((r) => `| ${r.shape} | ${fmt(r.wide.forward)} | ${fmt(r.numpy.forward)} | ${fmt(r.wide.eigCk)} | ${fmt(r.numpy.eigCk)} | ${fmt(r.wide.eigNtk)} | ${fmt(r.numpy.eigNtk)} | ${Number.isFinite(r.ksCk) ? `${r.ksCk.toFixed(4)} / ${r.ksNtk.toFixed(4)}` : '—'} |`),
    '',
    '- Limit densities: from building the model (activation constants by quadrature) to the last grid point; the first of the rounds warms the JIT and is dropped.',
    '- Simulation: `simulateNetwork` (products through the backend\'s Gram op, WebAssembly SIMD) and `eigenvalues` (Backend.eigvalsh); NumPy does the same network with OpenBLAS products and np.linalg.eigvalsh (its own random numbers). fig1 computes every layer\'s Gram (Lemma 3.5), square only the last.',
  ];
  const md = lines.join('\n') + '\n';
  console.log(md);
  if (!quick) {
    writeFileSync(join(here, 'results.md'), md);
    writeFileSync(join(here, 'results.json'), JSON.stringify({ header, limits: limitRows, simulations: simRows }, null, 2) + '\n');
  }
}

main();
