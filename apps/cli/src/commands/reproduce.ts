/**
 * `wide reproduce arora`: the Arora et al. 2019 CNTK reproduction (@wide/reproductions) on
 * MNIST / Fashion-MNIST — the Table 1 analogue (test accuracy against depth of CNTK-V, CNTK-GAP
 * and the FC NTK) and the Table 2 analogue (exact CNTK against Monte-Carlo kernels of finite CNNs
 * on a 2-class task). Prints the tables (or one JSON object with --json) and writes
 * arora-table{1,2}.json and arora-table{1,2}.<format> into --out-dir, all at the end and all or
 * nothing.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { WideError } from '@wide/core';
import { Option, type Command } from 'commander';
import { type CommonOptions, choiceOpt, intOpt, jsonOpt, listOpt, plotFormatOpt, quietOpt } from '../args.js';
import { UsageError, WideCommand } from '../command.js';
import { makeProgress } from '../progress.js';
import { parseByteSize } from './kernel.js';
import { fanWangCommand, guSpectraCommand } from './reproduce-rmt.js';

/** Options of `wide reproduce arora` (as parsed by {@link reproduceCommand}). */
export interface AroraOptions extends CommonOptions {
  dataset?: 'fashion-mnist' | 'mnist';
  train?: number;
  test?: number;
  depths?: number[];
  gapTrain?: number;
  gapTest?: number;
  tables?: ('1' | '2')[];
  t2Classes?: number[];
  t2Train?: number;
  t2Test?: number;
  t2Size?: '7' | '14' | '28';
  t2Depths?: number[];
  t2Channels?: number[];
  t2Trials?: number;
  t2Samples?: number;
  maxMemory?: number;
  outDir?: string;
}

/** `--name <a,b,…>`: comma-separated integers in [min, max], increasing when `increasing`. */
function intListOpt(flags: string, description: string, fallback: readonly number[] | undefined, min: number, max: number, increasing: boolean): Option {
  const name = /--([\w-]+)/.exec(flags)![1]!;
  const o = new Option(flags, description)
    .argParser((v: string) => {
      const items = v.split(',').map((s) => s.trim());
      const out = items.map(Number);
      const what = `a comma-separated list of${increasing ? ' increasing' : ''} integers in [${min}, ${max}]`;
      if (items.some((s, i) => s === '' || !Number.isInteger(out[i]) || out[i]! < min || out[i]! > max) || (increasing && out.some((x, i) => i > 0 && x <= out[i - 1]!))) {
        throw new UsageError(`--${name}: expected ${what}, got "${v}"`);
      }
      return out;
    });
  return fallback === undefined ? o : o.default(fallback, fallback.join(','));
}

// The defaults of @wide/reproductions' runTable1 / runTable2, repeated here because every command
// file is loaded at start-up and the reproduction package is loaded only when the command runs.
/** The option defaults (the same as @wide/reproductions' table1Defaults and table2Defaults; a test checks). */
export const aroraDefaults = {
  t1: { dataset: 'fashion-mnist', train: 500, test: 200, depths: [3, 5, 8, 11, 21], gapTrain: 10, gapTest: 10 },
  t2: { classes: { 'fashion-mnist': [0, 6], mnist: [4, 9] }, train: 40, test: 40, size: '7', depths: [3, 6], channels: [8, 32], trials: 3, samples: 1 },
} as const;
const { t1, t2 } = aroraDefaults;

