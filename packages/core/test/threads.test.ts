import { afterEach, describe, expect, it } from 'vitest';
import { type PairRule, Rng, cpuThreads, jsBackend as cpuBackend } from '../src/index.js';

function withThreads<T>(threads: number, f: () => T): T {
  const saved = process.env['WIDE_THREADS'];
  process.env['WIDE_THREADS'] = String(threads);
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env['WIDE_THREADS'];
    else process.env['WIDE_THREADS'] = saved;
  }
}

/** A rule with a portable form (self-contained source) and a closure form that must agree. */
function cubeRule(scale: number): PairRule {
  const portable = (params: readonly number[], q1: number, q2: number, c: number, out: Float64Array) => {
    const s = params[0]!;
    out[0] = s * c * c * c + Math.sqrt(q1 * q2);
    out[1] = 3 * s * c * c;
  };
  const tmp = new Float64Array(2);
  return {
    id: 'cube',
    params: [scale],
    portable,
    nngp: (q1, q2, c) => (portable([scale], q1, q2, c, tmp), tmp[0]!),
    dnngp: (q1, q2, c) => (portable([scale], q1, q2, c, tmp), tmp[1]!),
  };
}

describe('CPU worker threads', () => {
  afterEach(() => delete process.env['WIDE_THREADS']);

  it('WIDE_THREADS sets the thread count', () => {
    expect(withThreads(3, cpuThreads)).toBe(3);
  });

  it('the threaded Gram equals the one-thread Gram bit for bit (symmetric and two-batch)', () => {
    const rng = new Rng(5);
    const [n1, n2, C] = [420, 130, 301]; // odd sizes exercise the edge rows and columns
    const a = rng.normals(n1 * C);
    const b = rng.normals(n2 * C);
    const serial = withThreads(1, () => cpuBackend.gram(a, null, n1, n1, 1, C, 1 / C));
    const threaded = withThreads(2, () => cpuBackend.gram(a, null, n1, n1, 1, C, 1 / C));
    expect(threaded.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(serial.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(threaded)).toEqual(Array.from(serial));
    const serial2 = withThreads(1, () => cpuBackend.gram(a, b, n1, n2, 1, C, 1 / C));
    const threaded2 = withThreads(2, () => cpuBackend.gram(a, b, n1, n2, 1, C, 1 / C));
    expect(Array.from(threaded2)).toEqual(Array.from(serial2));
    // And it is the Gram matrix: spot-check one entry against a direct sum.
    let dot = 0;
    for (let t = 0; t < C; t++) dot += a[7 * C + t]! * b[100 * C + t]!;
    expect(threaded2[7 * n2 + 100]).toBeCloseTo(dot / C, 12);
  });

  it('a portable pair rule runs on workers with the same result as on one thread', () => {
    const rng = new Rng(9);
    const n = 1100;
    const x = rng.normals(n * 3);
    const q = cpuBackend.rowNorms(x, n, 3, 1 / 3);
    const sigma = cpuBackend.gram(x, null, n, n, 1, 3, 1 / 3);
    const theta = Float64Array.from(sigma, (v) => 2 * v);
    const layout = { n1: n, n2: n, positions: 1, diagonalSpatial: true, symmetric: true };
    const rule = cubeRule(0.7);
    const serial = withThreads(1, () => cpuBackend.pairMap(rule, layout, sigma, theta, q, q, false));
    const threaded = withThreads(2, () => cpuBackend.pairMap(rule, layout, sigma, theta, q, q, false));
    expect(threaded.nngp.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(threaded.nngp)).toEqual(Array.from(serial.nngp));
    expect(Array.from(threaded.ntk!)).toEqual(Array.from(serial.ntk!));
    const [i, j] = [17, 950];
    const c = sigma[i * n + j]!;
    expect(threaded.nngp[j * n + i]).toBeCloseTo(0.7 * c ** 3 + Math.sqrt(q[i]! * q[j]!), 12);
    expect(threaded.ntk![i * n + j]).toBeCloseTo(3 * 0.7 * c * c * theta[i * n + j]!, 12);
  });
});
