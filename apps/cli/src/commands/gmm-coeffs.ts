/**
 * `wide gmm-coeffs`: the coefficients of Gu et al. (2022), Theorems 1–2 (τ, α₁…α₄ of the CK and
 * κ, β₁…β₄ of the NTK) per layer for the activations of an architecture JSON (dense wStd folded into
 * the activation, every activation centred at its layer as in the paper's Remark 1), from τ_0.
 * Activations with a jump (sign, step) have no E[σ′²]: their κ and β are written as null, with the
 * reason in "ntkUndefined". @wide/rmt is loaded inside the action.
 * @module
 */
import { readFileSync } from 'node:fs';
import { WideError } from '@wide/core';
import type { Command } from 'commander';
import { choiceOpt, numberOpt } from '../args.js';
import { WideCommand } from '../command.js';

/** Options of `wide gmm-coeffs`. */
export interface GmmCoeffsOptions {
  arch: string;
  tau0: number;
  variant?: 'printed' | 'corrected';
  out: string;
}

/** What `wide gmm-coeffs` writes: per-layer arrays (layers 1 … L). */
export interface GmmCoeffsResult {
  variant: 'printed' | 'corrected';
  tau0: number;
  activations: string[];
  centering: number[];
  tau: number[];
  alpha1: number[];
  alpha2: number[];
  alpha3: number[];
  alpha4: number[];
  kappa: (number | null)[];
  beta1: (number | null)[];
  beta2: (number | null)[];
  beta3: (number | null)[];
  beta4: (number | null)[];
  /** Why κ and β are null (an activation with a jump), or null. */
  ntkUndefined: string | null;
}

/** The `wide gmm-coeffs` command. */
export function gmmCoeffsCommand(): Command {
  return new WideCommand('gmm-coeffs')
    .summary('Gu et al. 2022 coefficients τ, α, κ, β per layer')
    .description('The coefficients of Gu et al. 2022, Theorems 1–2 (CK: τ, α₁…α₄; NTK: κ, β₁…β₄) per layer of a bias-free dense network, activations centred at each layer (Remark 1), from τ0 = √(tr C°/p).')
    .requiredOption('--arch <A.json>', 'architecture JSON (conventions §2): dense layers with bStd = 0, each followed by an activation')
    .addOption(numberOpt('--tau0 <τ0>', 'τ0 = √(tr C°/p) of the data (e.g. 1.0021 for Table 1)', undefined, Number.MIN_VALUE).makeOptionMandatory())
    .addOption(choiceOpt('--variant <v>', 'the formulas as printed in the paper, or corrected (see @wide/rmt)', ['printed', 'corrected'], 'corrected'))
    .requiredOption('--out <C.json>', 'write the per-layer arrays tau, alpha1…alpha4, kappa, beta1…beta4')
    .addHelpText('after', '\nFor sign or step (σ′ holds a delta) κ and β do not exist: they are written as null and "ntkUndefined" says why.')
    .action(async (o: GmmCoeffsOptions) => {
      await runGmmCoeffs(o);
    });
}

/** Runs `wide gmm-coeffs` with parsed options; returns what it wrote. */
export async function runGmmCoeffs(o: GmmCoeffsOptions): Promise<GmmCoeffsResult> {
  let text: string;
  try {
    text = readFileSync(o.arch, 'utf8');
  } catch (e) {
    throw new WideError('IO', `cannot read ${o.arch}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WideError('INVALID_ARCHITECTURE', `${o.arch}: not valid JSON (${(e as Error).message})`);
  }
  const rmt = await import('@wide/rmt');
  const network = rmt.networkFromArchitecture(json);
  const variant = o.variant ?? 'corrected';
  let ntkUndefined: string | null = null;
  let c;
  try {
    c = rmt.guCoefficients(network.activations, o.tau0, { variant });
  } catch (e) {
    if (!(e instanceof rmt.UndefinedMomentError)) throw e;
    ntkUndefined = e.message;
    c = rmt.guCoefficients(network.activations, o.tau0, { variant, ntk: false });
  }
  const orNull = (v: number[]) => v.map((x) => (Number.isFinite(x) ? x : null));
  const result: GmmCoeffsResult = {
    variant,
    tau0: o.tau0,
    activations: network.activations.map((a) => a.name),
    centering: c.centering,
    tau: c.tau,
    alpha1: c.alpha1,
    alpha2: c.alpha2,
    alpha3: c.alpha3,
    alpha4: c.alpha4,
    kappa: orNull(c.kappa),
    beta1: orNull(c.beta1),
    beta2: orNull(c.beta2),
    beta3: orNull(c.beta3),
    beta4: orNull(c.beta4),
    ntkUndefined,
  };
  // κ and β are null only where the NTK is undefined (sign, step); any other non-finite value is an overflow.
  const checked = { centering: c.centering, tau: c.tau, alpha1: c.alpha1, alpha2: c.alpha2, alpha3: c.alpha3, alpha4: c.alpha4, ...(ntkUndefined ? {} : { kappa: c.kappa, beta1: c.beta1, beta2: c.beta2, beta3: c.beta3, beta4: c.beta4 }) };
  for (const [name, values] of Object.entries(checked)) {
    const l = values.findIndex((v) => !Number.isFinite(v));
    if (l >= 0) throw new WideError('NON_FINITE', `--tau0 ${o.tau0}: ${name} of layer ${l + 1} is ${values[l]} (the moments overflow; use a smaller τ₀)`);
  }
  const { writeFilesAtomic } = await import('@wide/data');
  writeFilesAtomic([[o.out, JSON.stringify(result, null, 2) + '\n']]);
  return result;
}
