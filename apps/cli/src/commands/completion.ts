/**
 * `wide completion bash|zsh`: prints a shell completion script generated from the command tree.
 * @module
 */
import { Argument, type Command } from 'commander';
import { WideCommand } from '../command.js';
import type { Shell } from '../completion.js';

/** The `wide completion` command. */
export function completionCommand(): Command {
  return new WideCommand('completion')
    .summary('print a bash or zsh completion script')
    .description('Prints a completion script for every wide command and option.')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      `
Install:
  bash: wide completion bash > ~/.local/share/bash-completion/completions/wide
  zsh:  wide completion zsh > "\${fpath[1]}/_wide"   (or: source <(wide completion zsh) in ~/.zshrc)`,
    )
    .action(async (shell: Shell, _options: unknown, cmd: Command) => {
      const { completionScript } = await import('../completion.js');
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(completionScript(root, shell));
    });
}
