import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, type PairRule, Rng, ShapeMismatchError, inputKernel, jsBackend, tensor, wasmBackend } from '../src/index.js';
import { firstDifference, relErr, reluRule } from './spatial-helpers.js';

const backends: [string, Backend][] = [
  ['js', jsBackend],
  ['wasm', wasmBackend],
];

/** ⟨a[i, p, :], b[j, q, :]⟩ / C summed term by term. */
function dot(a: Float64Array, b: Float64Array, i: number, p: number, j: number, q: number, P: number, C: number): number {
  let s = 0;
  for (let c = 0; c < C; c++) s += a[(i * P + p) * C + c]! * b[(j * P + q) * C + c]!;
  return s / C;
}

describe('gramPairs: the all-position-pairs Gram tensor', () => {
  it('equals direct dot products for every (i, j, p, p′), symmetric and two-batch (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 999 }), (n1, n2, P, C, seed) => {
        const rng = new Rng(seed);
        const a = rng.normals(n1 * P * C);
        const b = rng.normals(n2 * P * C);
        for (const [name, backend] of backends) {
          const sym = backend.gramPairs(a, null, n1, n1, P, C, 1 / C);
          const two = backend.gramPairs(a, b, n1, n2, P, C, 1 / C);
          expect(sym.length, name).toBe(n1 * n1 * P * P);
          expect(two.length, name).toBe(n1 * n2 * P * P);
          const wantSym = new Float64Array(sym.length);
          const wantTwo = new Float64Array(two.length);
          for (let i = 0; i < n1; i++) {
            for (let p = 0; p < P; p++) {
              for (let q = 0; q < P; q++) {
                for (let j = 0; j < n1; j++) wantSym[((i * n1 + j) * P + p) * P + q] = dot(a, a, i, p, j, q, P, C);
                for (let j = 0; j < n2; j++) wantTwo[((i * n2 + j) * P + p) * P + q] = dot(a, b, i, p, j, q, P, C);
              }
            }
          }
          expect(relErr(sym, wantSym), name).toBeLessThanOrEqual(1e-14);
          expect(relErr(two, wantTwo), name).toBeLessThanOrEqual(1e-14);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("its same-position entries are `gram`'s bit for bit (jsBackend; the WebAssembly Gram to 1e-14)", () => {
    const rng = new Rng(4);
    const [n1, n2, P, C] = [5, 3, 7, 9];
    const a = rng.normals(n1 * P * C);
    const b = rng.normals(n2 * P * C);
    for (const [two, n] of [[null, n1], [b, n2]] as const) {
      const pairs = jsBackend.gramPairs(a, two, n1, n, P, C, 1 / C);
      const same = jsBackend.gram(a, two, n1, n, P, C, 1 / C);
      const diag = Float64Array.from({ length: n1 * n * P }, (_, r) => pairs[(Math.floor(r / P) * P + (r % P)) * P + (r % P)]!);
      expect(Array.from(diag)).toEqual(Array.from(same));
      expect(relErr(diag, wasmBackend.gram(a, two, n1, n, P, C, 1 / C))).toBeLessThanOrEqual(1e-14);
    }
  });
});

describe.each(backends)('inputKernel on the full layout (%s backend)', (_name, backend) => {
  const rng = new Rng(17);
  const [n1, n2, H, W, C] = [4, 3, 3, 2, 5];
  const P = H * W;
  const x1 = tensor(rng.normals(n1 * P * C), [n1, H, W, C]);
  const x2 = tensor(rng.normals(n2 * P * C), [n2, H, W, C]);

  it('x2 = x1: same-position entries and variances equal the diagonal layout bit for bit; (i, i) blocks equal var1 blocks', () => {
    const d = inputKernel(x1, null, { backend, layout: 'diagonal' });
    const f = inputKernel(x1, null, { backend, layout: 'full' });
    expect(f.diagonalSpatial).toBe(false);
    expect(f.nngp.length).toBe(n1 * n1 * P * P);
    expect(f.ntk!.length).toBe(n1 * n1 * P * P);
    expect(f.var1.length).toBe(n1 * P * P);
    expect(f.var2).toBe(f.var1);
    for (let r = 0; r < n1 * n1; r++) for (let p = 0; p < P; p++) expect(f.nngp[(r * P + p) * P + p]).toBe(d.nngp[r * P + p]);
    for (let i = 0; i < n1; i++) {
      for (let p = 0; p < P; p++) expect(f.var1[(i * P + p) * P + p]).toBe(d.var1[i * P + p]);
      expect(Array.from(f.nngp.subarray((i * n1 + i) * P * P, (i * n1 + i + 1) * P * P))).toEqual(Array.from(f.var1.subarray(i * P * P, (i + 1) * P * P)));
    }
    // Off the diagonal: Σ⁰(xᵢ, xⱼ)ₚₚ′ = ⟨xᵢₚ, xⱼₚ′⟩/C (conventions §1), Θ⁰ = 0.
    expect(f.nngp[((1 * n1 + 3) * P + 2) * P + 5]).toBeCloseTo(dot(x1.data, x1.data, 1, 2, 3, 5, P, C), 14);
    expect(f.var1[(2 * P + 4) * P + 1]).toBeCloseTo(dot(x1.data, x1.data, 2, 4, 2, 1, P, C), 14);
    expect(f.ntk!.every((v) => v === 0)).toBe(true);
  });

  it('two batches: the same, with var2 the blocks of x2; a sample in both batches gives c = q on its diagonal', () => {
    const both = tensor(Float64Array.from([...x2.data, ...x1.data.subarray(0, P * C)]), [n2 + 1, H, W, C]);
    const d = inputKernel(x1, both, { backend, layout: 'diagonal' });
    const f = inputKernel(x1, both, { backend, layout: 'full' });
    const m = n2 + 1;
    expect(f.var2.length).toBe(m * P * P);
    for (let r = 0; r < n1 * m; r++) for (let p = 0; p < P; p++) expect(f.nngp[(r * P + p) * P + p]).toBe(d.nngp[r * P + p]);
    for (let j = 0; j < m; j++) for (let p = 0; p < P; p++) expect(f.var2[(j * P + p) * P + p]).toBe(d.var2[j * P + p]);
    // x1₀ is x2's last sample: Σ⁰(x1₀, x2ₙ)ₚₚ = q bit for bit (the pair map's ρ = 1 then holds exactly).
    for (let p = 0; p < P; p++) expect(f.nngp[((0 * m + n2) * P + p) * P + p]).toBe(f.var1[p * P + p]);
    expect(f.nngp[((2 * m + 1) * P + 0) * P + 3]).toBeCloseTo(dot(x1.data, both.data, 2, 0, 1, 3, P, C), 14);
  });
});

/** A rule with a portable form (runs on worker threads) and the same closure form. */
function cubeRule(s: number): PairRule {
  const portable = (params: readonly number[], q1: number, q2: number, c: number, out: Float64Array) => {
    out[0] = params[0]! * c * c * c + Math.sqrt(q1 * q2);
    out[1] = 3 * params[0]! * c * c;
  };
  const tmp = new Float64Array(2);
  return { id: 'cube', params: [s], portable, nngp: (q1, q2, c) => (portable([s], q1, q2, c, tmp), tmp[0]!), dnngp: (q1, q2, c) => (portable([s], q1, q2, c, tmp), tmp[1]!) };
}

describe('the CPU pair map on the full layout', () => {
  afterEach(() => delete process.env['WIDE_THREADS']);
  const rng = new Rng(23);
  const [n1, n2, P, C] = [3, 4, 5, 4];
  const x1 = tensor(rng.normals(n1 * P * C), [n1, P, C]);
  const x2 = tensor(rng.normals(n2 * P * C), [n2, P, C]);

  it('same-position entries equal the diagonal layout bit for bit; q1, q2 come from the block diagonals', () => {
    for (const sym of [true, false]) {
      const b = jsBackend;
      const d = inputKernel(x1, sym ? null : x2, { backend: b, layout: 'diagonal' });
      const f = inputKernel(x1, sym ? null : x2, { backend: b, layout: 'full' });
      const layout = (diagonalSpatial: boolean) => ({ n1, n2: d.n2, positions: P, diagonalSpatial, symmetric: sym });
      // Θ = Σ so that Θ′ = Σ̇·Σ is not trivially 0.
      const rd = b.pairMap(reluRule, layout(true), d.nngp, d.nngp, d.var1, d.var2, false);
      const rf = b.pairMap(reluRule, layout(false), f.nngp, f.nngp, f.var1, f.var2, false);
      const m = d.n2;
      for (let r = 0; r < n1 * m; r++) {
        for (let p = 0; p < P; p++) {
          expect(rf.nngp[(r * P + p) * P + p]).toBe(rd.nngp[r * P + p]);
          expect(rf.ntk![(r * P + p) * P + p]).toBe(rd.ntk![r * P + p]);
        }
      }
      for (let i = 0; i < n1; i++) for (let p = 0; p < P; p++) expect(rf.var1[(i * P + p) * P + p]).toBe(rd.var1[i * P + p]);
      // An off-diagonal entry: Σ′ = relu(q1 = Σ(x1ᵢ, x1ᵢ)ₚₚ, q2 = Σ(x2ⱼ, x2ⱼ)ₚ′ₚ′, c = Σ(x1ᵢ, x2ⱼ)ₚₚ′).
      const [i, j, p, q] = [2, 1, 3, 0];
      const at = ((i * m + j) * P + p) * P + q;
      const want = reluRule.nngp(f.var1[(i * P + p) * P + p]!, f.var2[(j * P + q) * P + q]!, f.nngp[at]!);
      expect(rf.nngp[at]).toBe(want);
      expect(rf.ntk![at]).toBe(reluRule.dnngp(f.var1[(i * P + p) * P + p]!, f.var2[(j * P + q) * P + q]!, f.nngp[at]!) * f.nngp[at]!);
      // The variance blocks map as kernels of their own.
      const v = f.var1;
      expect(rf.var1[(1 * P + 2) * P + 4]).toBe(reluRule.nngp(v[(1 * P + 2) * P + 2]!, v[(1 * P + 4) * P + 4]!, v[(1 * P + 2) * P + 4]!));
      if (sym) {
        // Block i of var1′ is the (i, i) block of Σ′ bit for bit.
        for (let k = 0; k < n1; k++) expect(Array.from(rf.var1.subarray(k * P * P, (k + 1) * P * P))).toEqual(Array.from(rf.nngp.subarray((k * n1 + k) * P * P, (k * n1 + k + 1) * P * P)));
      } else {
        expect(rf.var2.length).toBe(n2 * P * P);
      }
    }
  });

  it('variances of the diagonal layout on a full-layout kernel are a ShapeMismatchError naming the blocks', () => {
    const f = inputKernel(x1, null, { backend: jsBackend, layout: 'full' });
    const d = inputKernel(x1, null, { backend: jsBackend, layout: 'diagonal' });
    const layout = { n1, n2: n1, positions: P, diagonalSpatial: false, symmetric: true };
    expect(() => jsBackend.pairMap(reluRule, layout, f.nngp, f.ntk, d.var1, d.var1, false)).toThrow(ShapeMismatchError);
    expect(() => jsBackend.pairMap(reluRule, layout, f.nngp, f.ntk, d.var1, d.var1, false)).toThrow(/var1 has 15 numbers, but 3×3 samples with 5×5 position pairs need 75 \(on the full layout the variances are per-sample P×P blocks\)/);
  });

  it('runs on worker threads with the same numbers as on one thread', () => {
    const [n, Q, K] = [40, 25, 3];
    const x = tensor(new Rng(2).normals(n * Q * K), [n, Q, K]);
    const f = inputKernel(x, null, { backend: jsBackend, layout: 'full' });
    const layout = { n1: n, n2: n, positions: Q, diagonalSpatial: false, symmetric: true };
    const rule = cubeRule(0.3);
    process.env['WIDE_THREADS'] = '1';
    const one = jsBackend.pairMap(rule, layout, f.nngp, f.nngp, f.var1, f.var2, false);
    process.env['WIDE_THREADS'] = '2';
    const two = jsBackend.pairMap(rule, layout, f.nngp, f.nngp, f.var1, f.var2, false);
    expect(two.nngp.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(firstDifference(two.nngp, one.nngp)).toBe(-1);
    expect(firstDifference(two.ntk!, one.ntk!)).toBe(-1);
    const at = ((7 * n + 31) * Q + 4) * Q + 20;
    expect(one.nngp[at]).toBeCloseTo(0.3 * f.nngp[at]! ** 3 + Math.sqrt(f.var1[(7 * Q + 4) * Q + 4]! * f.var1[(31 * Q + 20) * Q + 20]!), 13);
  });
});
