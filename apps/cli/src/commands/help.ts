/**
 * `wide help [command…]`: the help of the program or of a command (as `wide <command> --help`).
 * @module
 */
import { Argument, type Command } from 'commander';
import { UsageError, WideCommand } from '../command.js';

/** The `wide help` command for a program whose commands are named `names` (completed by the shell). */
export function helpCommand(names: readonly string[]): Command {
  const argument = new Argument('[command...]', 'the command');
  argument.argChoices = [...names]; // for completion only; unknown names are reported below
  return new WideCommand('help')
    .summary('help for a command')
    .addArgument(argument)
    .action((path: string[], _options: unknown, cmd: Command) => {
      let target = cmd.parent ?? cmd;
      for (const name of path) {
        const sub = target.commands.find((c) => c.name() === name);
        if (!sub) throw new UsageError(`help: unknown command "${path.join(' ')}" (commands: ${target.commands.map((c) => c.name()).join(', ')})`);
        target = sub;
      }
      target.outputHelp();
    });
}
