import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's example, run as a user would run it.
it('examples/rmt-tour.ts runs and prints the numbers the README shows', () => {
  const file = fileURLToPath(new URL('../examples/rmt-tour.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  expect(out).toContain('b_σ = 0.977754, a_σ = 1.111850, r₊ = 2.572394');
  expect(out).toContain('m_CK(1 + 0.1i) = -0.806505 + 0.409024i');
  expect(out).toContain('limit densities: CK converged, NTK converged');
  // one network at n = 450: the KS distances are a few 1e-3 to 1.5e-2 (the acceptance test runs n = 1500)
  const ks = /KS\(CK\) = (0\.\d+), KS\(NTK, Lemma 3\.5\) = (0\.\d+)/.exec(out);
  expect(Number(ks![1])).toBeLessThan(0.03);
  expect(Number(ks![2])).toBeLessThan(0.03);
  expect(out).toContain('τ₀ = 1.0684; layer 3: α₁ = 0.0156, α₂ = 0.0092, α₃ = 0.0099, τ = 0.2126');
  const rel = /‖K_CK − K̃_CK‖\/‖K_CK‖ = (0\.\d+)/.exec(out);
  expect(Number(rel![1])).toBeLessThan(0.4);
});
