import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's examples, run as a user would run them.
function run(name: string): string {
  const file = fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
  return execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
}

it('examples/regression.ts runs and prints the numbers the README shows', () => {
  expect(Number(/test accuracy ([\d.]+) %/.exec(run('regression.ts'))![1])).toBeGreaterThan(80);
});

it('examples/predict.ts: accuracy rises along training, the loss falls to 0 at t = ∞, the ensemble has a spread', () => {
  const out = run('predict.ts');
  const rows = [...out.matchAll(/t = (\S+): train loss (\S+), test accuracy ([\d.]+) %/g)].map((r) => ({ t: Number(r[1]), loss: Number(r[2]), acc: Number(r[3]) }));
  expect(rows.map((r) => r.t)).toEqual([0, 10, 100, 1000, 10000, Infinity]);
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.loss).toBeLessThanOrEqual(rows[i - 1]!.loss);
  expect(rows[5]!.loss).toBe(0);
  expect(rows[0]!.acc).toBeLessThan(20);
  expect(rows[5]!.acc).toBeGreaterThan(80);
  const [, acc, sd] = /ensemble at t = 1000: test accuracy ([\d.]+) %, mean predictive std ([\d.]+)/.exec(out)!;
  expect(Number(acc)).toBeGreaterThan(80);
  expect(Number(sd)).toBeGreaterThan(0.1);
  expect(Number(/√\(2yᵀΘ⁻¹y\/n\) = ([\d.]+)/.exec(out)![1])).toBeGreaterThan(0);
});
