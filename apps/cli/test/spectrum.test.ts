// wide spectrum and wide gmm-coeffs, run in-process on a program holding just these two commands
// (they are registered in commands/index.ts by the lead).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '@wide/data';
import { WideCommand } from '../src/command.js';
import { gmmCoeffsCommand } from '../src/commands/gmm-coeffs.js';
import { spectrumCommand } from '../src/commands/spectrum.js';
import { tempDir } from './run-cli.js';

async function wide(args: string[]): Promise<void> {
  const program = new WideCommand('wide').addCommand(spectrumCommand()).addCommand(gmmCoeffsCommand());
  await program.parseAsync(args, { from: 'user' });
}
const dense = (width: number) => ({ type: 'dense', width, wStd: 1, bStd: 0 });
const archFile = (dir: string, layers: object[]) => {
  const p = join(dir, 'arch.json');
  writeFileSync(p, JSON.stringify({ parameterization: 'ntk', layers }));
  return p;
};
/** ∫ρ by the trapezoid rule. */
const integral = (x: number[], y: number[]) => x.slice(1).reduce((s, xi, i) => s + 0.5 * (xi - x[i]!) * (y[i]! + y[i + 1]!), 0);

describe('wide spectrum', () => {
  it('has help naming its options', async () => {
    const help = spectrumCommand().helpInformation();
    for (const f of ['--model', '--arch', '--n', '--gamma0', '--input-eigs', '--normalize', '--grid', '--out', '--plot']) expect(help).toContain(f);
  });

  it('two normalised arctan layers (γ0 = 3, γ = ½): the CK density is ≥ 0 and integrates to 1 − atom', async () => {
    const dir = tempDir();
    // 2 layers of arctan (normalised), n = 300, widths 600: γ = ½; γ0 = 3 (atom 2/3 in μ0 but not in the CK).
    const arch = archFile(dir, [dense(600), { type: 'elementwise', fn: 'atan' }, dense(600), { type: 'elementwise', fn: 'atan' }]);
    const out = join(dir, 'd.json');
    const plot = join(dir, 'd.svg');
    await wide(['spectrum', '--model', 'ck', '--arch', arch, '--n', '300', '--gamma0', '3', '--normalize', '--grid', '0.0001:12:3000', '--out', out, '--plot', plot, '--quiet']);
    const d = JSON.parse(readFileSync(out, 'utf8')) as { x: number[]; density: number[]; converged: boolean; atoms: { mass: number }[] };
    expect(d.converged).toBe(true);
    expect(d.x).toHaveLength(3000);
    expect(Math.min(...d.density)).toBeGreaterThanOrEqual(0);
    const atom = d.atoms.reduce((s, a) => s + a.mass, 0);
    expect(Math.abs(integral(d.x, d.density) - (1 - atom))).toBeLessThan(0.01);
    const svg = readFileSync(plot, 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('CK limit density (Fan &amp; Wang), n = 300');
    expect(svg).toContain('eigenvalue');
  });

  it('the NTK from input eigenvalues (μ0 = δ₁): converged, ≥ 0, integrates to 1 − atom', async () => {
    const dir = tempDir();
    const arch = archFile(dir, [dense(400), { type: 'relu' }, dense(1)]);
    const eigs = join(dir, 'e.npy');
    // μ0 = δ₁ (orthonormal inputs): the CK is a shifted, scaled MP law.
    writeFileSync(eigs, encodeNpy(new Float64Array(200).fill(1), [200]));
    const out = join(dir, 'ntk.json');
    await wide(['spectrum', '--model', 'ntk', '--arch', arch, '--n', '200', '--input-eigs', eigs, '--normalize', '--grid', '0:10:2000', '--out', out, '--quiet']);
    const d = JSON.parse(readFileSync(out, 'utf8')) as { x: number[]; density: number[]; converged: boolean; atoms: { x: number; mass: number }[] };
    expect(d.converged).toBe(true);
    expect(Math.min(...d.density)).toBeGreaterThanOrEqual(0);
    const atom = d.atoms.reduce((s, a) => s + a.mass, 0);
    expect(Math.abs(integral(d.x, d.density) - (1 - atom))).toBeLessThan(0.02);
  });

  it('usage errors: exactly one input law, a good grid, a plot extension; no output written', async () => {
    const dir = tempDir();
    const arch = archFile(dir, [dense(100), { type: 'relu' }]);
    const out = join(dir, 'x.json');
    await expect(wide(['spectrum', '--model', 'ck', '--arch', arch, '--n', '10', '--out', out])).rejects.toThrow('give exactly one of --gamma0 γ0 or --input-eigs E.npy');
    await expect(wide(['spectrum', '--model', 'ck', '--arch', arch, '--n', '10', '--gamma0', '1', '--grid', '3:1:10', '--out', out])).rejects.toThrow('grid: expected a < b, got a = 3, b = 1');
    await expect(wide(['spectrum', '--model', 'ck', '--arch', arch, '--n', '10', '--gamma0', '1', '--out', out, '--plot', join(dir, 'p.gif')])).rejects.toThrow('--plot: expected a file ending in .svg, .png or .json');
    await expect(wide(['spectrum', '--model', 'nngp', '--arch', arch, '--n', '10', '--gamma0', '1', '--out', out])).rejects.toThrow(/--model: expected one of ck, ntk/);
    await expect(wide(['spectrum', '--model', 'ck', '--arch', archFile(dir, [{ type: 'dense', width: 5, bStd: 0.1 }, { type: 'relu' }]), '--n', '10', '--gamma0', '1', '--out', out])).rejects.toThrow('layers[0].bStd: the random-matrix limits need bias-free dense layers');
    expect(existsSync(out)).toBe(false);
  });
});

describe('wide gmm-coeffs', () => {
  it('three ReLU layers at τ0 = 1.0021 give Table 1\'s ReLU row (α₁, α₂, α₃, τ) = (0.0156, 0.0105, 0.0112, 0.1994)', async () => {
    const dir = tempDir();
    const arch = archFile(dir, [dense(10), { type: 'relu' }, dense(10), { type: 'relu' }, dense(10), { type: 'relu' }, dense(1)]);
    const out = join(dir, 'c.json');
    await wide(['gmm-coeffs', '--arch', arch, '--tau0', '1.0021', '--out', out]);
    const c = JSON.parse(readFileSync(out, 'utf8')) as Record<string, (number | null)[]>;
    const row = [c['alpha1']![2]!, c['alpha2']![2]!, c['alpha3']![2]!, c['tau']![2]!];
    [0.0156, 0.0105, 0.0112, 0.1994].forEach((v, i) => expect(Math.abs(row[i]! - v)).toBeLessThan(6e-5));
    for (const k of ['tau', 'alpha1', 'alpha2', 'alpha3', 'alpha4', 'kappa', 'beta1', 'beta2', 'beta3', 'beta4']) expect(c[k]).toHaveLength(3);
    // Centred ReLU: κ_ℓ² = τ_ℓ² + ½κ_{ℓ−1}² (corrected), τ_1² = τ0²(½ − 1/(2π)).
    const t = c['tau'] as number[];
    const k = c['kappa'] as number[];
    expect(t[0]! ** 2).toBeCloseTo(1.0021 ** 2 * (0.5 - 1 / (2 * Math.PI)), 10);
    expect(k[0]! ** 2).toBeCloseTo(t[0]! ** 2 + 0.5 * 1.0021 ** 2, 10);
    expect(k[1]! ** 2).toBeCloseTo(t[1]! ** 2 + 0.5 * k[0]! ** 2, 10);
  });

  it('sign: κ and β are null with the reason; printed and corrected differ in β', async () => {
    const dir = tempDir();
    const sign = archFile(dir, [dense(10), { type: 'sign' }, dense(10), { type: 'sign' }]);
    const out = join(dir, 's.json');
    await wide(['gmm-coeffs', '--arch', sign, '--tau0', '1', '--out', out]);
    const s = JSON.parse(readFileSync(out, 'utf8')) as { kappa: unknown[]; beta1: unknown[]; alpha1: number[]; ntkUndefined: string };
    expect(s.kappa).toEqual([null, null]);
    expect(s.beta1).toEqual([null, null]);
    expect(s.ntkUndefined).toMatch(/E\[σ′\(τξ\)²\]/);
    expect(s.alpha1[0]).toBeCloseTo(2 / Math.PI, 10); // E′ = 2φ(0) for sign: α₁ = (2/π)
    const relu = archFile(dir, [dense(10), { type: 'relu' }, dense(10), { type: 'relu' }]);
    const [p, c] = [join(dir, 'p.json'), join(dir, 'c.json')];
    await wide(['gmm-coeffs', '--arch', relu, '--tau0', '1', '--variant', 'printed', '--out', p]);
    await wide(['gmm-coeffs', '--arch', relu, '--tau0', '1', '--out', c]);
    const [bp, bc] = [JSON.parse(readFileSync(p, 'utf8')).beta1[1] as number, JSON.parse(readFileSync(c, 'utf8')).beta1[1] as number];
    expect(bp).toBeCloseTo(1 / 16, 12); // printed β₁ = α₁ = (½)⁴
    expect(bc).toBeCloseTo(1 / 16 + 0.25 * (1 / 4 + 0.25), 12); // corrected β₁,ℓ = α₁,ℓ + E′²β₁,ℓ−1, β₁,1 = ¼ + ¼
  });

  it('usage errors', async () => {
    const dir = tempDir();
    const arch = archFile(dir, [dense(10), { type: 'relu' }]);
    const out = join(dir, 'c.json');
    await expect(wide(['gmm-coeffs', '--arch', arch, '--tau0', '-1', '--out', out])).rejects.toThrow('--tau0: expected a number ≥');
    await expect(wide(['gmm-coeffs', '--arch', arch, '--tau0', '1', '--variant', 'x', '--out', out])).rejects.toThrow('--variant: expected one of printed, corrected');
    await expect(wide(['gmm-coeffs', '--arch', arch, '--out', out])).rejects.toThrow(/--tau0/);
    // An extreme but valid τ₀ overflows the moments: one error naming the value, never nulls in the file.
    await expect(wide(['gmm-coeffs', '--arch', arch, '--tau0', '1e300', '--out', out])).rejects.toThrow('--tau0 1e+300: tau of layer 1 is Infinity');
    expect(existsSync(out)).toBe(false);
    expect(gmmCoeffsCommand().helpInformation()).toContain('--variant');
  });
});
