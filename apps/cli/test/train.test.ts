// `wide train` end to end (its own process): finite networks of two widths trained next to the NTK
// prediction, written as JSON (and a figure); step 0 is each network's f₀ on both sides, the NTK
// mean starts at 0, the wider network stays closer to its own NTK prediction; errors are one line
// with no output files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '@wide/core';
import { encodeNpy } from '@wide/data';
import { filesIn, runWide, tempDir } from './run-cli.js';

const arch = { layers: [{ type: 'dense', width: 7, wStd: 1.5, bStd: 0.1 }, { type: 'relu' }, { type: 'dense', width: 3, wStd: 1.2, bStd: 0.05 }] };
const n = 8;
const m = 5;
const d = 4;
const k = 3;

/** One-hot labels of classes i mod k, centred. */
const labels = (rows: number) => Float64Array.from({ length: rows * k }, (_, i) => (i % k === Math.floor(i / k) % k ? 1 : 0) - 1 / k);

function fixture() {
  const dir = tempDir();
  const p = { dir, arch: join(dir, 'arch.json'), x: join(dir, 'x.npy'), y: join(dir, 'y.npy'), t: join(dir, 't.npy'), yt: join(dir, 'yt.npy'), out: join(dir, 'out.json'), plot: join(dir, 'fig.svg') };
  writeFileSync(p.arch, JSON.stringify(arch));
  writeFileSync(p.x, encodeNpy(new Rng(1).normals(n * d), [n, d]));
  writeFileSync(p.t, encodeNpy(new Rng(2).normals(m * d), [m, d]));
  writeFileSync(p.y, encodeNpy(labels(n), [n, k]));
  writeFileSync(p.yt, encodeNpy(labels(m), [m, k]));
  return p;
}

type Model = { train_loss: number[]; test_loss: number[]; train_accuracy: number[]; test_accuracy: number[]; train: number[][][]; test: number[][][] };
type Out = { steps: number[]; t: number[]; learning_rate: number; loss: string; seed: number; ntk: Model; networks: (Model & { width: number; ntk_from_f0: Model })[] };

/** The titled axes of a vega SVG, e.g. "X: t = η·step". */
const axes = (svg: string) => [...svg.matchAll(/aria-roledescription="axis" aria-label="([XY])-axis titled '([^']*)'/g)].map((m) => `${m[1]}: ${m[2]}`);
const maxAbs = (a: number[][], b: number[][]) => Math.max(...a.flat().map((v, i) => Math.abs(v - b.flat()[i]!)));

describe('wide train', () => {
  it('--help lists every option', () => {
    const r = runWide(['train', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--arch', '--x-train', '--y-train', '--x-test', '--y-test', '--widths', '--lr', '--steps', '--loss', '--seed', '--out', '--plot', '--json', '--quiet']) expect(r.stdout).toContain(flag);
  });

  it('trains widths 16 and 2048 beside the NTK prediction and writes the JSON and the figure', () => {
    const f = fixture();
    const r = runWide(['train', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--y-test', f.yt, '--widths', '16,2048', '--steps', '0,5,40', '--seed', '3', '--out', f.out, '--plot', f.plot]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/training width 2048 \(40 steps of η = [\d.]+, 8 points\) done in/);
    expect(r.stdout).toMatch(/^\| 40 \| [\d.]+ \| /m);
    expect(filesIn(f.dir)).toEqual(['arch.json', 'fig.svg', 'out.json', 't.npy', 'x.npy', 'y.npy', 'yt.npy']);
    const out = JSON.parse(readFileSync(f.out, 'utf8')) as Out;
    expect(out.steps).toEqual([0, 5, 40]);
    expect(out.t).toEqual([0, 5 * out.learning_rate, 40 * out.learning_rate]);
    expect(out.learning_rate).toBeGreaterThan(0);
    expect(out).toMatchObject({ loss: 'mse', seed: 3 });
    expect(out.networks.map((w) => w.width)).toEqual([16, 2048]);
    // The NTK mean starts at 0 and lowers the train loss.
    expect(out.ntk.train[0]!.flat().every((v) => v === 0)).toBe(true);
    expect(out.ntk.train_loss[2]).toBeLessThan(out.ntk.train_loss[0]!);
    const gaps = out.networks.map((w) => {
      expect([w.train.length, w.train[0]!.length, w.train[0]![0]!.length]).toEqual([3, n, k]);
      expect([w.test.length, w.test[0]!.length, w.test[0]![0]!.length]).toEqual([3, m, k]);
      // Step 0: the network's own outputs, and its NTK prediction starts from them.
      expect(w.ntk_from_f0.train[0]).toEqual(w.train[0]);
      expect(w.ntk_from_f0.test[0]).toEqual(w.test[0]);
      expect(w.train_loss[2]).toBeLessThan(w.train_loss[0]!);
      for (const key of ['test_loss', 'train_accuracy', 'test_accuracy'] as const) expect(w[key]).toHaveLength(3);
      return maxAbs(w.test[2]!, w.ntk_from_f0.test[2]!);
    });
    // The wide network follows its linearisation far more closely (the gap falls roughly as 1/√width).
    expect(gaps[1]!).toBeLessThan(gaps[0]! / 4);
    const svg = readFileSync(f.plot, 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(axes(svg)).toEqual(['X: t = η·step', 'Y: train loss', 'X: t = η·step', 'Y: test loss', 'X: t = η·step', 'Y: train accuracy (%)', 'X: t = η·step', 'Y: test accuracy (%)']); // 4 panels × 2 axes
    for (const text of ['train loss', 'test accuracy (%)', 't = η·step', 'width 16', 'width 2048', 'NTK prediction from the same f₀']) expect(svg).toContain(`>${text}</text>`);
  });

  it('errors: one line, exit 2 for usage and 1 otherwise, and no output files', () => {
    const f = fixture();
    const base = ['train', '--arch', f.arch, '--x-train', f.x, '--y-train', f.y, '--x-test', f.t, '--out', f.out];
    const cases: [string[], number, RegExp][] = [
      [['--widths', '16,0'], 2, /^wide: error: --widths: expected comma-separated integers ≥ 1, got "0"$/],
      [['--widths', '16', '--steps', '1.5'], 2, /^wide: error: --steps: expected comma-separated integers ≥ 0, got "1.5"$/],
      [['--widths', '16', '--plot', join(f.dir, 'fig.txt')], 2, /^wide: error: --plot: expected a file name ending in \.svg, \.png or \.json/],
      [[], 2, /^wide: error: train: .*--widths/],
      [['--widths', '16', '--lr', '1e6'], 1, /^wide: error: --lr 1000000 is above the stable limit [\d.e+-]+ of discrete gradient descent .*; lower --lr$/],
      [['--widths', '16', '--y-test', f.y], 1, /^wide: error: --y-test .*has shape \[8, 3\], expected \(5, k\)/],
    ];
    for (const [extra, code, message] of cases) {
      const r = runWide([...base, ...extra, '--quiet']);
      expect(r.code, extra.join(' ')).toBe(code);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(f.out)).toBe(false);
    }
    writeFileSync(f.arch, JSON.stringify({ layers: [{ type: 'dense', width: 2 }] }));
    const r = runWide([...base, '--widths', '16', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wide: error: --widths: the architecture has no trainable layer before its readout/);
  });
});
