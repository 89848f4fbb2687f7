import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '@wide/data';
import { aroraArchitecture, table1Defaults, table2Defaults } from '@wide/reproductions';
import { aroraDefaults } from '../src/commands/reproduce.js';
import { goldenPath } from '@wide/testing';
import { accuracyDepthPlot } from '../src/plots/depth.js';
import { renderPlot } from '../src/plots/render.js';
import { filesIn, runWide, tempDir } from './run-cli.js';

/** The tiny test case of golden/cnn-kernels.json: x[i,j,c] = sin(1+φ+0.9c+0.7i+1.3j) + 0.5·cos(0.3φ+1.7ij+c), 6×6×3, φ = 0 and 0.8. */
function image(phi: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let c = 0; c < 3; c++) x.push(Math.sin(1 + phi + 0.9 * c + 0.7 * i + 1.3 * j) + 0.5 * Math.cos(0.3 * phi + 1.7 * i * j + c));
  return x;
}
type Triple = { aa: number; ab: number; bb: number };
const golden = (JSON.parse(readFileSync(goldenPath('cnn-kernels'), 'utf8')) as {
  arora_cntk: { vanilla: Record<string, Triple>; gap: Record<string, Triple>; main_text_convention_vanilla: Record<string, number>; main_text_convention_gap: Record<string, number> };
}).arora_cntk;
const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('wide kernel on the arora preset\'s JSON: golden arora_cntk values through the CLI', () => {
  const dir = tempDir();
  const x = join(dir, 'ab.npy');
  writeFileSync(x, encodeNpy(Float64Array.from([...image(0), ...image(0.8)]), [2, 6, 6, 3]));
  const ntkOf = (spec: object) => {
    const arch = join(dir, 'arch.json');
    const out = join(dir, 'out.json');
    writeFileSync(arch, JSON.stringify(spec));
    const r = runWide(['kernel', '--arch', arch, '--x1', x, '--out', out, '--get', 'ntk']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    return (JSON.parse(readFileSync(out, 'utf8')) as { ntk: number[][] }).ntk;
  };
  const cases = ['3', '4', '6'].flatMap((d) => (['vanilla', 'gap'] as const).map((v) => [v, d] as const));

  it.each(cases)('CNTK-%s depth %s (authors\' code convention): aa, ab, bb to ≤ 1e-8', (variant, d) => {
    const ntk = ntkOf(aroraArchitecture({ depth: Number(d), variant, imageShape: [6, 6], inputChannels: 3 }));
    const want = golden[variant][d]!;
    expect(rel(ntk[0]![1]!, want.ab)).toBeLessThanOrEqual(1e-8);
    expect(rel(ntk[0]![0]!, want.aa)).toBeLessThanOrEqual(1e-8);
    expect(rel(ntk[1]![1]!, want.bb)).toBeLessThanOrEqual(1e-8);
  });

  it.each(cases)('CNTK-%s depth %s, main-text convention: ab to ≤ 1e-8', (variant, d) => {
    const ntk = ntkOf(aroraArchitecture({ depth: Number(d), variant, imageShape: [6, 6], inputChannels: 3, mainText: true }));
    expect(rel(ntk[0]![1]!, golden[variant === 'gap' ? 'main_text_convention_gap' : 'main_text_convention_vanilla'][d]!)).toBeLessThanOrEqual(1e-8);
  });
});

describe('wide reproduce arora', () => {
  const tiny = ['--dataset', 'mnist', '--train', '20', '--test', '10', '--depths', '3,4', '--gap-train', '3', '--gap-test', '3'];
  const tinyT2 = ['--t2-classes', '4,9', '--t2-train', '10', '--t2-test', '8', '--t2-depths', '3', '--t2-channels', '4,8', '--t2-trials', '2'];

  it('has the library\'s defaults', () => {
    expect(aroraDefaults.t1).toEqual(table1Defaults);
    const { dataset, size, ...rest } = table2Defaults;
    expect({ ...aroraDefaults.t2, size: Number(aroraDefaults.t2.size) }).toEqual({ ...rest, size });
    // Without --t2-classes the dataset's default pair is used (and recorded in the command line).
    const help = runWide(['reproduce', 'arora', '--help']).stdout;
    expect(help).toMatch(/default: 0,6 on\s+Fashion-MNIST/);
    expect(dataset).toBe(aroraDefaults.t1.dataset);
  });

  it('documents its options in --help, and wide --help lists it', () => {
    const r = runWide(['reproduce', 'arora', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--dataset', '--train', '--test', '--depths', '--gap-train', '--gap-test', '--t2-channels', '--out-dir', '--quiet', '--json']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/default:\s+3,5,8,11,21/);
    const top = runWide(['--help']);
    expect(top.stdout).toMatch(/reproduce\b.*reproductions of the seed papers/);
  });

  it('a tiny run prints both tables and writes arora-table{1,2}.json and .svg', () => {
    const dir = tempDir();
    const r = runWide(['reproduce', 'arora', ...tiny, ...tinyT2, '--out-dir', dir]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(filesIn(dir)).toEqual(['arora-table1.json', 'arora-table1.svg', 'arora-table2.json', 'arora-table2.svg']);
    const t1 = JSON.parse(readFileSync(join(dir, 'arora-table1.json'), 'utf8')) as { command: string; depths: number[]; runs: { kernel: string; train: number; test: number; accuracy: number[] }[] };
    expect(t1.depths).toEqual([3, 4]);
    expect(t1.runs.map((x) => [x.kernel, x.train, x.test])).toEqual([['CNTK-V', 20, 10], ['FC-NTK', 20, 10], ['CNTK-GAP', 3, 3], ['CNTK-V', 3, 3]]);
    for (const run of t1.runs) for (const a of run.accuracy) expect(a).toBeGreaterThanOrEqual(0), expect(a).toBeLessThanOrEqual(1);
    expect(t1.command).toContain('wide reproduce arora --dataset mnist');
    // The printed table holds the same numbers.
    expect(r.stdout).toMatch(new RegExp(`\\|     3 \\| +${(100 * t1.runs[0]!.accuracy[0]!).toFixed(2)} % \\| +${(100 * t1.runs[1]!.accuracy[0]!).toFixed(2)} % \\|`));
    const t2 = JSON.parse(readFileSync(join(dir, 'arora-table2.json'), 'utf8')) as { classes: number[]; rows: { variant: string; monteCarlo: { channels: number; accuracies: number[] }[] }[] };
    expect(t2.classes).toEqual([4, 9]);
    expect(t2.rows.map((row) => [row.variant, row.monteCarlo.map((m) => m.accuracies.length)])).toEqual([['vanilla', [2, 2]], ['gap', [2, 2]]]);
    expect(r.stdout).toContain('Table 2 analogue (Arora et al. 2019): MNIST classes 4 vs 9');
    for (const f of ['arora-table1.svg', 'arora-table2.svg']) {
      const svg = readFileSync(join(dir, f), 'utf8');
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain('test accuracy (%)');
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expect(readFileSync(join(dir, 'arora-table1.svg'), 'utf8')).toContain('CNTK-GAP (3 train / 3 test)');
    expect(r.stderr).toMatch(/CNTK-V kernels train×train \(20×20\), depths 3–4 done in/);
  });

  it('--json prints one object with the results and the files', () => {
    const dir = tempDir();
    const r = runWide(['reproduce', 'arora', ...tiny, '--tables', '1', '--gap-train', '0', '--out-dir', dir, '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { table1: { runs: { kernel: string }[] }; table2: null; files: string[] };
    expect(out.table1.runs.map((x) => x.kernel)).toEqual(['CNTK-V', 'FC-NTK']);
    expect(out.table2).toBeNull();
    expect(out.files).toEqual([join(dir, 'arora-table1.json'), join(dir, 'arora-table1.svg')]);
  });

  it('usage errors: one line, exit code 2, no files', () => {
    const dir = tempDir();
    for (const [args, message] of [
      [['--depths', '5,3'], /^wide: error: --depths: expected a comma-separated list of increasing integers in \[3, 200\], got "5,3"\n$/],
      [['--t2-classes', '3,3'], /^wide: error: --t2-classes: expected two different classes, got "3,3"\n$/],
      [['--dataset', 'cifar10'], /^wide: error: --dataset: expected one of fashion-mnist, mnist, got "cifar10"\n$/],
      [['--train', '5'], /^wide: error: --train: expected an integer in \[10, 60000\], got "5"\n$/],
    ] as const) {
      const r = runWide(['reproduce', 'arora', ...args, '--out-dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(filesIn(dir)).toEqual([]);
  });

  it('a memory limit too small for the kernels: one line with the estimate and the limit, exit code 1, no files', () => {
    const dir = tempDir();
    const r = runWide(['reproduce', 'arora', ...tiny, '--tables', '1', '--max-memory', '1K', '--out-dir', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wide: error: .*20×20.*1\.0 KiB.*--max-memory.*\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(filesIn(dir)).toEqual([]);
  });

  it('an error after the computation (an --out-dir that cannot be created) writes nothing', () => {
    const dir = tempDir();
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const r = runWide(['reproduce', 'arora', ...tiny, '--tables', '1', '--gap-train', '0', '--out-dir', join(blocker, 'out'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wide: error: cannot create .*file\/out: (ENOTDIR|EEXIST)\n$/);
    expect(existsSync(join(blocker, 'out'))).toBe(false);
    expect(filesIn(dir)).toEqual(['file']);
  });
});

describe('accuracyDepthPlot (plots/depth.ts)', () => {
  it('test accuracy in % against depth, one series per kernel, non-finite points dropped, dashes only when asked', () => {
    const spec = accuracyDepthPlot({
      title: 'T',
      series: [
        { name: 'CNTK-V', depths: [3, 5], accuracy: [0.5, 0.625] },
        { name: 'MC', depths: [3, 5], accuracy: [NaN, 0.25], dashed: true },
      ],
    }) as unknown as { data: { values: object[] }; encoding: Record<string, { title?: string; field?: string }> };
    expect(spec.data.values).toEqual([
      { series: 'CNTK-V', depth: 3, accuracy: 50, dashed: 'solid' },
      { series: 'CNTK-V', depth: 5, accuracy: 62.5, dashed: 'solid' },
      { series: 'MC', depth: 5, accuracy: 25, dashed: 'dashed' },
    ]);
    expect(spec.encoding['x']).toMatchObject({ field: 'depth', title: 'depth' });
    expect(spec.encoding['y']).toMatchObject({ field: 'accuracy', title: 'test accuracy (%)' });
    expect(spec.encoding['strokeDash']).toMatchObject({ field: 'dashed' });
    const plain = accuracyDepthPlot({ title: 'T', series: [{ name: 'A', depths: [3], accuracy: [1] }] }) as unknown as { encoding: Record<string, unknown> };
    expect(plain.encoding['strokeDash']).toBeUndefined();
  });

  it('renders to SVG with the series names, and an empty figure still renders', async () => {
    const svg = (await renderPlot(accuracyDepthPlot({ title: 'Depth', series: [{ name: 'CNTK-GAP', depths: [3, 4, 6], accuracy: [0.7, 0.75, 0.76] }] }), 'svg')) as string;
    expect(svg).toContain('CNTK-GAP');
    expect(svg).toContain('>Depth<');
    const empty = (await renderPlot(accuracyDepthPlot({ title: 'Empty', series: [] }), 'svg')) as string;
    expect(empty).toMatch(/^<svg/);
  });
});
