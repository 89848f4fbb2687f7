/**
 * Gaussian quadrature: Gauss–Hermite and Gauss–Legendre rules, and expectations of f(u)·g(v)
 * for a bivariate normal (u, v) ~ N(0, [[q1, c], [c, q2]]) — by 2-D Gauss–Hermite for smooth
 * integrands, or by composite Gauss–Legendre split at the kinks for piecewise-smooth ones.
 * @module
 */

/** Nodes and weights of a quadrature rule. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const hermiteCache = new Map<number, QuadratureRule>();
const legendreCache = new Map<number, QuadratureRule>();

/**
 * Gauss–Hermite rule of `n` points (1 ≤ n ≤ 180) for ∫ f(x) e^{-x²} dx (physicists' weight): exact for
 * polynomials of degree ≤ 2n−1. Nodes by Newton's method on the orthonormal Hermite recurrence
 * h_j = x·√(2/j)·h_{j−1} − √((j−1)/j)·h_{j−2}, weights 2 / h_n'(x)².
 */
export function gaussHermite(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 180) throw new RangeError(`Gauss–Hermite degree must be an integer in [1, 180], got ${n}`);
  const cached = hermiteCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  const pim4 = Math.pow(Math.PI, -0.25);
  let z = 0;
  for (let i = 0; i < m; i++) {
    // Initial guesses for the largest roots first (Numerical Recipes §4.6 asymptotics).
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * nodes[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * nodes[1]!;
    else z = 2 * z - nodes[i - 2]!;
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    nodes[i] = z;
    nodes[n - 1 - i] = -z;
    weights[i] = 2 / (pp * pp);
    weights[n - 1 - i] = weights[i]!;
  }
  // Sort ascending.
  const order = Array.from(nodes.keys()).sort((a, b) => nodes[a]! - nodes[b]!);
  const rule = { nodes: Float64Array.from(order, (k) => nodes[k]!), weights: Float64Array.from(order, (k) => weights[k]!) };
  hermiteCache.set(n, rule);
  return rule;
}

/** Gauss–Legendre rule of `n` points on [−1, 1]: exact for polynomials of degree ≤ 2n−1. */
export function gaussLegendre(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RangeError(`Gauss–Legendre order must be an integer in [1, 1000], got ${n}`);
  const cached = legendreCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15) break;
    }
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    weights[i] = 2 / ((1 - z * z) * pp * pp);
    weights[n - 1 - i] = weights[i]!;
  }
  const rule = { nodes, weights };
  legendreCache.set(n, rule);
  return rule;
}

/** A scalar function of one real variable. */
export type ScalarFn = (x: number) => number;

/** Factorisation (u, v) = (√q1·s, a·s + σ·t) of N(0, [[q1, c], [c, q2]]) with s, t i.i.d. N(0, 1). */
function conditional(q1: number, q2: number, c: number): { r1: number; a: number; sigma: number } {
  if (!(q1 >= 0) || !(q2 >= 0)) throw new RangeError(`variances must be ≥ 0, got q1=${q1}, q2=${q2}`);
  const r1 = Math.sqrt(q1);
  const a = q1 > 0 ? c / r1 : 0;
  const sigma = Math.sqrt(Math.max(0, q2 - a * a));
  return { r1, a, sigma };
}

/**
 * E[f(u)·g(v)] for (u, v) ~ N(0, [[q1, c], [c, q2]]) by a tensor-product Gauss–Hermite rule of
 * `degree`² points (u = √(2q1)·x_i, v = √2·(a·x_i + σ·x_j)). Spectrally accurate for smooth f, g;
 * slow to converge at kinks (use {@link gaussianExpectationSplit} there).
 */
export function gaussianExpectation2D(f: ScalarFn, g: ScalarFn, q1: number, q2: number, c: number, degree = 40): number {
  const { nodes, weights } = gaussHermite(degree);
  const { r1, a, sigma } = conditional(q1, q2, c);
  const s2 = Math.SQRT2;
  let total = 0;
  for (let i = 0; i < degree; i++) {
    const xi = nodes[i]!;
    const fu = f(s2 * r1 * xi);
    if (fu === 0) continue;
    let inner = 0;
    for (let j = 0; j < degree; j++) inner += weights[j]! * g(s2 * (a * xi + sigma * nodes[j]!));
    total += weights[i]! * fu * inner;
  }
  return total / Math.PI;
}

