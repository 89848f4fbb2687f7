/**
 * `pnpm --filter @wide/bench bench:linalg`: dense float64 linear algebra of Wide's CPU backend
 * against NumPy/SciPy (LAPACK through OpenBLAS) in the same run, at n = 1,000 / 2,000 / 4,000:
 *
 * - Cholesky factorisation + solve with 10 right-hand sides (np.linalg.cholesky +
 *   scipy.linalg.cho_solve) of an SPD matrix G·Gᵀ/n + I;
 * - all eigenvalues (np.linalg.eigvalsh) of a symmetric Gaussian matrix (G + Gᵀ)/2;
 * - the full eigendecomposition (np.linalg.eigh) of the same matrix.
 *
 * The matrices are made by numpy_linalg.py (as .npy, read by both sides). Rounds are interleaved
 * (Wide, NumPy, Wide, NumPy, …), each NumPy round a fresh process; every figure is the best
 * round, the median is kept in results.json. Results of Wide are released between calls, so
 * Wide's arena is reused as in a long-running process (the first, cold call of a process also
 * pays the page faults of fresh memory: the first round is reported separately as 'cold', after a
 * warm-up of the JIT on n = 300). Writes results.md and results.json
 * next to this file.
 *
 * Options: --sizes 1000,2000,4000 --rounds 3 --quick (n = 500, one round, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '@wide/data';
import { cholesky, choleskySolve, cpuBackend, cpuThreads, eigh, eigvalsh } from '@wide/core';
import { benchArgs } from '../args.js';

const { here, args, opt, quick } = benchArgs(import.meta.url);
const sizes = (quick ? '500' : opt('sizes', '1000,2000,4000')).split(',').map(Number);
const rounds = Number(opt('rounds', quick ? '1' : '3'));
const RHS = 10;
const OPS = ['cholesky', 'solve', 'eigvalsh', 'eigh'] as const;
type Op = (typeof OPS)[number];

const gc = (globalThis as { gc?: () => void }).gc;
/** Lets finalisers run and frees what the last call returned. */
async function settle(): Promise<void> {
  gc?.();
  await new Promise((r) => setImmediate(r));
  gc?.();
  await new Promise((r) => setImmediate(r));
}

function py(argv: string[]): string {
  const r = spawnSync('python3', [join(here, 'numpy_linalg.py'), ...argv], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: process.env['OPENBLAS_NUM_THREADS'] ?? String(availableParallelism()) } });
  if (r.status !== 0) throw new Error(`numpy_linalg.py ${argv[0]} failed: ${r.stderr}`);
  return r.stdout;
}

const maxAbs = (x: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
};

interface Row {
  n: number;
  wide: Record<Op, number[]>;
  numpy: Record<Op, number[]>;
  cold: Record<Op, number>;
  errEigvalsh: number;
  errEigh: number;
  orthEigh: number;
  errSolve: number;
}

