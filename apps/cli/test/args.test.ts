import { describe, expect, it } from 'vitest';
import { intOption, numberOption, UsageError } from '../src/args.js';

describe('option values', () => {
  it('validates numbers', () => {
    expect(intOption('12', 'n', 1, 1)).toBe(12);
    expect(intOption(undefined, 'n', 7, 1)).toBe(7);
    expect(() => intOption('1.5', 'n', 1, 1)).toThrow(/--n: expected an integer/);
    expect(() => intOption('0', 'n', 1, 1)).toThrow(UsageError);
    expect(numberOption('1e-4', 'ridge', 0, 0)).toBe(1e-4);
    expect(() => numberOption('-1', 'ridge', 0, 0)).toThrow(/≥ 0/);
  });
});
