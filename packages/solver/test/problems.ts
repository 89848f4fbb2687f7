// Random small problems for the solver's tests: joint PSD kernels over n train + m test points.
import { Rng } from '@wide/core';

export interface Problem {
  n: number;
  m: number;
  k: number;
  /** Joint (n+m)×(n+m) NTK and NNGP. */
  ntkJoint: Float64Array;
  nngpJoint: Float64Array;
  ntk: { train: Float64Array; testTrain: Float64Array; testTest: Float64Array };
  nngp: { train: Float64Array; testTrain: Float64Array; testTest: Float64Array };
  y: Float64Array;
  rng: Rng;
}

/** G·Gᵀ/d + jitter·I for a Gaussian G of (N, d), d = N + 2 (full rank, condition number modest). */
export function randomPsd(rng: Rng, size: number, jitter: number): Float64Array {
  const d = size + 2;
  const g = new Float64Array(size * d);
  for (let i = 0; i < g.length; i++) g[i] = rng.normal();
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += g[i * d + t]! * g[j * d + t]!;
      out[i * size + j] = out[j * size + i] = s / d + (i === j ? jitter : 0);
    }
  }
  return out;
}

/** The blocks (train, test–train, test–test) of a joint kernel over n train then m test points. */
export function split(joint: Float64Array, n: number, m: number): { train: Float64Array; testTrain: Float64Array; testTest: Float64Array } {
  const N = n + m;
  const train = new Float64Array(n * n);
  const testTrain = new Float64Array(m * n);
  const testTest = new Float64Array(m * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) train[i * n + j] = joint[i * N + j]!;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) testTrain[i * n + j] = joint[(n + i) * N + j]!;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) testTest[i * m + j] = joint[(n + i) * N + n + j]!;
  return { train, testTrain, testTest };
}

export function makeProblem(seed: number, n: number, m: number, k: number, jitter = 0.05): Problem {
  const rng = new Rng(seed);
  const ntkJoint = randomPsd(rng, n + m, jitter);
  const nngpJoint = randomPsd(rng, n + m, jitter);
  const y = new Float64Array(n * k);
  for (let i = 0; i < y.length; i++) y[i] = rng.normal();
  return { n, m, k, ntkJoint, nngpJoint, ntk: split(ntkJoint, n, m), nngp: split(nngpJoint, n, m), y, rng };
}

export function normals(rng: Rng, count: number, scale = 1): Float64Array {
  const x = new Float64Array(count);
  for (let i = 0; i < count; i++) x[i] = scale * rng.normal();
  return x;
}

/** max |a − b| / max(|b|, floor). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let num = 0;
  let den = floor;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

/** Mean of the diagonal of a square block. */
export function meanDiag(k: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += k[i * n + i]!;
  return s / n;
}
