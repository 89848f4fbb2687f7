import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Kernel, type Tensor, jsBackend, positionsOf } from '@wide/core';
import { type ArchitectureSpec, kernel } from '../src/index.js';

// Read by path (as schema.test.ts does): @wide/testing depends on this package, and the computed
// path keeps its sources out of this package's type-check.
const arbitraries = (await import(fileURLToPath(new URL(['..', '..', 'testing', 'src', 'arbitraries.ts'].join('/'), import.meta.url)))) as {
  arbCnnArchitecture: (o?: { spatial?: readonly number[]; minDepth?: number; maxDepth?: number; readout?: string; pooling?: boolean; parameterization?: string }) => fc.Arbitrary<ArchitectureSpec>;
  arbImages: (n: number, spatial: readonly number[], channels: number) => fc.Arbitrary<Tensor>;
};

/** max |a − b| / max(|b|, 1e-300) over all entries. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-300));
  return worst;
}

/** The same-position entries of a full-layout array (rows blocks of P×P) as a diagonal-layout one. */
function diagonalOf(x: Float64Array, rows: number, P: number): Float64Array {
  const out = new Float64Array(rows * P);
  for (let r = 0; r < rows; r++) for (let p = 0; p < P; p++) out[r * P + p] = x[(r * P + p) * P + p]!;
  return out;
}

/** The network without its readout (flatten and dense): its kernel still has spatial axes. */
const body = (arch: ArchitectureSpec): ArchitectureSpec => ({ ...arch, layers: arch.layers.slice(0, -2) });

const shapes = [[7], [5, 4]] as const;

describe('diagonal layout = full layout on random CNN-V architectures (conv → activation …, flatten, dense)', () => {
  it.each(shapes.map((s) => [`${s.length}-D inputs ${JSON.stringify(s)}`, s] as const))('%s', (_name, spatial) => {
    const arb = fc.tuple(arbitraries.arbCnnArchitecture({ spatial, maxDepth: 3 }), arbitraries.arbImages(2, spatial, 2), arbitraries.arbImages(1, spatial, 2), fc.boolean());
    let fullRan = 0;
    fc.assert(
      fc.property(arb, ([arch, x1, x2, sym]) => {
        const other = sym ? null : x2;
        const diag = kernel(arch, x1, other, { backend: jsBackend });
        const full = kernel(arch, x1, other, { backend: jsBackend, layout: 'full' });
        expect(maxRel(full.nngp, diag.nngp)).toBeLessThanOrEqual(1e-12);
        expect(maxRel(full.ntk!, diag.ntk!)).toBeLessThanOrEqual(1e-12);
        expect(maxRel(full.var1, diag.var1)).toBeLessThanOrEqual(1e-12);
        // Before the readout the full path holds every position pair; its same-position entries and
        // the diagonals of its variance blocks are the diagonal path's numbers.
        const db: Kernel = kernel(body(arch), x1, other, { backend: jsBackend });
        const fb: Kernel = kernel(body(arch), x1, other, { backend: jsBackend, layout: 'full' });
        expect(db.diagonalSpatial).toBe(true);
        expect(fb.spatial).toEqual(db.spatial);
        const P = positionsOf(db);
        if (P > 1) {
          expect(fb.diagonalSpatial).toBe(false);
          fullRan++;
        }
        const rows = db.n1 * db.n2;
        const diagOrSelf = (x: Float64Array, r: number) => (fb.diagonalSpatial ? x : diagonalOf(x, r, P));
        expect(maxRel(diagOrSelf(fb.nngp, rows), db.nngp)).toBeLessThanOrEqual(1e-12);
        expect(maxRel(diagOrSelf(fb.ntk!, rows), db.ntk!)).toBeLessThanOrEqual(1e-12);
        expect(maxRel(diagOrSelf(fb.var1, db.n1), db.var1)).toBeLessThanOrEqual(1e-12);
        expect(maxRel(diagOrSelf(fb.var2, db.n2), db.var2)).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 100, seed: 8 },
    );
    // Most drawn networks keep several positions (the check is not vacuous).
    expect(fullRan).toBeGreaterThan(50);
  });
});
