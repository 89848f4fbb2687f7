// `wide predict` end to end (its own process): t = 0 is the initial mean (0, or the network's f₀
// with --with-init), t = inf is kernel regression on the same kernel, the training loss falls,
// --cov is symmetric PSD; errors are one line, exit 2 for usage and 1 otherwise, and no file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, computeKernel, cpuBackend } from '@wide/core';
import { encodeNpy } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { fitKernelRegression } from '@wide/solver';
import { runWide, tempDir } from './run-cli.js';

const arch = { layers: [{ type: 'dense', width: 32, wStd: 1.5, bStd: 0.1 }, { type: 'relu' }, { type: 'dense', width: 2, wStd: 1.2, bStd: 0.05 }] };
const n = 6;
const m = 4;
const d = 3;
const k = 2;

/** Architecture, inputs and labels in a fresh folder (labels of `yRows` rows). */
function fixture(yRows = n) {
  const dir = tempDir();
  const p = { dir, arch: join(dir, 'arch.json'), x: join(dir, 'x.npy'), y: join(dir, 'y.npy'), t: join(dir, 't.npy'), out: join(dir, 'out.json') };
  writeFileSync(p.arch, JSON.stringify(arch));
  const x = new Rng(1).normals(n * d);
  const xt = new Rng(2).normals(m * d);
  const y = new Rng(3).normals(yRows * k);
  writeFileSync(p.x, encodeNpy(x, [n, d]));
  writeFileSync(p.t, encodeNpy(xt, [m, d]));
  writeFileSync(p.y, encodeNpy(y, [yRows, k]));
  return { ...p, data: { x, xt, y } };
}

type Out = { t: (number | 'inf')[]; kernel: string; train_loss: number[]; mean_train: number[][][]; mean_test: number[][][]; cov_test: number[][][] | null };
const maxRelErr = (got: number[], want: ArrayLike<number>) => Math.max(...got.map((g, i) => Math.abs(g - want[i]!) / Math.max(1e-300, Math.abs(want[i]!))));

