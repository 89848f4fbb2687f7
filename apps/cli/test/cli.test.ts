import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { WideCommand, buildProgram, completionScript, intOpt, main, plotFormatOpt } from '../src/index.js';
import { commands } from '../src/commands/index.js';
import { filesIn, tempDir } from './run-cli.js';

/** Every command's name in the order `wide --help` lists them, `help` last. */
const names = [...commands.map((make) => make().name()), 'help'];

/** Runs `main` in this process, capturing stdout and stderr. */
async function wide(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('wide: help and version', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await wide('--version')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('wide, wide help and wide --help list every command', async () => {
    for (const argv of [[], ['help'], ['--help']]) {
      const r = await wide(...argv);
      expect(r.code).toBe(0);
      expect(names).toEqual(expect.arrayContaining(['kernel', 'demo', 'reproduce', 'completion', 'help']));
      for (const name of names) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
      expect(r.stdout).toContain('Exit code 0 on success, 2 on a usage error, 1 on any other error');
    }
  });

  it('wide help <command> is wide <command> --help, generated from the options', async () => {
    const viaHelp = await wide('help', 'kernel');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe((await wide('kernel', '--help')).stdout);
    for (const flag of ['--arch', '--x1', '--x2', '--get', '--backend', '--out', '--out-dir', '--tile', '--quiet']) expect(viaHelp.stdout).toContain(flag);
    const demo = (await wide('help', 'demo')).stdout;
    expect(demo).toMatch(/--train <n>\s+MNIST training images \(default: 2000\)/);
    expect(demo).toMatch(/--ridge <λ>.*\(default:\s+1e-4\)/s);
    expect(demo).toMatch(/--plot-format <format>.*choices: "svg", "png",\s+"json", default: "svg"/s);
  });
});

describe('wide: usage errors are one line on stderr and exit code 2', () => {
  const k = ['kernel', '--arch', 'a.json', '--x1', 'x.npy', '--out', 'o.json'];
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /^unknown command frobnicate \(see wide --help\)$/],
    [['--bogus'], /^unknown option --bogus \(see wide --help\)$/],
    [['kernel', '--outt', 'x'], /^kernel: unknown option --outt \(Did you mean --out\?\) \(see wide kernel --help\)$/],
    [['kernel', '--arch'], /^kernel: option --arch needs a value \(see wide kernel --help\)$/],
    [['kernel', '--arch', '--x1', 'x.npy'], /^kernel: option --arch needs a value \(see wide kernel --help\)$/],
    [['kernel', '--x1', 'x.npy'], /^kernel: required option --arch not specified \(see wide kernel --help\)$/],
    [[...k, 'extra'], /^kernel: unexpected argument "extra" \(see wide kernel --help\)$/],
    [[...k, '--tile', '0'], /^--tile: expected an integer in \[1, \d+\], got "0"$/],
    [[...k, '--backend', 'tpu'], /^--backend: expected one of cpu, gpu, got "tpu"$/],
    [[...k, '--get', 'nngp,cov'], /^--get: expected a comma-separated list of nngp, ntk, got "cov"$/],
    [['demo', '--train', 'x'], /^--train: expected an integer in \[10, 60000\], got "x"$/],
    [['demo', '--test', '1e9'], /^--test: expected an integer in \[1, 10000\], got "1e9"$/],
    [['demo', '--ridge', '-1'], /^--ridge: expected a number ≥ 0, got "-1"$/],
    [['demo', '--ridge='], /^--ridge: expected a number ≥ 0, got ""$/],
    [['demo', '--plot-format', 'gif'], /^--plot-format: expected one of svg, png, json, got "gif"$/],
    [['help', 'nope'], new RegExp(`^help: unknown command "nope" \\(commands: ${names.join(', ')}\\)$`)],
    [['completion'], /^completion: missing required argument shell \(see wide completion --help\)$/],
    [['completion', 'fish'], /^completion: command-argument value fish is invalid for argument shell\. Allowed choices are bash, zsh\. \(see wide completion --help\)$/],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const r = await wide(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines).toHaveLength(2); // one line and its newline
    expect(lines[0]).toMatch(/^wide: error: /);
    expect(lines[0]!.slice('wide: error: '.length)).toMatch(message);
  });

  it('other WideErrors exit with code 1', async () => {
    const r = await wide('kernel', '--arch', join(tempDir(), 'missing.json'), '--x1', 'x.npy', '--out', 'o.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wide: error: cannot read .*missing\.json: ENOENT\n$/);
  });
});

