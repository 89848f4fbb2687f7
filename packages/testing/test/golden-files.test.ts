import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { goldenFcCases, goldenFcInputs, goldenPath } from '../src/index.js';

// Inside the development checkout the originals live in ../shared/golden; the copies shipped
// here must stay byte-identical to them (they are never edited to make a test pass).
const shared = fileURLToPath(new URL('../../../../shared/golden/', import.meta.url));

describe('golden files', () => {
  it('ship the fully-connected cases with finite values', () => {
    const cases = goldenFcCases();
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const c of cases) {
      expect(Number.isFinite(c.nngp) && Number.isFinite(c.ntk)).toBe(true);
      expect(Math.abs(c.rho)).toBeLessThanOrEqual(1);
    }
  });
  it('build inputs with unit norms and correlation ρ', () => {
    const { x1, x2 } = goldenFcInputs(0.3);
    expect((x1[0]! ** 2 + x1[1]! ** 2) / 2).toBeCloseTo(1, 15);
    expect((x2[0]! ** 2 + x2[1]! ** 2) / 2).toBeCloseTo(1, 15);
    expect((x1[0]! * x2[0]! + x1[1]! * x2[1]!) / 2).toBeCloseTo(0.3, 15);
  });
  it.runIf(existsSync(shared))('are byte-identical to ../shared/golden', () => {
    for (const name of ['fc-kernels', 'cnn-kernels'] as const) {
      expect(readFileSync(goldenPath(name), 'utf8')).toBe(readFileSync(`${shared}${name}.json`, 'utf8'));
    }
  });
});
