/**
 * Complex numbers as plain `{ re, im }` records, for the Stieltjes transforms m(z) = ∫ dμ(x)/(x − z)
 * (Fan & Wang 2020, §2.2 convention) and the fixed-point systems built on them. Division uses
 * Smith's algorithm (no overflow for large or tiny operands); the square root is the principal one
 * (cut on the negative real axis, Re √w ≥ 0).
 * @module
 */

/** A complex number re + i·im. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/** re + i·im. */
export const complex = (re: number, im = 0): Complex => ({ re, im });

/** 0. */
export const ZERO: Complex = complex(0, 0);
/** 1. */
export const ONE: Complex = complex(1, 0);
/** i. */
export const I: Complex = complex(0, 1);

/** a + b. */
export const add = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
/** a − b. */
export const sub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
/** a·b. */
export const mul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
/** s·a for a real s. */
export const scale = (a: Complex, s: number): Complex => ({ re: s * a.re, im: s * a.im });
/** a + s for a real s. */
export const shift = (a: Complex, s: number): Complex => ({ re: a.re + s, im: a.im });
/** −a. */
export const neg = (a: Complex): Complex => ({ re: -a.re, im: -a.im });
/** The conjugate of a. */
export const conj = (a: Complex): Complex => ({ re: a.re, im: -a.im });
/** |a| (hypot: no overflow). */
export const abs = (a: Complex): number => Math.hypot(a.re, a.im);

/** a / b by Smith's algorithm. */
export function div(a: Complex, b: Complex): Complex {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d };
}

/** 1 / a. */
export const inv = (a: Complex): Complex => div(ONE, a);

/** s / a for a real s. */
export const rdiv = (s: number, a: Complex): Complex => scale(inv(a), s);

/** The principal square root (Re ≥ 0; on the cut, the root with Im ≥ 0). */
export function sqrt(a: Complex): Complex {
  if (a.re === 0 && a.im === 0) return ZERO;
  const r = abs(a);
  const t = Math.sqrt((r + Math.abs(a.re)) / 2);
  if (a.re >= 0) return { re: t, im: a.im / (2 * t) };
  return { re: Math.abs(a.im) / (2 * t), im: a.im >= 0 ? t : -t };
}

/** The principal logarithm (Im in (−π, π]). */
export const log = (a: Complex): Complex => ({ re: Math.log(abs(a)), im: Math.atan2(a.im, a.re) });

/** Both parts finite. */
export const isFinite = (a: Complex): boolean => Number.isFinite(a.re) && Number.isFinite(a.im);

/** A short string `re ± im·i` (for error messages). */
export const format = (a: Complex, digits = 6): string => `${a.re.toPrecision(digits)}${a.im < 0 ? '−' : '+'}${Math.abs(a.im).toPrecision(digits)}i`;

/**
 * Solves the n×n complex linear system A·x = b (A row-major, overwritten copies) by Gaussian
 * elimination with partial pivoting. Returns null when A is singular to working precision.
 */
export function solveLinear(a: Complex[], b: Complex[], n: number): Complex[] | null {
  const m = a.slice();
  const x = b.slice();
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = abs(m[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = abs(m[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[p * n + j]!;
        m[p * n + j] = t;
      }
      const t = x[k]!;
      x[k] = x[p]!;
      x[p] = t;
    }
    const piv = m[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = div(m[i * n + k]!, piv);
      if (f.re === 0 && f.im === 0) continue;
      for (let j = k; j < n; j++) m[i * n + j] = sub(m[i * n + j]!, mul(f, m[k * n + j]!));
      x[i] = sub(x[i]!, mul(f, x[k]!));
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s = sub(s, mul(m[i * n + j]!, x[j]!));
    x[i] = div(s, m[i * n + i]!);
  }
  return x.every(isFinite) ? x : null;
}
