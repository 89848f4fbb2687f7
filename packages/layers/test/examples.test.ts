import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's example, run as a user would run it.
it('examples/architecture-json.ts runs and prints the numbers the README shows', () => {
  const file = fileURLToPath(new URL('../examples/architecture-json.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  const exact = /Θ\(x1, x2\) = \[ '([\d.]+)', '([\d.]+)', '([\d.]+)' \]/.exec(out)!.slice(1).map(Number);
  const mc = /width 1024: \[ '([\d.]+)', '([\d.]+)', '([\d.]+)' \]/.exec(out)!.slice(1).map(Number);
  exact.forEach((v, i) => expect(Math.abs(mc[i]! - v) / v).toBeLessThan(0.1));
});
