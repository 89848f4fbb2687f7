import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** The outcome of one `wide …` process. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `wide …` as its own process from the TypeScript sources (through tsx), as `pnpm wide:dev` does. */
export function runWide(args: readonly string[]): CliRun {
  const r = spawnSync(process.execPath, ['--conditions=@wide/source', '--import', 'tsx', main, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, WIDE_DEBUG: '', FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'wide-cli-'));
}

/** Files in a folder, sorted. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}