/** The `wide reproduce` command with its `arora` subcommand. */
export function reproduceCommand(): Command {
  const arora = new WideCommand('arora')
    .summary('Arora et al. 2019 (exact CNTK): Table 1 and Table 2 analogues on MNIST / Fashion-MNIST')
    .description(
      'The CNTK of Arora et al. 2019 in the authors\' convention (c_σ = 2, zero padding, depth = conv layers + 1, code top layer; the preset of @wide/reproductions), ridge-less kernel regression on targets one-hot − 0.1, pixels standardised with the training mean and std. Table 1 analogue: test accuracy against depth of CNTK-V, CNTK-GAP and the FC NTK of the same depth (every depth of a kernel in one pass). Table 2 analogue: the exact CNTK against the empirical NTK of random finite CNNs at several channel counts on two classes. Writes arora-table1.json, arora-table1.<format>, arora-table2.json and arora-table2.<format> into --out-dir.',
    )
    .addOption(choiceOpt('--dataset <name>', 'the images', ['fashion-mnist', 'mnist'], t1.dataset))
    .addOption(intOpt('--train <n>', 'Table 1: training images for CNTK-V and the FC NTK', t1.train, 10, 60000))
    .addOption(intOpt('--test <n>', 'Table 1: test images for CNTK-V and the FC NTK', t1.test, 1, 10000))
    .addOption(intListOpt('--depths <list>', 'Table 1: depths (conv layers + 1)', t1.depths, 3, 200, true))
    .addOption(intOpt('--gap-train <n>', 'Table 1: training images for CNTK-GAP (0: no GAP); GAP costs ~800× vanilla per entry on 28×28', t1.gapTrain, 0, 60000))
    .addOption(intOpt('--gap-test <n>', 'Table 1: test images for CNTK-GAP', t1.gapTest, 1, 10000))
    .addOption(listOpt('--tables <list>', 'which tables to compute', ['1', '2'], ['1', '2']))
    .addOption(intListOpt('--t2-classes <a,b>', 'Table 2: the two classes (default: 0,6 on Fashion-MNIST, T-shirt/top vs Shirt; 4,9 on MNIST)', undefined, 0, 9, false))
    .addOption(intOpt('--t2-train <n>', 'Table 2: training images of the two classes', t2.train, 2, 12000))
    .addOption(intOpt('--t2-test <n>', 'Table 2: test images of the two classes', t2.test, 1, 2000))
    .addOption(choiceOpt('--t2-size <side>', 'Table 2: image side after block averaging', ['7', '14', '28'], t2.size))
    .addOption(intListOpt('--t2-depths <list>', 'Table 2: depths', t2.depths, 3, 200, true))
    .addOption(intListOpt('--t2-channels <list>', 'Table 2: channel counts of the finite CNNs', t2.channels, 1, 4096, true))
    .addOption(intOpt('--t2-trials <n>', 'Table 2: random networks per channel count (median reported)', t2.trials, 1, 1000))
    .addOption(intOpt('--t2-samples <n>', 'Table 2: networks averaged into one Monte-Carlo kernel (1: the paper\'s random-feature kernel)', t2.samples, 1, 1000))
    .addOption(new Option('--max-memory <size>', 'memory limit of the kernel computations, bytes or with a K/M/G suffix (default: half the memory, at most 8G)').argParser((v: string) => parseByteSize(v)))
    .option('--out-dir <DIR>', 'folder for the JSON and figure files', '.')
    .addOption(plotFormatOpt())
    .addOption(jsonOpt())
    .addOption(quietOpt())
    .addHelpText('after', '\nThe README of @wide/reproductions has the tables at full size and the command that produced them.')
    .action(async (options: AroraOptions) => {
      await runArora(options);
    });
  return new WideCommand('reproduce')
    .summary('reproductions of the seed papers (arora, fan-wang, gu-spectra)')
    .description('Reproductions of the seed papers\' experiments.')
    .addCommand(arora)
    .addCommand(fanWangCommand())
    .addCommand(guSpectraCommand());
}

const datasetName = (d: string) => (d === 'mnist' ? 'MNIST' : 'Fashion-MNIST');

/** The command line that reproduces a run with these options (recorded in the JSON files); `o` as commander fills it in (every default set). */
function commandLine(o: AroraOptions, tables: readonly string[]): string {
  const parts = ['wide reproduce arora', `--dataset ${o.dataset}`, `--tables ${tables.join(',')}`];
  if (tables.includes('1')) parts.push(`--train ${o.train} --test ${o.test} --depths ${o.depths!.join(',')} --gap-train ${o.gapTrain} --gap-test ${o.gapTest}`);
  if (tables.includes('2')) {
    parts.push(
      `--t2-classes ${(o.t2Classes ?? t2.classes[o.dataset!]).join(',')} --t2-train ${o.t2Train} --t2-test ${o.t2Test} --t2-size ${o.t2Size} --t2-depths ${o.t2Depths!.join(',')} --t2-channels ${o.t2Channels!.join(',')} --t2-trials ${o.t2Trials} --t2-samples ${o.t2Samples}`,
    );
  }
  return parts.join(' ');
}

/** What `wide reproduce arora` produced (also printed with --json). */
export interface AroraRunResult {
  command: string;
  table1: unknown;
  table2: unknown;
  files: string[];
}

