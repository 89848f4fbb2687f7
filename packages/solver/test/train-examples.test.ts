import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The finite-network examples, run as a user would run them.
const run = (name: string, args: string[] = []) =>
  execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', fileURLToPath(new URL(`../examples/${name}`, import.meta.url)), ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });

it('examples/train-finite-vs-kernel.ts: the wide network stays close to its NTK prediction, the narrow one less so', () => {
  const out = run('train-finite-vs-kernel.ts');
  const gap = (w: number) => Number(new RegExp(`width ${w}: largest gap to the NTK prediction ([\\d.]+)`).exec(out)![1]);
  const moved = (w: number) => Number(new RegExp(`width ${w}: .* moved by ([\\d.]+) %`).exec(out)![1]);
  // Printed: 0.1497 and 0.0238; the kernel moved by 4.24 % and 0.43 %.
  expect(gap(4096)).toBeLessThan(0.05);
  expect(gap(4096)).toBeLessThan(0.5 * gap(256));
  expect(moved(4096)).toBeLessThan(0.5 * moved(256));
});

it('examples/train-mnist.ts runs on a small split and prints the accuracy table', () => {
  const out = run('train-mnist.ts', ['--train', '40', '--test', '60', '--widths', '32', '--steps', '0,3']);
  const rows = out.split('\n').filter((l) => /^\| [\d.]+ \(\d+ steps\)/.test(l));
  expect(rows.length).toBe(2);
  for (const r of rows) expect(r.match(/[\d.]+ %/g)!.length).toBe(3);
  // The NTK mean starts at chance (all outputs 0 → class 0 everywhere) and learns within 3 steps.
  const ntk = rows.map((r) => Number(/\| ([\d.]+) %/.exec(r)![1]));
  expect(ntk[1]!).toBeGreaterThan(ntk[0]! + 10);
});
