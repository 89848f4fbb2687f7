/**
 * The `wide` program: {@link buildProgram} assembles the commander tree from the registry in
 * `commands/`, {@link main} runs one command line and returns the exit code (conventions §3):
 * 0 on success, 2 on a usage error, 1 on any other error, each error one line on stderr.
 * @module
 */
import { readFileSync } from 'node:fs';
import { type Command, CommanderError } from 'commander';
import { WideError } from '@wide/core';
import { UsageError, WideCommand } from './command.js';
import { helpCommand } from './commands/help.js';
import { commands } from './commands/index.js';
import { stopProgress } from './progress.js';

/** The version of `@wide/cli` (its package.json, one folder above both src/ and dist/). */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The `wide` command tree: every registered command, then `help`. */
export function buildProgram(): Command {
  const program = new WideCommand('wide')
    .description('Exact infinite-width kernels (NNGP Σ, NTK Θ) of neural networks.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .addHelpText(
      'after',
      `
Run "wide help <command>" or "wide <command> --help" for a command's options.
Exit code 0 on success, 2 on a usage error, 1 on any other error (one line on stderr, no output file).
Progress goes to stderr: a bar on a terminal, one line per stage otherwise, nothing with --quiet.`,
    );
  for (const make of commands) program.addCommand(make());
  program.addCommand(helpCommand(program.commands.map((c) => c.name())));
  return program;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/** Runs the CLI on `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv.length ? [...argv] : ['help'], { from: 'user' });
    return 0;
  } catch (e) {
    stopProgress();
    // --help and --version end with a CommanderError of exit code 0; usage errors are UsageErrors.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof WideError) {
      process.stderr.write(`wide: error: ${oneLine(e.message)}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    // Anything else is a bug in wide: still one line, with the stack only on request.
    if (process.env['WIDE_DEBUG']) throw e;
    process.stderr.write(`wide: internal error: ${oneLine(String((e as Error)?.message ?? e))} (set WIDE_DEBUG=1 for the stack)\n`);
    return 1;
  }
}
