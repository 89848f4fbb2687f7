import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's examples, run as a user would run them.
const run = (name: string): string => {
  const file = fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
  return execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
};

it('examples/mnist-npy.ts runs and prints the numbers the README shows', () => {
  const out = run('mnist-npy.ts');
  expect(out).toContain('x: [ 100, 784 ]');
  expect(out).toContain('read back f8 [ 100, 784 ] targets 200');
});

it('examples/cifar10-binary.ts runs and prints the numbers the README shows', () => {
  const out = run('cifar10-binary.ts');
  expect(out).toContain("x: [ 2, 32, 32, 3 ] labels: [ 'cat', 'ship' ]");
  expect(out).toContain('pixel (0, 0) of image 0, RGB: [ 1, 0, 0 ]');
});
