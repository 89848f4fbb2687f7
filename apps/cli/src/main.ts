#!/usr/bin/env node
/**
 * The `wide` executable.
 * @module
 */
import { main } from './cli.js';

// `wide help | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2));
