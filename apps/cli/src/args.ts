/**
 * Options of `wide` commands: checked values with one-line errors
 * (`--train: expected an integer in [10, 60000], got "x"`), commander `Option` builders that
 * use them, and the options every command shares (`--quiet`, `--json`, `--plot-format`).
 * @module
 */
import { Option } from 'commander';
import { UsageError } from './command.js';
import type { PlotFormat } from './plots/render.js';

export { UsageError };

/** An integer option in [min, max]. */
export function intOption(value: string | boolean | undefined, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name}: expected an integer in [${min}, ${max}], got "${value}"`);
  return v;
}

/** A number option ≥ min. */
export function numberOption(value: string | boolean | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(v) || v < min) throw new UsageError(`--${name}: expected a number ≥ ${min}, got "${value}"`);
  return v;
}

const nameOf = (flags: string) => /--([\w-]+)/.exec(flags)?.[1] ?? flags;
const shown = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));

/** `--name <n>`: an integer in [min, max], `fallback` when absent. */
export function intOpt(flags: string, description: string, fallback: number | undefined, min: number, max?: number): Option {
  const o = new Option(flags, description).argParser((v: string) => intOption(v, nameOf(flags), 0, min, max));
  return fallback === undefined ? o : o.default(fallback);
}

/** `--name <x>`: a finite number ≥ min, `fallback` when absent. */
export function numberOpt(flags: string, description: string, fallback: number | undefined, min: number): Option {
  const o = new Option(flags, description).argParser((v: string) => numberOption(v, nameOf(flags), 0, min));
  return fallback === undefined ? o : o.default(fallback, shown(fallback));
}

/** `--name <choice>`: one of `choices` (listed in the help and in shell completion). */
export function choiceOpt<T extends string>(flags: string, description: string, choices: readonly T[], fallback?: T): Option {
  const o = new Option(flags, description).choices(choices).argParser((v: string) => {
    if (!choices.includes(v as T)) throw new UsageError(`--${nameOf(flags)}: expected one of ${choices.join(', ')}, got "${v}"`);
    return v;
  });
  return fallback === undefined ? o : o.default(fallback);
}

/** `--name <a,b>`: a comma-separated subset of `choices`, parsed to an array. */
export function listOpt<T extends string>(flags: string, description: string, choices: readonly T[], fallback?: readonly T[]): Option {
  const o = new Option(flags, description).argParser((v: string) => {
    const items = v.split(',').map((s) => s.trim());
    for (const item of items) if (!choices.includes(item as T)) throw new UsageError(`--${nameOf(flags)}: expected a comma-separated list of ${choices.join(', ')}, got "${item}"`);
    return items as T[];
  });
  o.argChoices = [...choices]; // listed in the help and completed by the shell
  return fallback === undefined ? o : o.default(fallback, fallback.join(','));
}

/** The values of the options every command may share. */
export interface CommonOptions {
  /** No progress on stderr. */
  quiet?: boolean;
  /** Results as one JSON object on stdout instead of a table. */
  json?: boolean;
  /** Format of the figures written (default svg). */
  plotFormat?: PlotFormat;
}

/** `--quiet`: no progress on stderr. */
export const quietOpt = (): Option => new Option('--quiet', 'no progress on stderr');

/** `--json`: the results as one JSON object on stdout instead of a table. */
export const jsonOpt = (): Option => new Option('--json', 'print the results as one JSON object on stdout instead of the table');

/** `--plot-format svg|png|json` (default svg). */
export const plotFormatOpt = (): Option =>
  choiceOpt<PlotFormat>('--plot-format <format>', 'figure format: svg, png (needs @resvg/resvg-js) or json (the vega-lite spec)', ['svg', 'png', 'json'], 'svg');
