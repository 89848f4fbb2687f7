import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '@wide/data';
import { goldenFcCases, goldenFcInputs } from '@wide/testing';
import { filesIn, runWide, tempDir } from './run-cli.js';

function relErr(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

const arch = { layers: [{ type: 'dense', wStd: 1.5, bStd: 0.1 }, { type: 'relu' }, { type: 'dense', wStd: 1.2, bStd: 0.05 }] };

/** Writes an architecture and inputs into a fresh folder; returns the paths. */
function fixture(options: { arch?: unknown; x1?: number[][]; x2?: number[][]; dtype?: 'float32' | 'float64' } = {}) {
  const dir = tempDir();
  const paths = { dir, arch: join(dir, 'arch.json'), x1: join(dir, 'x1.npy'), x2: join(dir, 'x2.npy'), out: join(dir, 'out.json'), outDir: join(dir, 'k') };
  writeFileSync(paths.arch, typeof options.arch === 'string' ? options.arch : JSON.stringify(options.arch ?? arch));
  const write = (p: string, rows: number[][]) => {
    const data = options.dtype === 'float32' ? Float32Array.from(rows.flat()) : Float64Array.from(rows.flat());
    writeFileSync(p, encodeNpy(data, [rows.length, rows[0]!.length]));
  };
  write(paths.x1, options.x1 ?? [[1, 2, 0], [0.5, -1, 2], [3, 0, 1]]);
  if (options.x2) write(paths.x2, options.x2);
  return paths;
}

describe('wide kernel: golden values (golden/fc-kernels.json)', () => {
  const cases = goldenFcCases();
  it.each(cases.map((c) => [`${c.net} at ρ=${c.rho}`, c] as const))('%s', (_name, c) => {
    const { x1, x2 } = goldenFcInputs(c.rho);
    const f = fixture({ arch: { layers: c.layers }, x1: [x1], x2: [x2] });
    const r = runWide(['kernel', '--arch', f.arch, '--x1', f.x1, '--x2', f.x2, '--out', f.out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const out = JSON.parse(readFileSync(f.out, 'utf8')) as { nngp: number[][]; ntk: number[][] };
    expect(relErr(out.nngp[0]![0]!, c.nngp)).toBeLessThanOrEqual(1e-10);
    expect(relErr(out.ntk[0]![0]!, c.ntk)).toBeLessThanOrEqual(1e-10);
  });
});

describe('wide kernel: outputs', () => {
  it('writes n1×n2 JSON, x2 defaulting to x1, symmetric with the right diagonal', () => {
    const f = fixture();
    const r = runWide(['kernel', '--arch', f.arch, '--x1', f.x1, '--out', f.out]);
    expect(r.code).toBe(0);
    const out = JSON.parse(readFileSync(f.out, 'utf8')) as { nngp: number[][]; ntk: number[][] };
    expect(Object.keys(out).sort()).toEqual(['nngp', 'ntk']);
    expect(out.nngp.map((row) => row.length)).toEqual([3, 3, 3]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(out.ntk[i]![j]).toBe(out.ntk[j]![i]);
    // Σ¹ = 1.2² E[relu(u)relu(v)] + 0.05², with E[relu(u)²] = q/2 and q = 1.5² ‖x‖²/3 + 0.1².
    const q = (1.5 ** 2 * (1 + 4 + 0)) / 3 + 0.1 ** 2;
    expect(out.nngp[0]![0]).toBeCloseTo(1.2 ** 2 * (q / 2) + 0.05 ** 2, 12);
  });

  it('writes float64 nngp.npy and ntk.npy with --out-dir; --get selects kernels', () => {
    const f = fixture({ x2: [[1, 1, 1], [0, 0, 1]], dtype: 'float32' });
    const r = runWide(['kernel', '--arch', f.arch, '--x1', f.x1, '--x2', f.x2, '--out-dir', f.outDir]);
    expect(r.code).toBe(0);
    expect(filesIn(f.outDir)).toEqual(['nngp.npy', 'ntk.npy']);
    const ntk = decodeNpy(readFileSync(join(f.outDir, 'ntk.npy')));
    expect(ntk.dtype).toBe('f8');
    expect(ntk.shape).toEqual([3, 2]);
    const only = runWide(['kernel', '--arch', f.arch, '--x1', f.x1, '--get', 'nngp', '--out', f.out]);
    expect(only.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(f.out, 'utf8')) as object)).toEqual(['nngp']);
  });

  it('prints help', () => {
    const r = runWide(['kernel', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--out-dir');
  });
});

describe('wide kernel: bad input fails with one line on stderr and no output file', () => {
  const cases: [string, Parameters<typeof fixture>[0], string[], RegExp, number?][] = [
    ['unknown layer', { arch: { layers: [{ type: 'dense' }, { type: 'rectifier' }] } }, [], /layers\[1\]\.type: unknown layer type "rectifier"/],
    ['unknown field', { arch: { layers: [{ type: 'dense', wStdd: 1 }] } }, [], /layers\[0\]\.wStdd: unknown field for "dense"/],
    ['negative std', { arch: { layers: [{ type: 'dense', wStd: -1 }] } }, [], /layers\[0\]\.wStd.*≥ 0|negative/],
    ['nonlinearity after a non-Gaussian layer', { arch: { layers: [{ type: 'dense' }, { type: 'relu' }, { type: 'erf' }] } }, [], /Gaussian/],
    ['invalid JSON', { arch: '{"layers": [' }, [], /JSON/],
    ['NaN in the data', { x1: [[1, 2, 0], [0, NaN, 0]] }, [], /x1 holds NaN at index \[1, 1\]/],
    ['shape mismatch between x1 and x2', { x2: [[1, 2]] }, ['--x2'], /shape|dimension/i],
    ['missing --out', {}, ['--no-out'], /exactly one of --out/, 2],
    ['unknown option', {}, ['--bogus'], /unknown option --bogus/, 2],
    ['gpu backend', {}, ['--backend', 'gpu'], /gpu backend is not available/],
  ];
  it.each(cases)('%s', (_name, fx, extra, message, exitCode = 1) => {
    const f = fixture(fx);
    const args = ['kernel', '--arch', f.arch, '--x1', f.x1];
    if (extra[0] === '--x2') args.push('--x2', f.x2, '--out', f.out);
    else if (extra[0] === '--no-out') void 0;
    else args.push('--out', f.out, ...extra);
    const before = filesIn(f.dir);
    const r = runWide(args);
    expect(r.code).toBe(exitCode);
    expect(r.stdout).toBe('');
    // Progress lines aside, stderr holds exactly one line: the error.
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !/ done in [\d.]+ s$/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wide: error: /);
    expect(r.stderr).toMatch(message);
    expect(filesIn(f.dir)).toEqual(before);
  });

  it('unreadable .npy', () => {
    const f = fixture();
    writeFileSync(f.x1, 'this is not a numpy file');
    const r = runWide(['kernel', '--arch', f.arch, '--x1', f.x1, '--out-dir', f.outDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wide: error: .*x1\.npy.*magic/);
    expect(filesIn(f.dir)).toEqual(['arch.json', 'x1.npy']);
  });

  it('missing files are named', () => {
    const f = fixture();
    const r = runWide(['kernel', '--arch', join(f.dir, 'nope.json'), '--x1', f.x1, '--out', f.out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.json.*ENOENT/);
  });
});
