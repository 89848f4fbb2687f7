/**
 * `pnpm --filter @wide/bench bench:solver`: MSE gradient-flow predictions of the infinitely wide
 * network (@wide/solver's gradientDescentMse, neural-tangents' gradient_descent_mse) at
 * n = 2,000 / 4,000 train points, m = 500 test points, k = 10 outputs: one eigendecomposition of
 * the train NTK, then the train and test outputs at 20 times (19 log-spaced over six decades of
 * the mean time scale n·k/(η·mean diag Θ), and ∞), against the same formulas in NumPy/SciPy
 * (scipy.linalg.eigh, numpy_solver.py) on the same .npy data, in the same run.
 *
 * Rounds are interleaved (Wide, NumPy, Wide, …), each NumPy round a fresh process; each figure is
 * the best round. Wide's phases: `setup` = input checks + the regularised copy + Backend.eigh
 * (WebAssembly SIMD), `predict` = all 20 times (batched: V times the n × 2·20·k block of scaled
 * Vᵀ·Y, then Θ_td times its test half; products on the backend's Gram op); NumPy's: `eigh`, then
 * `prepare` (B = Θ_td·V and Vᵀ·Y) + `times` (two products per time, as neural-tangents does).
 * Writes results.md and results.json next to this file.
 *
 * Options: --sizes 2000,4000 --rounds 1 --quick (n = 500, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuThreads } from '@wide/core';
import { readNpy } from '@wide/data';

import { gradientDescentMse } from '@wide/solver';
import { benchArgs } from '../args.js';

const { here, args, opt, quick } = benchArgs(import.meta.url);
const sizes = (quick ? '500' : opt('sizes', '2000,4000')).split(',').map(Number);
const rounds = Number(opt('rounds', '1'));
const M = 500;
const K = 10;
const ETA = 1;

function py(argv: string[]): string {
  const r = spawnSync('python3', [join(here, 'numpy_solver.py'), ...argv], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: process.env['OPENBLAS_NUM_THREADS'] ?? String(availableParallelism()) },
  });
  if (r.status !== 0) throw new Error(`numpy_solver.py ${argv[0]} failed: ${r.stderr}`);
  return r.stdout;
}

interface Row {
  n: number;
  wide: { setup: number[]; predict: number[] };
  numpy: { eigh: number[]; prepare: number[]; times: number[]; batched: number[] };
  /** max |Wide − NumPy| / max |NumPy| over all test predictions. */
  err: number;
}

const best = (x: number[]) => Math.min(...x);

