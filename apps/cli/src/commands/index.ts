/**
 * The registry of `wide` commands. A command is one file in this folder exporting a factory
 * that returns a {@link WideCommand} with its options declared once (builders in `args.ts`,
 * shared `--quiet`/`--json`/`--plot-format`) and its action; add the factory below and help,
 * errors, `wide help` and shell completion follow. Every command file is loaded at start-up:
 * import heavy libraries (vega, large datasets) with `await import()` inside the action.
 * @module
 */
import type { Command } from 'commander';
import { completionCommand } from './completion.js';
import { demoCommand } from './demo.js';
import { gmmCoeffsCommand } from './gmm-coeffs.js';
import { kernelCommand } from './kernel.js';
import { predictCommand } from './predict.js';
import { reproduceCommand } from './reproduce.js';
import { spectrumCommand } from './spectrum.js';
import { trainCommand } from './train.js';

/** Factories of the commands, in the order `wide --help` lists them (`help` comes last). */
export const commands: readonly (() => Command)[] = [kernelCommand, predictCommand, trainCommand, spectrumCommand, gmmCoeffsCommand, demoCommand, reproduceCommand, completionCommand];