/** Runs `wide reproduce arora` with parsed options: prints the tables (or JSON) and writes the files. */
export async function runArora(o: AroraOptions = {}): Promise<AroraRunResult> {
  const tables = o.tables ?? ['1', '2'];
  const classes = o.t2Classes ?? [...t2.classes[o.dataset ?? t1.dataset]];
  if (tables.includes('2') && (classes.length !== 2 || classes[0] === classes[1])) {
    throw new UsageError(`--t2-classes: expected two different classes, got "${classes.join(',')}"`);
  }
  const format = o.plotFormat ?? 'svg';
  const outDir = resolve(o.outDir ?? '.');
  // Loaded here, not at the top: every command file is loaded when any command runs.
  const [repro, { accuracyDepthPlot, checkPlotFormat, renderPlot }] = await Promise.all([import('@wide/reproductions'), import('../plots/index.js')]);
  await checkPlotFormat(format);
  const progress = makeProgress({ quiet: o.quiet });
  const command = commandLine(o, tables);
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const files: [string, string | Uint8Array][] = [];
  const printed: string[] = [];
  const result: AroraRunResult = { command, table1: null, table2: null, files: [] };

  if (tables.includes('1')) {
    const t1 = repro.runTable1({ dataset: o.dataset, train: o.train, test: o.test, depths: o.depths, gapTrain: o.gapTrain, gapTest: o.gapTest, maxMemory: o.maxMemory, progress });
    result.table1 = { paper: 'Arora et al. 2019, Table 1 (analogue)', command, machine, ...t1 };
    const figure = accuracyDepthPlot({
      title: `Arora et al. Table 1 analogue: ${datasetName(t1.dataset)}, ridge-less kernel regression`,
      series: t1.runs.map((run) => ({ name: `${run.kernel} (${run.train} train / ${run.test} test)`, depths: t1.depths, accuracy: run.accuracy })),
    });
    files.push(['arora-table1.json', JSON.stringify(result.table1, null, 2) + '\n'], [`arora-table1.${format}`, await renderPlot(figure, format)]);
    printed.push(repro.formatTable1(t1));
  }
  if (tables.includes('2')) {
    const t2 = repro.runTable2({
      dataset: o.dataset,
      classes: [classes[0]!, classes[1]!],
      train: o.t2Train,
      test: o.t2Test,
      size: Number(o.t2Size ?? 7),
      depths: o.t2Depths,
      channels: o.t2Channels,
      trials: o.t2Trials,
      samples: o.t2Samples,
      maxMemory: o.maxMemory,
      progress,
    });
    result.table2 = { paper: 'Arora et al. 2019, Table 2 (analogue)', command, machine, ...t2 };
    const variants = [...new Set(t2.rows.map((r) => r.variant))];
    const name = (v: string) => (v === 'gap' ? 'CNTK-GAP' : 'CNTK-V');
    const series = variants.flatMap((v) => {
      const rows = t2.rows.filter((r) => r.variant === v);
      const depths = rows.map((r) => r.depth);
      return [
        { name: `${name(v)} exact`, depths, accuracy: rows.map((r) => r.exact) },
        ...rows[0]!.monteCarlo.map((m, c) => ({ name: `${name(v)} Monte-Carlo, ${m.channels} channels (median of ${t2.trials})`, depths, accuracy: rows.map((r) => r.monteCarlo[c]!.median), dashed: true })),
      ];
    });
    const figure = accuracyDepthPlot({
      title: `Arora et al. Table 2 analogue: ${datasetName(t2.dataset)} ${t2.classNames.join(' vs ')} (${t2.size}×${t2.size}, ${t2.train} train / ${t2.test} test), exact vs Monte-Carlo`,
      series,
    });
    files.push(['arora-table2.json', JSON.stringify(result.table2, null, 2) + '\n'], [`arora-table2.${format}`, await renderPlot(figure, format)]);
    printed.push(repro.formatTable2(t2));
  }
  progress.end();

  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new WideError('IO', `cannot create ${outDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { writeFilesAtomic } = await import('@wide/data');
  const paths = files.map(([name, content]) => [join(outDir, name), content] as const);
  writeFilesAtomic(paths);
  result.files = paths.map(([p]) => p);
  if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write([`${command}`, '', printed.join('\n\n'), '', `files: ${result.files.join(', ')}`].join('\n') + '\n');
  return result;
}
