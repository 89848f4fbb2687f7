#!/usr/bin/env node
// Runs every package's type-check and tests through nx, then prints one aggregated
// `N passed, N failed` line (the per-package vitest summaries summed), skipped tests on the line before.
// Tests resolve the workspace packages to their TypeScript sources (the `@wide/source` condition),
// so a stale or missing dist/ does not matter here; the pack-and-install test (tools/pack-test)
// is the one that uses dist/, and nx builds it first. WIDE_CI_CHECKS_PASSED / _FAILED (set by
// .ci/run for its checks of the development commands) are added to the totals.
import { spawn } from 'node:child_process';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const args = ['exec', 'nx', 'run-many', '-t', 'typecheck', 'test', '--output-style=static', ...process.argv.slice(2)];
const child = spawn('pnpm', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
const totals = { passed: 0, failed: 0, skipped: 0 };
let buffer = '';
const line = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;
function scan(text) {
  for (const raw of text.split('\n')) {
    const m = line.exec(raw.replace(ansi, '').trim());
    if (m) {
      totals.passed += Number(m[1]);
      totals.failed += Number(m[2]);
      totals.skipped += Number(m[3] ?? 0);
    }
  }
}
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  buffer += d.toString();
  const cut = buffer.lastIndexOf('\n');
  if (cut >= 0) {
    scan(buffer.slice(0, cut));
    buffer = buffer.slice(cut + 1);
  }
});
child.stderr.on('data', (d) => process.stderr.write(d));
child.on('close', (code) => {
  scan(buffer);
  const failedRun = code !== 0 && totals.failed === 0 ? 1 : 0;
  // .ci/run's checks of the development commands (build, docs, bench, the wide bin) count too.
  const checksPassed = Number(process.env.WIDE_CI_CHECKS_PASSED ?? 0) || 0;
  const checksFailed = Number(process.env.WIDE_CI_CHECKS_FAILED ?? 0) || 0;
  const checks = checksPassed + checksFailed > 0 ? `ci checks: ${checksPassed} passed, ${checksFailed} failed (counted below)\n` : '';
  // CI reads the last line: exactly `N passed, N failed`.
  process.stdout.write(`\n${checks}${totals.skipped} skipped\n${totals.passed + checksPassed} passed, ${totals.failed + failedRun + checksFailed} failed\n`);
  process.exit(code !== 0 ? (code ?? 1) : checksFailed > 0 ? 1 : 0);
});
