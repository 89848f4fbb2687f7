import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's example, run as a user would run it.
it('examples/property.ts runs and prints the numbers the README shows', () => {
  const file = fileURLToPath(new URL('../examples/property.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  expect(out).toContain('PSD property held for 25 random architectures');
  expect(Number(/relative error ([\d.e+-]+)/.exec(out)![1])).toBeLessThan(4 / Math.sqrt(2048));
});