describe('wide completion', () => {
  const hasShell = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;

  /** What bash completes for the words typed so far (the last one possibly partial). */
  function bashComplete(script: string, words: string[]): string[] {
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _wide; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it.skipIf(!hasShell('bash'))('bash: completes commands, options, choices and positional choices', async () => {
    const r = await wide('completion', 'bash');
    expect(r.code).toBe(0);
    expect(bashComplete(r.stdout, ['wide', ''])).toEqual(names);
    expect(bashComplete(r.stdout, ['wide', 'kernel', '--o'])).toEqual(['--out', '--out-dir']);
    expect(bashComplete(r.stdout, ['wide', 'kernel', '--arch', 'a.json', '--backend', ''])).toEqual(['cpu', 'gpu']);
    expect(bashComplete(r.stdout, ['wide', 'demo', '--plot-format', 'p'])).toEqual(['png']);
    expect(bashComplete(r.stdout, ['wide', 'demo', '--no'])).toEqual(['--no-spectrum', '--no-train']);
    expect(bashComplete(r.stdout, ['wide', 'completion', ''])).toEqual(['bash', 'zsh']);
    expect(bashComplete(r.stdout, ['wide', 'help', 'd'])).toEqual(['demo']);
  });

  it('zsh: an _arguments function per command with every option, choice and description', async () => {
    const r = await wide('completion', 'zsh');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#compdef wide\n/);
    for (const fn of ['_wide()', '_wide_kernel()', '_wide_demo()', '_wide_completion()', '_wide_help()']) expect(r.stdout).toContain(fn);
    expect(r.stdout).toContain(`'--backend[cpu; gpu is not available yet]:name:(cpu gpu)'`);
    expect(r.stdout).toContain(`'--out-dir[write nngp.npy and ntk.npy (float64) into DIR]:DIR:_files -/'`);
    expect(r.stdout).toContain(`'1:shell:(bash zsh)'`);
  });

  it.skipIf(!hasShell('zsh'))('zsh: the script loads under compinit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '_wide'), (await wide('completion', 'zsh')).stdout);
    const check = spawnSync('zsh', ['-fc', `autoload -U compinit && compinit -u -d ${dir}/zcompdump && source ${dir}/_wide && (( $+functions[_wide_kernel] )) && echo loaded`], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.stdout.trim()).toBe('loaded');
  });

  it('follows the command tree: a new command with its options completes without further code', () => {
    const program = buildProgram();
    program.addCommand(new WideCommand('eigenvalues').summary('eigenvalues').addOption(intOpt('--top <k>', 'how many', 10, 1)).addOption(plotFormatOpt()));
    const bash = completionScript(program, 'bash');
    expect(bash).toContain('"eigenvalues") opts="--top --plot-format -h --help"');
    expect(bash).toContain('"eigenvalues:--plot-format") COMPREPLY=($(compgen -W "svg png json" -- "$cur"))');
    const zsh = completionScript(program, 'zsh');
    expect(zsh).toContain("'eigenvalues:eigenvalues'");
    expect(zsh).toContain("'--top[how many]:k: '");
    expect(completionScript(new Command('x'), 'bash')).toContain('complete -o default -F _x x');
  });
});

describe('wide demo --json and --plot-format (reduced size)', () => {
  it('prints one JSON object with the numbers, writes the vega-lite spec', async () => {
    const dir = tempDir();
    const r = await wide('demo', '--train', '100', '--test', '50', '--no-train', '--json', '--plot-format', 'json', '--out-dir', dir, '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout) as { train: number; test: number; accuracy: { nngp: number; ntk: number }; seconds: Record<string, number>; spectrumPath: string };
    expect(out).toMatchObject({ train: 100, test: 50, spectrumPath: join(dir, 'wide-demo-ntk-spectrum.json') });
    for (const a of [out.accuracy.nngp, out.accuracy.ntk]) expect(a).toBeGreaterThan(0.5); // chance is 0.1
    expect(Object.keys(out.seconds).sort()).toEqual(['kernels', 'solve', 'spectrum', 'training']);
    expect(filesIn(dir)).toEqual(['wide-demo-ntk-spectrum.json']);
    const spec = JSON.parse(readFileSync(out.spectrumPath, 'utf8')) as { $schema: string; title: string; data: { values: unknown[] } };
    expect(spec.$schema).toMatch(/vega-lite/);
    expect(spec.title).toBe('Eigenvalues of the training NTK (MNIST, n = 100, 3-hidden-layer ReLU)');
    expect(spec.data.values).toHaveLength(100);
  });

  it('--plot-format png writes a PNG (when @resvg/resvg-js loads); --no-spectrum writes nothing', async () => {
    const dir = tempDir();
    const png = await wide('demo', '--train', '20', '--test', '10', '--no-train', '--plot-format', 'png', '--out-dir', dir, '--quiet');
    if (png.code === 1) expect(png.stderr).toMatch(/@resvg\/resvg-js/);
    else {
      expect(png.code).toBe(0);
      expect(png.stdout).toContain(`NTK spectrum: ${join(dir, 'wide-demo-ntk-spectrum.png')}`);
      expect(readFileSync(join(dir, 'wide-demo-ntk-spectrum.png')).subarray(1, 4).toString()).toBe('PNG');
    }
    const none = tempDir();
    const r = await wide('demo', '--train', '20', '--test', '10', '--no-spectrum', '--no-train', '--json', '--out-dir', none, '--quiet');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ spectrumPath: null, seconds: { spectrum: 0 } });
    expect(filesIn(none)).toEqual([]);
  });
});
