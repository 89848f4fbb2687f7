// Matrices with known spectra for the linear-algebra tests (not a test file itself).
import { Rng } from '../src/index.js';

/** Spectrum families of the eigen tests. */
export type SpectrumKind = 'uniform' | 'graded' | 'clustered' | 'repeated' | 'rankDeficient' | 'mixedSign';

/** n eigenvalues of the given kind (unsorted), largest |λ| = 1 where possible. */
export function spectrum(kind: SpectrumKind, n: number, rng: Rng): Float64Array {
  const l = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 'uniform':
        l[i] = rng.uniform() * 2 - 1;
        break;
      case 'graded':
        l[i] = 10 ** (-12 * (n > 1 ? i / (n - 1) : 0));
        break;
      case 'clustered': {
        const centre = [1, 0.5, -0.25, 1e-6][i % 4]!;
        l[i] = centre * (1 + 1e-12 * rng.uniform());
        break;
      }
      case 'repeated':
        l[i] = [1, -1, 0.5][i % 3]!;
        break;
      case 'rankDeficient':
        l[i] = i % 3 === 0 ? rng.uniform() + 0.5 : 0;
        break;
      case 'mixedSign':
        l[i] = (i % 2 ? 1 : -1) * 10 ** (-6 * rng.uniform());
        break;
    }
  }
  if (n > 0 && kind !== 'graded') l[0] = kind === 'rankDeficient' ? 1 : l[0]!;
  return l;
}

/** Q·diag(λ)·Qᵀ with Q a product of `reflectors` random Householder reflectors (row-major, exactly symmetric). */
export function withSpectrum(lambda: Float64Array, rng: Rng, reflectors = 8): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = lambda[i]!;
  const v = new Float64Array(n);
  const av = new Float64Array(n);
  for (let h = 0; h < Math.min(reflectors, n); h++) {
    let nrm = 0;
    for (let i = 0; i < n; i++) {
      v[i] = rng.normal();
      nrm += v[i]! * v[i]!;
    }
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) v[i] = v[i]! / nrm;
    // A ← (I − 2vvᵀ)·A·(I − 2vvᵀ) = A − 2v·(Av)ᵀ − 2(Av)·vᵀ + 4(vᵀAv)·vvᵀ
    let vav = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * v[k]!;
      av[i] = s;
      vav += v[i]! * s;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * n + j] = a[i * n + j]! - 2 * v[i]! * av[j]! - 2 * av[i]! * v[j]! + 4 * vav * v[i]! * v[j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return a;
}

/** A random symmetric positive-definite matrix G·Gᵀ/n + eps·I. */
export function randomSpd(n: number, seed: number, eps = 0.1): Float64Array {
  const r = new Rng(seed);
  const g = r.normals(n * n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += g[i * n + k]! * g[j * n + k]!;
      out[i * n + j] = out[j * n + i] = s / n + (i === j ? eps : 0);
    }
  }
  return out;
}

/** max |x| over the entries. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** max_{ij} |(A·V − V·Λ)_{ij}| for V with eigenvectors as columns. */
export function eigResidual(a: Float64Array, n: number, values: Float64Array, v: Float64Array): number {
  let worst = 0;
  const col = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < n; k++) col[k] = v[k * n + p]!;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * col[k]!;
      worst = Math.max(worst, Math.abs(s - values[p]! * col[i]!));
    }
  }
  return worst;
}

/** max_{pq} |(VᵀV − I)_{pq}|. */
export function orthogonality(n: number, v: Float64Array): number {
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) vt[p * n + i] = v[i * n + p]!;
  let worst = 0;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q <= p; q++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vt[p * n + k]! * vt[q * n + k]!;
      worst = Math.max(worst, Math.abs(s - (p === q ? 1 : 0)));
    }
  }
  return worst;
}
