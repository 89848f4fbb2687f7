/**
 * `wide spectrum`: the limit eigenvalue density of the conjugate kernel (Fan & Wang 2020,
 * Theorem 3.4) or the NTK (Theorems 3.7–3.8) of a bias-free dense network in the architecture
 * JSON, for n samples (γ_ℓ = n/width_ℓ) and an input spectrum μ_0: Marchenko–Pastur ρ^MP_{γ0}
 * (`--gamma0`, i.i.d. Gaussian inputs) or the eigenvalues of X_0ᵀX_0 (`--input-eigs`). Writes
 * `{"x": […], "density": […], "converged": true, "atoms": […]}` and optionally the figure, all or
 * nothing. @wide/rmt is loaded inside the action.
 * @module
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { WideError } from '@wide/core';
import type { Command } from 'commander';
import { choiceOpt, intOpt, numberOpt, quietOpt } from '../args.js';
import { UsageError, WideCommand } from '../command.js';
import type { PlotFormat } from '../plots/render.js';
import { makeProgress } from '../progress.js';

/** Options of `wide spectrum`. */
export interface SpectrumOptions {
  model: 'ck' | 'ntk';
  arch: string;
  n: number;
  gamma0?: number;
  inputEigs?: string;
  normalize?: boolean;
  grid?: string;
  out: string;
  plot?: string;
  quiet?: boolean;
}

/** The `wide spectrum` command. */
export function spectrumCommand(): Command {
  return new WideCommand('spectrum')
    .summary('limit eigenvalue density of the CK or NTK (Fan & Wang 2020)')
    .description('The limit spectrum of the conjugate kernel X_LᵀX_L (Fan & Wang 2020, Theorem 3.4) or of the NTK (Theorem 3.7; a read-out with wStd = s scales it by s², Theorem 3.8) of a bias-free dense network (dense layers each followed by an activation, optionally a dense read-out), for n samples: γ_ℓ = n/width_ℓ.')
    .addOption(choiceOpt('--model <kernel>', 'ck or ntk', ['ck', 'ntk']).makeOptionMandatory())
    .requiredOption('--arch <A.json>', 'architecture JSON (conventions §2): dense layers with bStd = 0, each followed by an activation')
    .addOption(intOpt('--n <N>', 'number of samples n (γ_ℓ = n/width_ℓ)', undefined, 1).makeOptionMandatory())
    .addOption(numberOpt('--gamma0 <γ0>', 'input aspect ratio n/d0 for i.i.d. N(0, 1/d0) inputs (μ0 = Marchenko–Pastur)', undefined, Number.MIN_VALUE))
    .option('--input-eigs <E.npy>', 'eigenvalues of X0ᵀX0 (μ0 = their empirical law), instead of --gamma0')
    .option('--normalize', 'normalise each activation to E σ(ξ) = 0, E σ(ξ)² = 1 first (Fan & Wang assume it)')
    .option('--grid <a:b:k>', 'k points from a to b (default: 1000 points over the law\'s support bracket)')
    .requiredOption('--out <D.json>', 'write {"x": […], "density": […], "converged": …, "atoms": […]}')
    .option('--plot <P.svg>', 'also write the density as a figure (.svg, .png or .json by the extension)')
    .addOption(quietOpt())
    .addHelpText('after', '\nGive exactly one of --gamma0 or --input-eigs. The density excludes atoms (listed in "atoms"); it integrates to 1 − their mass.')
    .action(async (o: SpectrumOptions) => {
      await runSpectrum(o);
    });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new WideError('IO', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The plot format of a file name by its extension (usage error otherwise). */
export function plotFormatOf(path: string, flag = '--plot'): PlotFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if (ext !== 'svg' && ext !== 'png' && ext !== 'json') throw new UsageError(`${flag}: expected a file ending in .svg, .png or .json, got "${path}"`);
  return ext;
}

/** Runs `wide spectrum` with parsed options; returns what it wrote. */
export async function runSpectrum(o: SpectrumOptions): Promise<{ x: number[]; density: number[]; converged: boolean; atoms: { x: number; mass: number }[] }> {
  if ((o.gamma0 === undefined) === (o.inputEigs === undefined)) throw new UsageError('spectrum: give exactly one of --gamma0 γ0 or --input-eigs E.npy');
  const format = o.plot !== undefined ? plotFormatOf(o.plot) : null;
  let json: unknown;
  const text = readText(o.arch);
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WideError('INVALID_ARCHITECTURE', `${o.arch}: not valid JSON (${(e as Error).message})`);
  }
  const rmt = await import('@wide/rmt');
  const grid = o.grid !== undefined ? rmt.parseGrid(o.grid) : null;
  let input;
  if (o.inputEigs !== undefined) {
    const { readNpy } = await import('@wide/data');
    const a = readNpy(o.inputEigs);
    if (a.shape.length !== 1) throw new WideError('SHAPE_MISMATCH', `--input-eigs ${o.inputEigs}: expected a 1-D array of eigenvalues, got shape [${a.shape.join(', ')}]`);
    input = rmt.empiricalLaw(a.data, '--input-eigs');
  } else {
    input = rmt.marchenkoPastur(o.gamma0!);
  }
  const progress = makeProgress({ quiet: o.quiet });
  progress.stage(`${o.model.toUpperCase()} limit density`);
  const { model, learningRates } = rmt.fanWangFromArchitecture(json, { n: o.n, input, normalize: o.normalize ?? false });
  const law = o.model === 'ck' ? model.ck() : model.ntk({ learningRates });
  const x = grid ?? rmt.linearGrid(Math.max(law.bounds[0], o.model === 'ck' ? 0 : -Infinity), law.bounds[1], 1000);
  const d = law.density!(x);
  progress.end();
  const result = { x: Array.from(d.x), density: Array.from(d.density), converged: d.converged, atoms: d.atoms.map((a) => ({ x: a.x, mass: a.mass })) };
  const files: [string, string | Uint8Array][] = [[o.out, JSON.stringify(result) + '\n']];
  if (o.plot !== undefined) {
    const { curvesPlot, renderPlot } = await import('../plots/index.js');
    const atoms = result.atoms.length ? ` (atoms: ${result.atoms.map((a) => `${a.mass.toFixed(3)} at ${a.x.toPrecision(3)}`).join(', ')})` : '';
    const spec = curvesPlot({ title: `${o.model === 'ck' ? 'CK' : 'NTK'} limit density (Fan & Wang), n = ${o.n}${atoms}`, xTitle: 'eigenvalue', yTitle: 'density', series: [{ name: law.name, x: d.x, y: d.density }] });
    files.push([o.plot, await renderPlot(spec, format!)]);
  }
  const { writeFilesAtomic } = await import('@wide/data');
  writeFilesAtomic(files);
  return result;
}