describe('wide predict', () => {
  it('--help lists every option', () => {
    const r = runWide(['predict', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--arch', '--x-train', '--y-train', '--x-test', '--kernel', '--t <times>', '--lr', '--discrete', '--momentum', '--loss', '--ridge', '--cov', '--with-init', '--seed', '--out', '--json', '--quiet']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/default: 0,10,100,1000,inf/);
  });

  it('t = 0: the initial mean 0; t = inf: kernel regression; the train loss falls; --cov symmetric PSD', () => {
    const f = fixture();
    const r = runWide(['predict', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--t', '0,1,10,100,inf', '--cov', '--out', f.out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/NNGP and NTK train×train \(6×6\) done in/);
    expect(r.stdout).toMatch(/^t = inf: train loss 0\.000e\+0$/m);
    const out = JSON.parse(readFileSync(f.out, 'utf8')) as Out;
    expect(out.t).toEqual([0, 1, 10, 100, 'inf']);
    expect(out.kernel).toBe('ntk');
    expect([out.mean_train.length, out.mean_train[0]!.length, out.mean_train[0]![0]!.length]).toEqual([5, n, k]);
    expect([out.mean_test.length, out.mean_test[0]!.length, out.mean_test[0]![0]!.length]).toEqual([5, m, k]);
    expect(out.mean_train[0]!.flat().every((v) => v === 0)).toBe(true);
    expect(out.mean_test[0]!.flat().every((v) => v === 0)).toBe(true);
    // t = ∞ is kernel regression on the same NTK (Cholesky), and interpolates the training labels.
    const net = fromArchitecture(arch);
    const kTrain = computeKernel(net, { data: f.data.x, shape: [n, d] }, null, { get: ['ntk'] });
    const kTest = computeKernel(net, { data: f.data.xt, shape: [m, d] }, { data: f.data.x, shape: [n, d] }, { get: ['ntk'] });
    const regression = fitKernelRegression(kTrain.ntk!, n, f.data.y, k).predict(kTest.ntk!, m);
    expect(maxRelErr(out.mean_test[4]!.flat(), regression)).toBeLessThan(1e-8);
    expect(maxRelErr(out.mean_train[4]!.flat(), f.data.y)).toBeLessThan(1e-8);
    for (let i = 1; i < 5; i++) expect(out.train_loss[i]!).toBeLessThan(out.train_loss[i - 1]!);
    expect(out.train_loss[0]).toBeCloseTo(0.5 * f.data.y.reduce((s, v) => s + v * v, 0) / (n * k), 14);
    // The ensemble covariance: m×m per time, symmetric, PSD; at t = 0 the NNGP prior K(X*, X*).
    expect(out.cov_test).toHaveLength(5);
    const prior = computeKernel(net, { data: f.data.xt, shape: [m, d] }, null, { get: ['nngp'] }).nngp;
    expect(maxRelErr(out.cov_test![0]!.flat(), prior)).toBeLessThan(1e-12);
    for (const c of out.cov_test!) {
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) expect(c[i]![j]).toBe(c[j]![i]);
      const ev = cpuBackend.eigvalsh(Float64Array.from(c.flat()), m);
      expect(Math.min(...ev)).toBeGreaterThan(-1e-10 * Math.max(...ev));
    }
    // The posterior at t = ∞ is tighter than the prior.
    expect(out.cov_test![4]![0]![0]!).toBeLessThan(out.cov_test![0]![0]![0]!);
  });

  it('--with-init --seed: t = 0 is that finite network’s f₀; discrete steps and --json', () => {
    const f = fixture();
    const r = runWide(['predict', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--t', '0,3,inf', '--with-init', '--seed', '7', '--discrete', '--lr', '0.5', '--json', '--quiet', '--out', f.out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ out: f.out, n, m, outputs: k, kernel: 'ntk', loss: 'mse', t: [0, 3, 'inf'] });
    const out = JSON.parse(readFileSync(f.out, 'utf8')) as Out & { with_init: boolean; seed: number; discrete: boolean };
    expect(out).toMatchObject({ with_init: true, seed: 7, discrete: true });
    const net = fromArchitecture(arch);
    const { params } = net.init(new Rng(7), [d], {});
    const f0 = (x: Float64Array, rows: number) => (net.forward(params, { data: x, shape: [rows, d] }).y as { data: Float64Array }).data;
    expect(out.mean_train[0]!.flat()).toEqual(Array.from(f0(f.data.x, n)));
    expect(out.mean_test[0]!.flat()).toEqual(Array.from(f0(f.data.xt, m)));
    expect(out.mean_test[1]!.flat()).not.toEqual(out.mean_test[0]!.flat());
    expect(maxRelErr(out.mean_train[2]!.flat(), f.data.y)).toBeLessThan(1e-8);
  });

  it('errors: one line, exit 2 for usage and 1 otherwise, and no output file', () => {
    const f = fixture();
    const base = ['predict', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--out', f.out, '--quiet'];
    const cases: [string[], number, RegExp][] = [
      [['--t', '0,-1'], 2, /^wide: error: --t: expected comma-separated times ≥ 0 \(inf for t = ∞\), got "-1"$/],
      [['--loss', 'xent', '--t', '1,inf'], 2, /^wide: error: --t: t = inf is defined for --loss mse only/],
      [['--cov', '--with-init'], 2, /^wide: error: --cov: .*cannot be combined with --with-init/],
      [['--seed', '3'], 2, /^wide: error: --seed: .*add --with-init$/],
      [['--discrete', '--t', '0.5'], 2, /^wide: error: --t: --discrete counts steps, expected whole numbers/],
      [['--lr', '0'], 2, /^wide: error: --lr: expected a number > 0/],
      [['--discrete', '--lr', '1e6', '--t', '10'], 1, /^wide: error: --lr 1000000 is above the stable limit [\d.e+-]+ of discrete gradient descent \(2\(1\+momentum\)·n·k\/λ_max\); lower --lr$/],
    ];
    for (const [extra, code, message] of cases) {
      const r = runWide([...base, ...extra]);
      expect(r.code, extra.join(' ')).toBe(code);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(f.out)).toBe(false);
    }
    const short = fixture(n - 1);
    const r = runWide(['predict', '--arch', short.arch, '--x-train', short.x, '--y-train', short.y, '--x-test', short.t, '--out', short.out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wide: error: --y-train .*y\.npy has shape \[5, 2\], expected \(6, k\) or \(6,\): one row per sample of --x-train\n$/);
    expect(existsSync(short.out)).toBe(false);
  });

  it('t = inf on a singular kernel (a repeated training input): a one-line error naming the eigenvalue, no file', () => {
    const f = fixture();
    const x = Float64Array.from(f.data.x);
    x.set(x.subarray(0, d), d); // sample 1 = sample 0
    writeFileSync(f.x, encodeNpy(x, [n, d]));
    const r = runWide(['predict', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--t', '10,inf', '--out', f.out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wide: error: the train kernel is not positive definite: its smallest eigenvalue is [-\d.e+]+, and t = Infinity needs its inverse \(add a diagonal regulariser, --ridge\)\n$/);
    expect(existsSync(f.out)).toBe(false);
    // With a ridge the same request is fine.
    expect(runWide(['predict', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--t', '10,inf', '--ridge', '1e-3', '--out', f.out, '--quiet']).code).toBe(0);
  });
});
