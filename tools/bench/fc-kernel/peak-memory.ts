/**
 * Peak resident memory of a process that computes the benchmark network's NNGP + NTK on n MNIST
 * images with the default (WebAssembly) kernels: prints one JSON line {n, peakRssMB, outputsMB,
 * seconds}. Run by bench.ts in a fresh process (`node … peak-memory.ts 5000`).
 */
import { readFileSync } from 'node:fs';
import { computeKernel } from '@wide/core';
import { loadMnist } from '@wide/data';
import { fromArchitecture } from '@wide/layers';
import { arch } from './network.js';

const n = Number(process.argv[2] ?? 5000);
const { x } = loadMnist({ split: 'train', count: n, normalize: 'standardize' });
const t0 = performance.now();
const k = computeKernel(fromArchitecture(arch), { data: x.data, shape: [n, x.data.length / n] });
const seconds = (performance.now() - t0) / 1000;
const outputsMB = ((k.nngp.length + k.ntk!.length) * 8) / 2 ** 20;
/**
 * Peak RSS in MiB: VmHWM of this address space (getrusage's maxRSS would be wrong here: Linux
 * carries it across fork + exec, so a child of a large process reports its parent's size).
 */
function peakRssMB(): number {
  try {
    const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
process.stdout.write(JSON.stringify({ n, peakRssMB: peakRssMB(), outputsMB, seconds }) + '\n');
