// wide reproduce fan-wang and gu-spectra at tiny sizes: help, printed numbers, JSON + SVG files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesIn, runWide, tempDir } from './run-cli.js';

describe('wide reproduce fan-wang / gu-spectra', () => {
  it('help lists both', () => {
    const r = runWide(['reproduce', '--help']);
    expect(r.stdout).toMatch(/fan-wang/);
    expect(r.stdout).toMatch(/gu-spectra/);
  });

  it('fan-wang, tiny: KS of the CK < 0.1, JSON and SVG per panel', () => {
    const dir = tempDir();
    const r = runWide(['reproduce', 'fan-wang', '--figures', '1', '--n', '150', '--out-dir', dir, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(filesIn(dir)).toEqual(['fan-wang-figure1-ck.svg', 'fan-wang-figure1-input.svg', 'fan-wang-figure1-ntk-lemma35.svg', 'fan-wang-figure1-ntk.svg', 'fan-wang-figure1.json']);
    const j = JSON.parse(readFileSync(join(dir, 'fan-wang-figure1.json'), 'utf8')) as { panels: { kernel: string; ks: number; eigenvalues: number[] }[] };
    const ck = j.panels.find((p) => p.kernel === 'ck')!;
    expect(ck.eigenvalues).toHaveLength(150);
    expect(ck.ks).toBeLessThan(0.1);
    expect(r.stdout).toMatch(/ck\s+KS = 0\.0\d{3}/);
    const svg = readFileSync(join(dir, 'fan-wang-figure1-ck.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Fan &amp; Wang Figure 1: CK X5ᵀX5');
    expect(svg).toContain('eigenvalue');
    expect(svg).toContain('limit density');
  });

  it('gu-spectra, tiny: the ReLU rows of Tables 1–2 and both Figure 2 panels', () => {
    const dir = tempDir();
    const r = runWide(['reproduce', 'gu-spectra', '--gmm-n', '60', '--mnist-n', '60', '--draws', '2', '--out-dir', dir, '--json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { tables: { table1: { ours: number[] }[] }; figure2: { relativeError: number }[] };
    [0.0156, 0.0105, 0.0112, 0.1994].forEach((v, i) => expect(Math.abs(out.tables.table1[0]!.ours[i]! - v)).toBeLessThan(6e-5));
    expect(out.figure2).toHaveLength(2);
    for (const p of out.figure2) expect(p.relativeError).toBeLessThan(1);
    expect(filesIn(dir)).toEqual(['gu-figure2-gmm-eigenvalues.svg', 'gu-figure2-gmm-eigenvectors.svg', 'gu-figure2-mnist-eigenvalues.svg', 'gu-figure2-mnist-eigenvectors.svg', 'gu-figure2.json', 'gu-tables.json']);
    expect(readFileSync(join(dir, 'gu-figure2-gmm-eigenvectors.svg'), 'utf8')).toContain('eigenvector entry');
  });

  it('usage errors exit 2 with one line and write nothing', () => {
    const dir = tempDir();
    const r = runWide(['reproduce', 'fan-wang', '--n', '5', '--out-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--n: expected an integer in [10, 20000], got "5"');
    expect(filesIn(dir)).toEqual([]);
  });
});
