/**
 * A small strict argument parser: `--name value` and `--flag`, unknown options are errors.
 * @module
 */
import { WideError } from '@wide/core';

/** A usage error (exit code 2). */
export class UsageError extends WideError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}

/** Option kinds: string values or boolean flags. */
export type OptionSpec = Record<string, 'string' | 'flag'>;

/** Parses `argv` against `spec`; returns the values by option name. */
export function parseArgs(argv: readonly string[], spec: OptionSpec, command: string): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new UsageError(`${command}: unexpected argument "${a}" (see wide ${command} --help)`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq >= 0 ? eq : undefined);
    const kind = spec[name];
    if (!kind) throw new UsageError(`${command}: unknown option --${name} (see wide ${command} --help)`);
    if (kind === 'flag') {
      out[name] = true;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${command}: option --${name} needs a value`);
    out[name] = value;
  }
  return out;
}

/** An integer option in [min, max]. */
export function intOption(value: string | boolean | undefined, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name}: expected an integer in [${min}, ${max}], got "${value}"`);
  return v;
}

/** A number option ≥ min. */
export function numberOption(value: string | boolean | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(v) || v < min) throw new UsageError(`--${name}: expected a number ≥ ${min}, got "${value}"`);
  return v;
}
