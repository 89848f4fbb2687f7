/**
 * `wide kernel` (conventions §3): NNGP and NTK of an architecture on `.npy` inputs, written as
 * JSON (`--out`) or as float64 `.npy` files (`--out-dir`), all-or-nothing.
 * @module
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kernel, type KernelName, type Tensor, UnsupportedError, WideError, computeKernelTiled, positionsOf } from '@wide/core';
import { encodeNpy, readNpy, writeFilesAtomic } from '@wide/data';
import { parseArchitecture } from '@wide/layers';
import { UsageError, intOption, parseArgs } from '../args.js';
import { makeProgress } from '../progress.js';

/** Help text of `wide kernel`. */
export const kernelHelp = `wide kernel --arch ARCH.json --x1 X1.npy [--x2 X2.npy] [--get nngp,ntk] [--backend cpu|gpu]
            (--out OUT.json | --out-dir DIR) [--tile N] [--quiet]

Computes the infinite-width NNGP and NTK of the architecture on the inputs.
  --arch      architecture JSON (conventions §2)
  --x1, --x2  inputs as .npy (float32/float64/integers, C order), shape (n, d) or (n, …, C);
              --x2 defaults to --x1
  --get       kernels to compute, comma-separated (default nngp,ntk)
  --backend   cpu (default); gpu is not available yet
  --out       write {"nngp": [[…]], "ntk": [[…]]} (n1×n2)
  --out-dir   write nngp.npy and ntk.npy (float64) into DIR
  --tile      rows per tile (default 512); progress is shown per tile on a terminal
Exit code 0 on success; otherwise one line on stderr and no output file.`;

function loadInput(path: string, which: string): Tensor {
  const a = readNpy(path);
  if (a.shape.length < 2) throw new WideError('SHAPE_MISMATCH', `--${which} ${path}: expected shape (n, d) or (n, …, C), got [${a.shape.join(', ')}]`);
  return { data: a.data, shape: a.shape };
}

/** Runs `wide kernel` with the given arguments (without the command name). */
export function runKernel(argv: readonly string[]): void {
  const o = parseArgs(argv, { arch: 'string', x1: 'string', x2: 'string', get: 'string', backend: 'string', out: 'string', 'out-dir': 'string', tile: 'string', quiet: 'flag', help: 'flag' }, 'kernel');
  if (o['help']) {
    process.stdout.write(kernelHelp + '\n');
    return;
  }
  for (const req of ['arch', 'x1'] as const) if (typeof o[req] !== 'string') throw new UsageError(`kernel: --${req} is required`);
  const out = o['out'] as string | undefined;
  const outDir = o['out-dir'] as string | undefined;
  if ((out === undefined) === (outDir === undefined)) throw new UsageError('kernel: give exactly one of --out OUT.json or --out-dir DIR');
  const backend = (o['backend'] as string | undefined) ?? 'cpu';
  if (backend === 'gpu') throw new UnsupportedError('kernel: the gpu backend is not available yet; use --backend cpu');
  if (backend !== 'cpu') throw new UsageError(`kernel: --backend must be cpu or gpu, got "${backend}"`);
  const get = ((o['get'] as string | undefined) ?? 'nngp,ntk').split(',').map((s) => s.trim());
  for (const g of get) if (g !== 'nngp' && g !== 'ntk') throw new UsageError(`kernel: --get takes nngp and/or ntk, got "${g}"`);
  const tile = intOption(o['tile'], 'tile', 512, 1);

  let archText: string;
  try {
    archText = readFileSync(o['arch'] as string, 'utf8');
  } catch (e) {
    throw new WideError('IO', `cannot read ${o['arch'] as string}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const net = parseArchitecture(archText);
  const x1 = loadInput(o['x1'] as string, 'x1');
  const x2 = typeof o['x2'] === 'string' ? loadInput(o['x2'], 'x2') : null;

  const progress = makeProgress({ quiet: Boolean(o['quiet']) });
  const tick = progress.stage(`kernel ${x1.shape[0]}×${(x2 ?? x1).shape[0]}`);
  const k: Kernel = computeKernelTiled(net, x1, x2, { get: get as KernelName[], tile, onProgress: (d, t) => tick(d / t) });
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
    writeFilesAtomic(kernels.map(([name, arr]) => [join(outDir!, `${name}.npy`), encodeNpy(arr, [k.n1, k.n2])] as const));
  }
}
