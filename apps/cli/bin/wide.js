#!/usr/bin/env node
// The `wide` bin: runs the compiled CLI (dist/main.js, built by `pnpm install` through the root
// `prepare` script, or by `pnpm build`). This file is committed so that pnpm can link
// node_modules/.bin/wide at install time, before dist/ exists.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  process.stderr.write('wide: error: the CLI is not built (no apps/cli/dist/main.js); run `pnpm build` at the repository root\n');
  process.exitCode = 1;
}
