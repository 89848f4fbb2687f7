import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's example, run as a user would run it.
it('examples/arora-preset.ts prints the layers and the golden CNTK values', () => {
  const file = fileURLToPath(new URL('../examples/arora-preset.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  expect(out).toContain('conv → abRelu → conv → abRelu → flatten → dense');
  expect(out).toContain('CNTK-V depth 3: K(a, b) = 93.29430776');
  expect(out).toContain('CNTK-GAP depth 3: K(a, b) = 0.26091699');
});
