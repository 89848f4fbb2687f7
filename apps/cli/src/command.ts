/**
 * {@link WideCommand}: commander's `Command` with the `wide` error voice. Every usage mistake
 * commander detects (unknown option or command, missing value, missing required option, stray
 * argument, bad choice) becomes a {@link UsageError} with one line such as
 * `kernel: unknown option --bogus (see wide kernel --help)`; nothing is printed and
 * `process.exit` is never called — `main` prints the line and returns exit code 2.
 * @module
 */
import { Command, type ParseOptionsResult } from 'commander';
import { WideError } from '@wide/core';

/** A usage error (exit code 2). */
export class UsageError extends WideError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}

/** The command's path below the root, e.g. `kernel` (empty for the root). */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The long flag of an option as commander quotes it: `'-o, --out <file>'` → `--out`; other quoted words stay. */
const flagOf = (quoted: string) => /--[\w-]+/.exec(quoted)?.[0] ?? quoted;

/**
 * One of commander's error messages in the `wide` voice: one line, prefixed by the command's
 * path, quotes and `<value>` placeholders dropped, pointing to the command's help; e.g.
 * `kernel: unknown option --outt (Did you mean --out?) (see wide kernel --help)`.
 */
export function usageMessage(cmd: Command, message: string): string {
  const path = commandPath(cmd);
  const text = message
    .replace(/^error: too many arguments.*/s, () => `unexpected argument "${cmd.args[cmd.registeredArguments.length] ?? ''}"`)
    .replace(/^error: /, '')
    .replace(/ argument missing$/, ' needs a value')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/'([^']*)'/g, (_m, quoted: string) => flagOf(quoted));
  return `${path ? `${path}: ` : ''}${text} (see wide ${path ? `${path} ` : ''}--help)`;
}

/**
 * A commander command whose usage errors are thrown as {@link UsageError}s (see the module
 * comment). Subcommands made with `.command(name)` are `WideCommand`s too.
 */
export class WideCommand extends Command {
  constructor(name?: string) {
    super(name);
    // Help and --version throw a CommanderError with exit code 0 instead of exiting.
    this.exitOverride();
  }

  override createCommand(name?: string): WideCommand {
    return new WideCommand(name);
  }

  override error(message: string): never {
    throw new UsageError(usageMessage(this, message));
  }

  /**
   * As commander, but `--out --quiet` is a missing value (not an output file named `--quiet`),
   * and an unknown option of a leaf command is reported before a missing required one.
   */
  override parseOptions(argv: string[]): ParseOptionsResult {
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--') break;
      const option = this.options.find((o) => o.long === argv[i] || o.short === argv[i]);
      if (!option?.required) continue;
      const value = argv[++i];
      if (value?.startsWith('--')) this.error(`error: option '${option.flags}' argument missing`);
    }
    const parsed = super.parseOptions(argv);
    const unknown = parsed.unknown.find((a) => a.startsWith('-'));
    const help = parsed.unknown.some((a) => a === '--help' || a === '-h');
    // commander's own reporter (it adds "did you mean"); it would run after the required-option check.
    if (this.commands.length === 0 && unknown && !help) (this as unknown as { unknownOption(flag: string): void }).unknownOption(unknown);
    return parsed;
  }
}
