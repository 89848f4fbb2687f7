/**
 * Spectral laws: probability measures on ℝ known through their Stieltjes transform
 * m(z) = ∫ dμ(x)/(x − z), z ∈ ℂ⁺ (Fan & Wang 2020, §2.2; footnote 3 on the sign convention), plus
 * their atoms, mean and a bracket of the support. Every law of the package (Marchenko–Pastur, the
 * MP map, the Fan–Wang CK and NTK limits, empirical spectra) implements {@link SpectralLaw}, so
 * each can be the input of the next.
 * @module
 */
import type { Complex } from '../complex.js';

/** A point mass: `mass` at `x`. */
export interface Atom {
  readonly x: number;
  readonly mass: number;
}

/** A density on a grid (piecewise linear between the points) and the atoms of the same law. */
export interface GridDensity {
  /** The grid, strictly increasing. */
  readonly x: Float64Array;
  /** ρ(x) ≥ 0 at every grid point (the absolutely continuous part; atoms are listed apart). */
  readonly density: Float64Array;
  /** Point masses of the law (not included in `density`). */
  readonly atoms: readonly Atom[];
}

/** The result of a density solve: the density with how it was obtained. */
export interface SolvedDensity extends GridDensity {
  /** Im z at which the Stieltjes transform was inverted (ρ(x) ≈ Im m(x + iη)/π); 0 for a closed form. */
  readonly eta: number;
  /** Every point converged. */
  readonly converged: boolean;
  /** 1 where the point converged, 0 where it did not (its density is then the best iterate, clipped at 0). */
  readonly pointConverged: Uint8Array;
  /** Iterations per point (Newton plus fall-back steps, continuation included). */
  readonly iterations: Int32Array;
  /** Points that did not converge. */
  readonly failures: number;
}

/** Options of a density on a grid. */
export interface DensityOptions {
  /** Im z for the Stieltjes inversion (default: the law's own, 1e-8 for the analytic solvers). */
  eta?: number;
}

/** A probability law on ℝ, known through its Stieltjes transform. */
export interface SpectralLaw {
  /** A short description, e.g. `MP(γ=0.5)`. */
  readonly name: string;
  /** m(z) = ∫ dμ(x)/(x − z) for Im z > 0 (Herglotz: Im m > 0). */
  stieltjes(z: Complex): Complex;
  /** Its point masses (location and mass). */
  readonly atoms: readonly Atom[];
  /** ∫ x dμ(x). */
  readonly mean: number;
  /** An interval [lo, hi] that contains the support (possibly loosely). */
  readonly bounds: readonly [number, number];
  /**
   * The smallest Im z at which inverting this law (or one built on it) makes sense: about five
   * eigenvalue spacings for an empirical spectrum, whose transform has poles on the real axis;
   * absent (0) for laws with a density.
   */
  readonly minEta?: number;
  /** The density on a grid, when the law has a better way than pointwise inversion (closed form, warm-started solver). */
  density?(x: Float64Array, options?: DensityOptions): SolvedDensity;
}
