import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '@wide/data';
import { goldenPath } from '@wide/testing';
import { filesIn, runWide, tempDir, type CliRun } from './run-cli.js';

/** The neural-tangents-convention CNN cases of golden/cnn-kernels.json. */
interface CnnCase {
  layers: { type: string; padding?: string }[];
  nngp_ab: number;
  ntk_ab: number;
  nngp_aa: number;
  ntk_aa: number;
}
const golden = JSON.parse(readFileSync(goldenPath('cnn-kernels'), 'utf8')) as { inputs: string; cases: CnnCase[] };

/** The golden file's inputs: x[i,j,c] = sin(1+φ+0.9c+0.7i+1.3j) + 0.5·cos(0.3φ+1.7ij+c), 6×6×3 NHWC; φ = 0 (a), 0.8 (b). */
function image(phi: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let c = 0; c < 3; c++) x.push(Math.sin(1 + phi + 0.9 * c + 0.7 * i + 1.3 * j) + 0.5 * Math.cos(0.3 * phi + 1.7 * i * j + c));
  return x;
}

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
const caseName = (c: CnnCase) => c.layers.map((l) => (l.padding ? `${l.type} ${l.padding}` : l.type)).join(' → ');
const cnnV = golden.cases.find((c) => c.layers.some((l) => l.type === 'flatten'))!;
const cnnGap = golden.cases.find((c) => c.layers.some((l) => l.type === 'globalAvgPool'))!;

/** A folder with arch.json, a.npy (1, 6, 6, 3), b.npy (1, 6, 6, 3) and ab.npy (2, 6, 6, 3). */
function fixture(layers: unknown[]) {
  const dir = tempDir();
  const p = { dir, arch: join(dir, 'arch.json'), a: join(dir, 'a.npy'), b: join(dir, 'b.npy'), ab: join(dir, 'ab.npy'), out: join(dir, 'out.json'), outDir: join(dir, 'k') };
  writeFileSync(p.arch, JSON.stringify({ layers }));
  writeFileSync(p.a, encodeNpy(image(0), [1, 6, 6, 3]));
  writeFileSync(p.b, encodeNpy(image(0.8), [1, 6, 6, 3]));
  writeFileSync(p.ab, encodeNpy([...image(0), ...image(0.8)], [2, 6, 6, 3]));
  return p;
}

type Out = { nngp: number[][]; ntk: number[][] };

/** Runs `wide kernel … --out OUT` and returns the kernels, failing with wide's stderr if it did not succeed. */
function kernelJson(args: string[], out: string): Out {
  const r = runWide(['kernel', ...args, '--out', out]);
  expect(r.stderr.split('\n').filter((l) => /error/.test(l))).toEqual([]);
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Out;
}

/** The error line of a failed run: exit code, nothing on stdout, exactly one line on stderr besides progress. */
function oneErrorLine(r: CliRun, code = 1): string {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !/ done in [\d.]+ s$/.test(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^wide: (usage )?error: /);
  return lines[0]!;
}

describe('wide kernel on CNNs: golden values (golden/cnn-kernels.json)', () => {
  it('has the inputs and cases this test reads', () => {
    expect(golden.inputs).toMatch(/6x6x3.*sin\(1\+phi\+0\.9c\+0\.7i\+1\.3j\) \+ 0\.5cos\(0\.3phi\+1\.7ij\+c\)/);
    expect(golden.cases).toHaveLength(4);
  });

  it.each(golden.cases.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    const f = fixture(c.layers);
    // (a, b) as two batches; then a and b as one batch (x2 = x1: the symmetric path) for (a, a).
    const cross = kernelJson(['--arch', f.arch, '--x1', f.a, '--x2', f.b], f.out);
    expect(rel(cross.nngp[0]![0]!, c.nngp_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(cross.ntk[0]![0]!, c.ntk_ab)).toBeLessThanOrEqual(1e-9);
    const both = kernelJson(['--arch', f.arch, '--x1', f.ab], f.out);
    expect(rel(both.nngp[0]![0]!, c.nngp_aa)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.ntk[0]![0]!, c.ntk_aa)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.nngp[0]![1]!, c.nngp_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(both.ntk[0]![1]!, c.ntk_ab)).toBeLessThanOrEqual(1e-9);
    expect(both.ntk[1]![0]).toBe(both.ntk[0]![1]);
  });
});

