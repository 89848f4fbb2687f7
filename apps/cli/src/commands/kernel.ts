/**
 * `wide kernel` (conventions §3): NNGP and NTK of an architecture on `.npy` inputs (flat (n, d) or
 * spatial, e.g. NHWC images (n, H, W, C)), written as JSON (`--out`) or as float64 `.npy` files
 * (`--out-dir`), all-or-nothing. Spatial networks run in the layout their readout needs
 * (`--layout auto`: same-position covariances for CNN-V, all position pairs for pooling) under a
 * memory limit checked before any work (`--max-memory`).
 * @module
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kernel, type KernelName, type LayoutOption, type Tensor, type TiledOptions, UnsupportedError, WideError, computeKernelTiled, cpuBackend, positionsOf } from '@wide/core';
import { npyParts, readNpy, writeFilesAtomic } from '@wide/data';
import { parseArchitecture } from '@wide/layers';
import { type Command, Option } from 'commander';
import { choiceOpt, intOpt, listOpt, quietOpt } from '../args.js';
import { UsageError, WideCommand } from '../command.js';
import { makeProgress } from '../progress.js';

/** Options of `wide kernel` (as parsed by {@link kernelCommand}). */
export interface KernelOptions {
  /** Architecture JSON file (conventions §2). */
  arch: string;
  /** Inputs as .npy; `x2` defaults to `x1`. */
  x1: string;
  x2?: string;
  /** Kernels to compute (default both). */
  get?: KernelName[];
  /** `cpu` (default); `gpu` is not available yet. */
  backend?: 'cpu' | 'gpu';
  /** Exactly one of: a JSON file, or a folder for nngp.npy and ntk.npy. */
  out?: string;
  outDir?: string;
  /** Rows per tile (default: the whole kernel as one tile up to 8,192 samples, see computeKernelTiled). */
  tile?: number;
  /** Spatial covariances kept: `auto` (default; what the architecture needs), `diagonal` or `full`. */
  layout?: LayoutOption;
  /** Memory limit in bytes (default: computeKernelTiled's); a larger estimate fails before any work. */
  maxMemory?: number;
  /** No progress on stderr. */
  quiet?: boolean;
}

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/**
 * A memory size: bytes, or a number with a binary suffix K, M, G or T (optionally followed by B or
 * iB, any case): `8G` = 8·2³⁰ bytes, `1.5M`, `512KiB`. Throws UsageError naming `--name` otherwise.
 */
export function parseByteSize(text: string, name = 'max-memory'): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const bytes = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : Number.NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) throw new UsageError(`--${name}: expected a size in bytes with an optional K, M, G or T suffix (e.g. 8G), got "${text}"`);
  return bytes;
}

/** The `wide kernel` command: its options, help and action. */
export function kernelCommand(): Command {
  return new WideCommand('kernel')
    .summary('NNGP and NTK of an architecture on .npy inputs')
    .description('Computes the infinite-width NNGP Σ and NTK Θ of the architecture on the inputs (float64).')
    .requiredOption('--arch <ARCH.json>', 'architecture JSON (conventions §2)')
    .requiredOption('--x1 <X1.npy>', 'inputs as .npy (float32/float64/integers, C order), shape (n, d), or (n, H, W, C) images (NHWC; any spatial rank)')
    .option('--x2 <X2.npy>', 'second inputs (default: --x1)')
    .addOption(listOpt('--get <kernels>', 'kernels to compute, comma-separated', ['nngp', 'ntk'], ['nngp', 'ntk']))
    .addOption(choiceOpt('--backend <name>', 'cpu; gpu is not available yet', ['cpu', 'gpu'], 'cpu'))
    .option('--out <OUT.json>', 'write {"nngp": [[…]], "ntk": [[…]]} (n1×n2)')
    .option('--out-dir <DIR>', 'write nngp.npy and ntk.npy (float64) into DIR')
    .addOption(intOpt('--tile <N>', 'rows per tile (default: one tile up to 8,192 samples, bounded memory beyond); progress is shown per tile on a terminal', undefined, 1))
    .addOption(choiceOpt<LayoutOption>('--layout <layout>', 'spatial covariances kept: auto (what the architecture needs), diagonal (same position only: CNN-V) or full (all position pairs)', ['auto', 'diagonal', 'full'], 'auto'))
    .addOption(new Option('--max-memory <size>', 'memory limit, bytes or with a K/M/G suffix (e.g. 8G); a larger estimate fails before any work (default: half the memory, at most 8G)').argParser((v: string) => parseByteSize(v)))
    .addOption(quietOpt())
    .addHelpText('after', '\nGive exactly one of --out or --out-dir. Exit code 0 on success; otherwise one line on stderr and no output file.')
    .action((options: KernelOptions) => runKernel(options));
}

function loadInput(path: string, which: string): Tensor {
  const a = readNpy(path, { alloc: cpuBackend.zeros });
  if (a.shape.length < 2) throw new WideError('SHAPE_MISMATCH', `--${which} ${path}: expected shape (n, d) or (n, …, C), got [${a.shape.join(', ')}]`);
  return { data: a.data, shape: a.shape };
}

/** Runs `wide kernel` with parsed options. */
export function runKernel(o: KernelOptions): void {
  const out = o.out;
  const outDir = o.outDir;
  if ((out === undefined) === (outDir === undefined)) throw new UsageError('kernel: give exactly one of --out OUT.json or --out-dir DIR');
  if (o.backend === 'gpu') throw new UnsupportedError('kernel: the gpu backend is not available yet; use --backend cpu');
  const get: KernelName[] = o.get ?? ['nngp', 'ntk'];

  let archText: string;
  try {
    archText = readFileSync(o.arch, 'utf8');
  } catch (e) {
    throw new WideError('IO', `cannot read ${o.arch}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const net = parseArchitecture(archText);
  const x1 = loadInput(o.x1, 'x1');
  const x2 = o.x2 !== undefined ? loadInput(o.x2, 'x2') : null;

  const progress = makeProgress({ quiet: o.quiet });
  const tick = progress.stage(`kernel ${x1.shape[0]}×${(x2 ?? x1).shape[0]}`, 'tiles');
  // The layout is resolved and the memory estimate checked against the limit before any tile runs.
  const tiled: TiledOptions = { get, tile: o.tile, layout: o.layout ?? 'auto', onProgress: tick };
  if (o.maxMemory !== undefined) tiled.maxMemory = o.maxMemory;
  const k: Kernel = computeKernelTiled(net, x1, x2, tiled);
  progress.end();
  if (positionsOf(k) !== 1) throw new WideError('SHAPE_MISMATCH', `the network output still has spatial shape [${k.spatial.join(', ')}]; end it with flatten (or a pooling layer) to get an n1×n2 kernel`);

  const kernels: [KernelName, Float64Array][] = [];
  if (get.includes('nngp')) kernels.push(['nngp', k.nngp]);
  if (get.includes('ntk')) kernels.push(['ntk', k.ntk!]);
  if (out !== undefined) {
    const obj: Record<string, number[][]> = {};
    for (const [name, arr] of kernels) {
      obj[name] = Array.from({ length: k.n1 }, (_, i) => Array.from(arr.subarray(i * k.n2, (i + 1) * k.n2)));
    }
    writeFilesAtomic([[out, JSON.stringify(obj) + '\n']]);
  } else {
    try {
      mkdirSync(outDir!, { recursive: true });
    } catch (e) {
      throw new WideError('IO', `cannot create ${outDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    writeFilesAtomic(kernels.map(([name, arr]) => [join(outDir!, `${name}.npy`), npyParts(arr, [k.n1, k.n2])] as const));
  }
}
