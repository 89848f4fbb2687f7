/**
 * Command dispatch of the `wide` CLI: {@link main} runs one command line and returns the exit code.
 * @module
 */
import { WideError } from '@wide/core';
import { UsageError } from './args.js';
import { demoHelp, runDemo } from './commands/demo.js';
import { kernelHelp, runKernel } from './commands/kernel.js';

const help = `wide — exact infinite-width kernels of neural networks

Commands:
  wide kernel   NNGP and NTK of an architecture on .npy inputs
  wide demo     the main job: NNGP/NTK kernel regression on MNIST, with the NTK spectrum as SVG
  wide help     this text

${kernelHelp}

${demoHelp}`;

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'kernel':
        runKernel(rest);
        return 0;
      case 'demo':
        runDemo(rest);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(help + '\n');
        return 0;
      default:
        throw new UsageError(`unknown command "${command}" (commands: kernel, demo, help)`);
    }
  } catch (e) {
    if (e instanceof WideError) {
      process.stderr.write(`wide: error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    // Anything else is a bug in wide: still one line, with the stack only on request.
    if (process.env['WIDE_DEBUG']) throw e;
    process.stderr.write(`wide: internal error: ${String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ')} (set WIDE_DEBUG=1 for the stack)\n`);
    return 1;
  }
}