describe('wide kernel on CNNs: --layout, --tile and --max-memory', () => {
  it('--layout full gives the CNN-V numbers of the diagonal path (the test oracle)', () => {
    const f = fixture(cnnV.layers);
    const auto = kernelJson(['--arch', f.arch, '--x1', f.ab], f.out);
    const full = kernelJson(['--arch', f.arch, '--x1', f.ab, '--layout', 'full'], f.out);
    for (const k of ['nngp', 'ntk'] as const) {
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(rel(full[k][i]![j]!, auto[k][i]![j]!)).toBeLessThanOrEqual(1e-12);
    }
    expect(rel(full.ntk[0]![1]!, cnnV.ntk_ab)).toBeLessThanOrEqual(1e-9);
    expect(rel(full.nngp[0]![0]!, cnnV.nngp_aa)).toBeLessThanOrEqual(1e-9);
  });

  it('--layout diagonal on global pooling fails with one line naming the layer that needs position pairs', () => {
    const f = fixture(cnnGap.layers);
    const line = oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--layout', 'diagonal', '--out', f.out]));
    expect(line).toMatch(/diagonal.*globalAvgPool.*full/i);
    expect(filesIn(f.dir)).toEqual(['a.npy', 'ab.npy', 'arch.json', 'b.npy']);
  });

  it.each([
    ['CNN-V', cnnV],
    ['CNN-GAP', cnnGap],
  ] as const)('%s: tiles of one row give the untiled kernels bit for bit (--out-dir, float64)', (_name, c) => {
    const f = fixture(c.layers);
    const untiled = kernelJson(['--arch', f.arch, '--x1', f.ab], f.out);
    const r = runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--tile', '1', '--out-dir', f.outDir]);
    expect(r.code).toBe(0);
    for (const k of ['nngp', 'ntk'] as const) {
      const a = decodeNpy(readFileSync(join(f.outDir, `${k}.npy`)));
      expect(a.shape).toEqual([2, 2]);
      expect(Array.from(a.data)).toEqual(untiled[k].flat());
    }
  });

  it('--max-memory 1K fails before any work with one line naming the estimate and the limit, and writes nothing', () => {
    const f = fixture(cnnGap.layers);
    const before = filesIn(f.dir);
    const line = oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--max-memory', '1K', '--out-dir', f.outDir]));
    expect(line).toMatch(/needs about [\d.]+ [KMG]?i?B.* memory limit is [\d.]+ [KMG]?i?B.*--max-memory/);
    // Both figures are shown in a unit where they are not rounded to nothing.
    expect(line).not.toMatch(/(?<![\d.])0(\.0+)? [KMG]?i?B/);
    expect(filesIn(f.dir)).toEqual(before);
    // A generous limit, in another spelling, runs.
    expect(kernelJson(['--arch', f.arch, '--x1', f.ab, '--max-memory', '2GiB'], f.out).nngp).toHaveLength(2);
  });

  it('--max-memory and --layout reject bad values (usage errors, exit 2)', () => {
    const f = fixture(cnnV.layers);
    expect(oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--max-memory', 'lots', '--out', f.out]), 2)).toMatch(/--max-memory: expected a size in bytes.*got "lots"/);
    expect(oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--max-memory', '0', '--out', f.out]), 2)).toMatch(/--max-memory/);
    expect(oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--layout', 'sparse', '--out', f.out]), 2)).toMatch(/--layout.*auto, diagonal, full.*"sparse"/);
    expect(filesIn(f.dir)).toEqual(['a.npy', 'ab.npy', 'arch.json', 'b.npy']);
  });

  it('--help documents --layout and --max-memory', () => {
    const r = runWide(['kernel', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--layout <layout>[\s\S]*--max-memory <size>/);
  });
});

describe('wide kernel on CNNs: inputs that do not fit the architecture fail with one line and no output', () => {
  const conv1d = [{ type: 'conv', channels: 8, filter: [3], padding: 'SAME' }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', width: 1 }];
  const conv2d = [{ type: 'conv', channels: 8, filter: [3, 3], padding: 'SAME' }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', width: 1 }];
  const noReadout = [{ type: 'conv', channels: 8, filter: [3, 3], padding: 'SAME' }, { type: 'relu' }, { type: 'conv', channels: 8, filter: [3, 3], padding: 'SAME' }];

  it('a 1-D conv architecture on 2-D images', () => {
    const f = fixture(conv1d);
    const line = oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--out', f.out]));
    expect(line).toMatch(/conv|rank|spatial|dimension/i);
    expect(filesIn(f.dir)).toEqual(['a.npy', 'ab.npy', 'arch.json', 'b.npy']);
  });

  it('a 2-D conv architecture on flat inputs (n, d)', () => {
    const f = fixture(conv2d);
    writeFileSync(f.a, encodeNpy(image(0), [3, 36]));
    const line = oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.a, '--out', f.out]));
    expect(line).toMatch(/conv|rank|spatial|dimension/i);
    expect(filesIn(f.dir)).toEqual(['a.npy', 'ab.npy', 'arch.json', 'b.npy']);
  });

  it('a network whose output keeps its spatial axes', () => {
    const f = fixture(noReadout);
    const line = oneErrorLine(runWide(['kernel', '--arch', f.arch, '--x1', f.ab, '--out', f.out]));
    expect(line).toMatch(/still has spatial shape \[6, 6\].*flatten/);
    expect(filesIn(f.dir)).toEqual(['a.npy', 'ab.npy', 'arch.json', 'b.npy']);
  });
});