/** E[f(u)] for u ~ N(0, q) by Gauss–Hermite of the given degree. */
export function gaussianExpectation1D(f: ScalarFn, q: number, degree = 40): number {
  const { nodes, weights } = gaussHermite(degree);
  const r = Math.sqrt(2 * q);
  let total = 0;
  for (let i = 0; i < degree; i++) total += weights[i]! * f(r * nodes[i]!);
  return total / Math.sqrt(Math.PI);
}

/** Options of {@link gaussianExpectationSplit}. */
export interface SplitOptions {
  /** Points (in u) where f has a kink or jump. */
  kinksF?: readonly number[];
  /** Points (in v) where g has a kink or jump. */
  kinksG?: readonly number[];
  /** Half-width of the integration box in standard deviations (default 12: tail mass < 1e-32). */
  range?: number;
  /** Gauss–Legendre order per panel (default 24). */
  order?: number;
  /** Panels per smooth piece (default 8). */
  panels?: number;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** ∫ h(s) φ(s) ds over [−L, L] with breakpoints, composite Gauss–Legendre. */
function integrateStdNormal(h: ScalarFn, breaks: number[], L: number, order: number, panels: number): number {
  const pts = [-L, ...breaks.filter((b) => b > -L && b < L).sort((x, y) => x - y), L];
  const { nodes, weights } = gaussLegendre(order);
  let total = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const lo = pts[k]!;
    const hi = pts[k + 1]!;
    if (hi <= lo) continue;
    const w = (hi - lo) / panels;
    for (let p = 0; p < panels; p++) {
      const a = lo + p * w;
      const half = w / 2;
      const mid = a + half;
      for (let i = 0; i < order; i++) {
        const s = mid + half * nodes[i]!;
        total += half * weights[i]! * h(s) * Math.exp(-0.5 * s * s);
      }
    }
  }
  return total * INV_SQRT_2PI;
}

/**
 * E[f(u)·g(v)] for (u, v) ~ N(0, [[q1, c], [c, q2]]) by nested composite Gauss–Legendre
 * quadrature in the standardised variables (u = √q1·s, v = a·s + σ·t), with every panel boundary
 * placed at a kink of f or g so each piece is smooth. Accurate (≈1e-12) for piecewise-smooth
 * integrands of polynomial growth, including |ρ| → 1 and zero variances.
 */
export function gaussianExpectationSplit(f: ScalarFn, g: ScalarFn, q1: number, q2: number, c: number, options: SplitOptions = {}): number {
  const L = options.range ?? 12;
  const order = options.order ?? 24;
  const panels = options.panels ?? 8;
  const kinksF = options.kinksF ?? [];
  const kinksG = options.kinksG ?? [];
  const { r1, a, sigma } = conditional(q1, q2, c);
  const sBreaks: number[] = [];
  if (r1 > 0) for (const k of kinksF) sBreaks.push(k / r1);
  if (sigma <= 1e-300) {
    // Degenerate: v = a·s exactly.
    if (a !== 0) for (const k of kinksG) sBreaks.push(k / a);
    return integrateStdNormal((s) => f(r1 * s) * g(a * s), sBreaks, L, order, panels);
  }
  // Where the inner kink passes the mean, E[g(v) | s] bends over a width of about σ/|a| in s:
  // panel boundaries around it resolve that bend even when |ρ| → 1 makes it sharp.
  if (a !== 0) {
    const w = sigma / Math.abs(a);
    for (const k of kinksG) for (const m of [0, -0.5, 0.5, -2, 2, -6, 6]) sBreaks.push(k / a + m * w);
  }
  return integrateStdNormal(
    (s) => {
      const fu = f(r1 * s);
      if (fu === 0) return 0;
      const mean = a * s;
      const tBreaks = kinksG.map((k) => (k - mean) / sigma);
      return fu * integrateStdNormal((t) => g(mean + sigma * t), tBreaks, L, order, panels);
    },
    sBreaks,
    L,
    order,
    panels,
  );
}
