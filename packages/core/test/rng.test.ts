import { describe, expect, it } from 'vitest';
import { Rng } from '../src/index.js';

describe('Rng', () => {
  it('gives the same numbers for the same seed (values pinned across runs and machines)', () => {
    const a = new Rng(42);
    const first = [a.nextUint32(), a.nextUint32(), a.nextUint32()];
    const b = new Rng(42);
    expect([b.nextUint32(), b.nextUint32(), b.nextUint32()]).toEqual(first);
    // Pinned values: a change in the generator is a breaking change for every seeded result.
    expect(first).toMatchInlineSnapshot(`
      [
        717820907,
        3307256435,
        711235596,
      ]
    `);
    expect(new Rng(7).normal()).toMatchInlineSnapshot(`-1.1344938634215114`);
  });

  it('differs between seeds and between forks', () => {
    expect(new Rng(1).uniform()).not.toBe(new Rng(2).uniform());
    const r = new Rng(5);
    expect(r.fork(0).uniform()).not.toBe(r.fork(1).uniform());
    expect(r.fork(3).uniform()).toBe(new Rng(5).fork(3).uniform());
  });

  it('draws uniforms in [0, 1) and normals with mean 0, variance 1', () => {
    const r = new Rng(123);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sn4 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      sn4 += z ** 4;
    }
    expect(Math.abs(su / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(sn4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
  });

  it('fillNormal gives exactly the numbers of repeated normal() calls', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    a.normal(); // leave a spare pending
    b.normal();
    const bulk = a.normals(7, 2);
    const one = Array.from({ length: 7 }, () => 2 * b.normal());
    expect(Array.from(bulk)).toEqual(one);
    expect(a.normal()).toBe(b.normal());
    expect(a.uniform()).toBe(b.uniform());
  });

  it('rejects invalid seeds', () => {
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(1.5)).toThrow(/integer/);
  });
});
