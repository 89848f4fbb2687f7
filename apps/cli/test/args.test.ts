import { describe, expect, it } from 'vitest';
import { intOption, numberOption, parseArgs, UsageError } from '../src/args.js';

describe('parseArgs', () => {
  const spec = { out: 'string', quiet: 'flag' } as const;
  it('reads --name value, --name=value and flags', () => {
    expect(parseArgs(['--out', 'a.json', '--quiet'], spec, 'x')).toEqual({ out: 'a.json', quiet: true });
    expect(parseArgs(['--out=b.json'], spec, 'x')).toEqual({ out: 'b.json' });
  });
  it('rejects unknown options, stray arguments and missing values', () => {
    expect(() => parseArgs(['--nope'], spec, 'x')).toThrow(/unknown option --nope/);
    expect(() => parseArgs(['file'], spec, 'x')).toThrow(/unexpected argument "file"/);
    expect(() => parseArgs(['--out'], spec, 'x')).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--out', '--quiet'], spec, 'x')).toThrow(UsageError);
  });
  it('validates numbers', () => {
    expect(intOption('12', 'n', 1, 1)).toBe(12);
    expect(intOption(undefined, 'n', 7, 1)).toBe(7);
    expect(() => intOption('1.5', 'n', 1, 1)).toThrow(/--n: expected an integer/);
    expect(() => intOption('0', 'n', 1, 1)).toThrow(UsageError);
    expect(numberOption('1e-4', 'ridge', 0, 0)).toBe(1e-4);
    expect(() => numberOption('-1', 'ridge', 0, 0)).toThrow(/≥ 0/);
  });
});
