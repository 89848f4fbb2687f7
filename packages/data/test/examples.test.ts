import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's example, run as a user would run it.
it('examples/mnist-npy.ts runs and prints the numbers the README shows', () => {
  const file = fileURLToPath(new URL('../examples/mnist-npy.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  expect(out).toContain('x: [ 100, 784 ]');
  expect(out).toContain('read back f8 [ 100, 784 ] targets 200');
});
