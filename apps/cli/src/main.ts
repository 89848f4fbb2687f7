#!/usr/bin/env node
/**
 * The `wide` executable.
 * @module
 */
import { main } from './cli.js';

process.exitCode = main(process.argv.slice(2));
