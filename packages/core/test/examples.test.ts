import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's example, run as a user would run it.
it('examples/core-tour.ts runs and prints the numbers the README shows', () => {
  const file = fileURLToPath(new URL('../examples/core-tour.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  expect(out).toContain('split 0.304498890522, closed form 0.304498890522');
  expect(out).toMatch(/eigenvalues of 2·Σ⁰: \[ '0\.\d{4}', '\d\.\d{4}', '\d\.\d{4}' \]/);
});
