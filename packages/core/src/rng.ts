/**
 * Seeded random numbers that are identical on every run and machine: xoshiro128** on 32-bit
 * integer arithmetic (Math.imul), seeded through splitmix32. Normals use the Marsaglia polar
 * method, which needs only `Math.log` and `Math.sqrt` (V8's `Math.log` is fdlibm, the same on
 * every platform).
 * @module
 */

function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [s, z >>> 0];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seeded random number generator (xoshiro128**). */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;
  /** The seed words this generator was made from (used by {@link Rng.fork}). */
  readonly key: readonly number[];

  /**
   * @param seed a non-negative integer (up to 2^53) or a list of integers (a derivation path)
   */
  constructor(seed: number | readonly number[]) {
    const key = typeof seed === 'number' ? [seed] : [...seed];
    for (const k of key) {
      if (!Number.isInteger(k) || k < 0 || k > Number.MAX_SAFE_INTEGER) {
        throw new RangeError(`seed must be an integer in [0, 2^53), got ${k}`);
      }
    }
    this.key = key;
    let st = 0x2545f491;
    const words: number[] = [];
    for (const k of key) {
      words.push(k >>> 0, Math.floor(k / 4294967296) >>> 0);
    }
    for (const w of words) {
      const [ns, out] = splitmix32((st ^ w) | 0);
      st = (ns ^ out) | 0;
    }
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [ns, z] = splitmix32(st);
      st = ns;
      out.push(z | 0);
    }
    if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = out as [number, number, number, number];
  }

  /** An independent generator for the sub-stream `index` (same parent key and index, same numbers). */
  fork(index: number): Rng {
    return new Rng([...this.key, index]);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * m;
        return u * m;
      }
    }
  }

  /**
   * Fills `out` with independent N(0, std²) draws and returns it. Gives exactly the numbers that
   * `out.length` calls of {@link Rng.normal} would (times std), with the generator inlined.
   */
  fillNormal(out: Float64Array, std = 1): Float64Array {
    let i = 0;
    const n = out.length;
    if (n === 0) return out;
    if (!Number.isNaN(this.spare)) {
      out[i++] = std * this.spare;
      this.spare = NaN;
    }
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    // The xoshiro128** step, written out four times per pair so V8 keeps the state in registers.
    let r = 0;
    let t = 0;
    while (i < n) {
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const hu = r >>> 5;
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const u = (2 * (hu * 67108864 + (r >>> 6))) / 9007199254740992 - 1;
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const hv = r >>> 5;
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const v = (2 * (hv * 67108864 + (r >>> 6))) / 9007199254740992 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        out[i++] = std * u * m;
        if (i < n) out[i++] = std * v * m;
        else this.spare = v * m;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** A Float64Array of `n` independent N(0, std²) draws. */
  normals(n: number, std = 1): Float64Array {
    return this.fillNormal(new Float64Array(n), std);
  }
}