async function main(): Promise<void> {
  const load0 = loadavg();
  const tmp = mkdtempSync(join(tmpdir(), 'wide-solver-'));
  const rows: Row[] = [];
  let versions = '';
  try {
    {
      // Warm the JIT and the WebAssembly tiers.
      const w = 300;
      const a = new Float64Array(w * w);
      for (let i = 0; i < w; i++) for (let j = 0; j < w; j++) a[i * w + j] = Math.exp(-((i - j) ** 2) / 50) + (i === j ? 1 : 0);
      gradientDescentMse(a, new Float64Array(w), { linalg: 'backend' }).predict([1, Infinity], { kTestTrain: a.subarray(0, 10 * w) });
    }
    for (const n of sizes) {
      process.stderr.write(`n=${n}: generating the NTK with NumPy…\n`);
      py(['gen', '--n', String(n), '--m', String(M), '--k', String(K), '--dir', tmp]);
      const theta = readNpy(join(tmp, `ntk_${n}.npy`)).data as Float64Array;
      const ttd = readNpy(join(tmp, `ntk_tt_${n}.npy`)).data as Float64Array;
      const y = readNpy(join(tmp, `y_${n}.npy`)).data as Float64Array;
      let meanDiag = 0;
      for (let i = 0; i < n; i++) meanDiag += theta[i * n + i]! / n;
      const scale = (n * K) / (ETA * meanDiag);
      const times = [...Array.from({ length: 19 }, (_, q) => scale * 10 ** (-2 + (6 * q) / 18)), Infinity];
      const row: Row = { n, wide: { setup: [], predict: [] }, numpy: { eigh: [], prepare: [], times: [], batched: [] }, err: 0 };
      for (let r = 0; r < rounds; r++) {
        let t0 = performance.now();
        const p = gradientDescentMse(theta, y, { learningRate: ETA, linalg: 'backend' });
        const setup = (performance.now() - t0) / 1000;
        t0 = performance.now();
        const out = p.predict(times, { kTestTrain: ttd });
        const predict = (performance.now() - t0) / 1000;
        row.wide.setup.push(setup);
        row.wide.predict.push(predict);
        const res = JSON.parse(py(['time', '--n', String(n), '--dir', tmp, '--lr', String(ETA), '--times', times.map(String).join(',')]).trim().split('\n').pop()!) as {
          numpy: string;
          scipy: string;
          seconds: { eigh: number; prepare: number; times: number; batched: number };
        };
        versions = `NumPy ${res.numpy}, SciPy ${res.scipy}`;
        row.numpy.eigh.push(res.seconds.eigh);
        row.numpy.prepare.push(res.seconds.prepare);
        row.numpy.times.push(res.seconds.times);
        row.numpy.batched.push(res.seconds.batched);
        const ref = readNpy(join(tmp, `pred_${n}.npy`)).data as Float64Array;
        let num = 0;
        let den = 0;
        out.forEach((o, q) => {
          for (let i = 0; i < M * K; i++) {
            num = Math.max(num, Math.abs(o.test![i]! - ref[q * M * K + i]!));
            den = Math.max(den, Math.abs(ref[q * M * K + i]!));
          }
        });
        row.err = Math.max(row.err, num / den);
        process.stderr.write(
          `n=${n} round ${r + 1}: Wide setup ${setup.toFixed(2)} s + predict ${predict.toFixed(2)} s; NumPy eigh ${res.seconds.eigh.toFixed(2)} s + batched ${res.seconds.batched.toFixed(2)} s (neural-tangents order ${(res.seconds.prepare + res.seconds.times).toFixed(2)} s) (load ${loadavg()[0]!.toFixed(2)})\n`,
        );
      }
      rows.push(row);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const load1 = loadavg();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.version}, WebAssembly SIMD linear algebra on ${cpuThreads()} threads; ${versions}, OPENBLAS_NUM_THREADS=${process.env['OPENBLAS_NUM_THREADS'] ?? availableParallelism()}`;
  const f = (x: number) => (x < 0.1 ? x.toFixed(3) : x.toFixed(2));
  const lines = [
    `MSE gradient-flow predictions, m = ${M} test points, k = ${K} outputs, 20 times (one eigendecomposition) — ${machine}. Best of ${rounds} interleaved round(s); load average ${load0[0]!.toFixed(2)} at the start, ${load1[0]!.toFixed(2)} at the end.`,
    '',
    '| n | Wide eigh (+ checks) s | NumPy eigh s | ratio | Wide 20 t s | NumPy 20 t, same order s | ratio | NumPy 20 t, neural-tangents order s | Wide total s | NumPy total s | ratio | test outputs vs NumPy |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const ws = best(r.wide.setup);
    const wp = best(r.wide.predict);
    const ne = best(r.numpy.eigh);
    const nb = best(r.numpy.batched);
    const nt = best(r.numpy.prepare.map((v, i) => v + r.numpy.times[i]!));
    const wTot = best(r.wide.setup.map((v, i) => v + r.wide.predict[i]!));
    const nTot = best(r.numpy.eigh.map((v, i) => v + Math.min(r.numpy.batched[i]!, r.numpy.prepare[i]! + r.numpy.times[i]!)));
    lines.push(`| ${r.n} | ${f(ws)} | ${f(ne)} | ${(ws / ne).toFixed(2)} | ${f(wp)} | ${f(nb)} | ${(wp / nb).toFixed(2)} | ${f(nt)} | ${f(wTot)} | ${f(nTot)} | ${(wTot / nTot).toFixed(2)} | ${r.err.toExponential(1)} |`);
  }
  lines.push(
    '',
    '- Data: the NTK of a one-hidden-layer ReLU network (σ_w = 1.5, σ_b = 0.05) on Gaussian inputs of dimension 64, made by numpy_solver.py; labels Gaussian; the same .npy on both sides.',
    '- Ratios are Wide / NumPy (below 1: Wide faster). "Same order": NumPy batches the 20 times as Wide does, V·[e ⊙ r̂ | g ⊙ r̂] (2·n²·20·k multiply-adds) then Θ_td·(V·[g ⊙ r̂]) (m·n·20·k), cheaper than forming B = Θ_td·V (m·n²) when m > 20·k; "neural-tangents order" forms B and does two products per time. NumPy total takes the faster of the two. Test outputs: max |Wide − NumPy| / max |NumPy| over all 20 times.',
  );
  const table = lines.join('\n');
  process.stdout.write(table + '\n');
  if (!quick) {
    writeFileSync(join(here, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), rounds, loadavg: [load0[0], load1[0]], rows }, null, 2) + '\n');
    writeFileSync(join(here, 'results.md'), table + '\n');
  }
}

await main();