const median = (x: number[]) => {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const best = (x: number[]) => Math.min(...x);

async function main(): Promise<void> {
  const load0 = loadavg();
  const rows: Row[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'wide-linalg-'));
  let versions = '';
  try {
    // Warm the JIT and the WebAssembly tiers on a small problem first.
    {
      const w = 300;
      const a = new Float64Array(w * w);
      for (let i = 0; i < w; i++) for (let j = 0; j < w; j++) a[i * w + j] = i === j ? w : Math.sin(i * 7 + j * 3) + Math.sin(j * 7 + i * 3);
      for (let q = 0; q < 2; q++) {
        choleskySolve(cholesky(a, w), w, new Float64Array(w * RHS).fill(1), RHS);
        eigvalsh(a, w);
        eigh(a, w);
      }
      await settle();
    }
    for (const n of sizes) {
      process.stderr.write(`n=${n}: generating matrices with NumPy…\n`);
      py(['gen', '--n', String(n), '--dir', tmp]);
      const spd = readNpy(join(tmp, `spd_${n}.npy`)).data as Float64Array;
      const sym = readNpy(join(tmp, `sym_${n}.npy`)).data as Float64Array;
      const rhs = readNpy(join(tmp, `rhs_${n}.npy`)).data as Float64Array;
      const evRef = readNpy(join(tmp, `ev_${n}.npy`)).data as Float64Array;
      const xRef = readNpy(join(tmp, `x_${n}.npy`)).data as Float64Array;
      const row: Row = {
        n,
        wide: { cholesky: [], solve: [], eigvalsh: [], eigh: [] },
        numpy: { cholesky: [], solve: [], eigvalsh: [], eigh: [] },
        cold: { cholesky: 0, solve: 0, eigvalsh: 0, eigh: 0 },
        errEigvalsh: 0,
        errEigh: 0,
        orthEigh: 0,
        errSolve: 0,
      };
      for (let r = 0; r < rounds; r++) {
        const t: Record<Op, number> = { cholesky: 0, solve: 0, eigvalsh: 0, eigh: 0 };
        let t0 = performance.now();
        const L = cholesky(spd, n);
        t.cholesky = (performance.now() - t0) / 1000;
        t0 = performance.now();
        const x = choleskySolve(L, n, rhs, RHS);
        t.solve = (performance.now() - t0) / 1000;
        row.errSolve = Math.max(row.errSolve, maxAbs(x.map((v, i) => v - xRef[i]!)) / maxAbs(xRef));
        cpuBackend.release?.(L);
        cpuBackend.release?.(x);
        await settle();
        t0 = performance.now();
        const ev = eigvalsh(sym, n);
        t.eigvalsh = (performance.now() - t0) / 1000;
        const scale = maxAbs(evRef);
        row.errEigvalsh = Math.max(row.errEigvalsh, maxAbs(ev.map((v, i) => v - evRef[i]!)) / scale);
        await settle();
        t0 = performance.now();
        const { values, vectors } = eigh(sym, n);
        t.eigh = (performance.now() - t0) / 1000;
        row.errEigh = Math.max(row.errEigh, maxAbs(values.map((v, i) => v - evRef[i]!)) / scale);
        // Residual and orthogonality on 16 sampled eigenpairs (the full check is O(n³)).
        for (let q = 0; q < 16; q++) {
          const p = Math.floor((q * (n - 1)) / 15);
          const p2 = Math.floor(((q + 7) % 16) * (n - 1) / 15);
          let res = 0;
          let dotpp = 0;
          let dotpq = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += sym[i * n + k]! * vectors[k * n + p]!;
            res = Math.max(res, Math.abs(s - values[p]! * vectors[i * n + p]!));
            dotpp += vectors[i * n + p]! ** 2;
            dotpq += vectors[i * n + p]! * vectors[i * n + p2]!;
          }
          row.errEigh = Math.max(row.errEigh, res / scale);
          row.orthEigh = Math.max(row.orthEigh, Math.abs(dotpp - 1), p === p2 ? 0 : Math.abs(dotpq));
        }
        cpuBackend.release?.(vectors);
        await settle();
        if (r === 0) row.cold = { ...t };
        for (const op of OPS) row.wide[op].push(t[op]);
        const out = JSON.parse(py(['time', '--n', String(n), '--dir', tmp]).trim().split('\n').pop()!) as { numpy: string; scipy: string | null; seconds: Record<Op, number> };
        versions = `NumPy ${out.numpy}${out.scipy ? `, SciPy ${out.scipy}` : ''}`;
        for (const op of OPS) row.numpy[op].push(out.seconds[op]);
        process.stderr.write(
          `n=${n} round ${r + 1}: ` + OPS.map((op) => `${op} wide ${t[op].toFixed(3)} s / numpy ${out.seconds[op].toFixed(3)} s`).join(', ') + ` (load ${loadavg()[0]!.toFixed(2)})\n`,
        );
      }
      rows.push(row);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const load1 = loadavg();
  const kernels = process.env['WIDE_KERNELS'] === 'js' ? 'plain JS kernels' : `WebAssembly SIMD kernels (relaxed FMA where the engine validates it), ${cpuThreads()} threads`;
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.version}, ${kernels}; ${versions}, OPENBLAS_NUM_THREADS=${process.env['OPENBLAS_NUM_THREADS'] ?? availableParallelism()}`;
  const fmt = (x: number) => (x < 0.1 ? x.toFixed(3) : x.toFixed(2));
  const lines = [
    `Dense float64 linear algebra, Wide vs NumPy/LAPACK — ${machine}. Best of ${rounds} interleaved round(s); load average ${load0[0]!.toFixed(2)} at the start, ${load1[0]!.toFixed(2)} at the end.`,
    '',
    '| n | operation | Wide (s) | NumPy (s) | Wide / NumPy | Wide median (s) | NumPy median (s) | Wide cold (s) | accuracy |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const chol = (k: 'wide' | 'numpy', f: (x: number[]) => number) => f(r[k].cholesky.map((v, i) => v + r[k].solve[i]!));
    lines.push(`| ${r.n} | Cholesky + solve (${RHS} RHS) | ${fmt(chol('wide', best))} | ${fmt(chol('numpy', best))} | ${(chol('wide', best) / chol('numpy', best)).toFixed(2)} | ${fmt(chol('wide', median))} | ${fmt(chol('numpy', median))} | ${fmt(r.cold.cholesky + r.cold.solve)} | x vs NumPy ${r.errSolve.toExponential(1)} |`);
    lines.push(`| ${r.n} | eigenvalues (eigvalsh) | ${fmt(best(r.wide.eigvalsh))} | ${fmt(best(r.numpy.eigvalsh))} | ${(best(r.wide.eigvalsh) / best(r.numpy.eigvalsh)).toFixed(2)} | ${fmt(median(r.wide.eigvalsh))} | ${fmt(median(r.numpy.eigvalsh))} | ${fmt(r.cold.eigvalsh)} | vs NumPy ${r.errEigvalsh.toExponential(1)}·‖A‖ |`);
    lines.push(`| ${r.n} | eigendecomposition (eigh) | ${fmt(best(r.wide.eigh))} | ${fmt(best(r.numpy.eigh))} | ${(best(r.wide.eigh) / best(r.numpy.eigh)).toFixed(2)} | ${fmt(median(r.wide.eigh))} | ${fmt(median(r.numpy.eigh))} | ${fmt(r.cold.eigh)} | residual ${r.errEigh.toExponential(1)}·‖A‖, orth. ${r.orthEigh.toExponential(1)} |`);
  }
  lines.push(
    '',
    `- Matrices: SPD G·Gᵀ/n + I for Cholesky (solve with ${RHS} right-hand sides: np.linalg.cholesky + scipy.linalg.cho_solve), the symmetric Gaussian (G + Gᵀ)/2 for eigvalsh/eigh (little deflation in divide and conquer: a hard case; kernel matrices deflate much more). Same .npy data on both sides.`,
    '- Wide / NumPy uses the best round of each; "Wide cold" is the first round at that n (JIT warm from n = 300, but the arena may have to grow: page faults of fresh memory).',
    '- Accuracy: Cholesky solution vs NumPy\'s (relative, max norm); eigenvalues vs NumPy\'s, divided by max |λ|; eigh residual max |A·v − λ·v| / max |λ| and orthogonality on 16 sampled eigenpairs.',
    '- The VM is shared: rounds where another job ran show up as the gap between best and median. OpenBLAS (spinning threads) degrades more under load than Wide does.',
  );
  const table = lines.join('\n');
  process.stdout.write(table + '\n');
  if (!quick) {
    writeFileSync(join(here, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), rounds, loadavg: [load0[0], load1[0]], rows }, null, 2) + '\n');
    writeFileSync(join(here, 'results.md'), table + '\n');
  }
}

await main();
