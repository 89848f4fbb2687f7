import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesIn, runWide, tempDir } from './run-cli.js';

describe('wide demo (reduced size)', () => {
  it('prints NNGP and NTK accuracies, writes the spectrum SVG, reports progress on stderr', () => {
    const dir = tempDir();
    const r = runWide(['demo', '--train', '400', '--test', '200', '--out-dir', dir]);
    expect(r.code).toBe(0);
    const acc = (name: string) => Number(new RegExp(`\\| ${name}\\s*\\|\\s*([\\d.]+) %`).exec(r.stdout)?.[1]);
    // 400 MNIST training images already give ~85–90 %; chance is 10 %.
    expect(acc('NNGP')).toBeGreaterThan(80);
    expect(acc('NTK')).toBeGreaterThan(80);
    expect(r.stderr).toMatch(/kernels train×train \(400×400\) done in/);
    expect(filesIn(dir)).toEqual(['wide-demo-ntk-spectrum.svg']);
    const svg = readFileSync(join(dir, 'wide-demo-ntk-spectrum.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('NTK');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('rejects bad options with exit code 2 and writes nothing', () => {
    const dir = tempDir();
    const r = runWide(['demo', '--train', 'many', '--out-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wide: error: --train: expected an integer/);
    expect(existsSync(join(dir, 'wide-demo-ntk-spectrum.svg'))).toBe(false);
  });
});
