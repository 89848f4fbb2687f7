/**
 * Applying a window operation to every array of a spatial kernel, in either layout
 * (`diagonalSpatial` true: Σ, Θ hold n1·n2 blocks of P same-position entries and the variances
 * n·P; false: n1·n2 blocks of P×P position pairs and the variances n per-sample P×P blocks
 * Σ(xᵢ, xᵢ)_{p,p′}).
 * @module
 */
import { type Kernel, ShapeMismatchError, positionsOf } from '@wide/core';

/** Numbers per sample (pair) of a kernel in its layout: P, or P·P for all position pairs. */
export function blockSize(k: Kernel): number {
  const P = positionsOf(k);
  return k.diagonalSpatial ? P : P * P;
}

/** Checks that the arrays of `k` have the lengths its layout says (`what` names the layer). */
export function checkLayout(k: Kernel, what: string): void {
  const b = blockSize(k);
  const bad = (name: string, len: number, rows: number) => {
    if (len !== rows * b) {
      const layout = k.diagonalSpatial ? 'same-position' : 'position-pair';
      throw new ShapeMismatchError(`${what}: the ${layout} kernel of spatial shape [${k.spatial.join(', ')}] should hold ${rows}·${b} numbers in ${name}, it holds ${len}`);
    }
  };
  bad('nngp', k.nngp.length, k.n1 * k.n2);
  if (k.ntk) bad('ntk', k.ntk.length, k.n1 * k.n2);
  bad('var1', k.var1.length, k.n1);
  bad('var2', k.var2.length, k.n2);
}

/**
 * `op(array, rows, shift)` applied to Σ (with the shift), Θ (no shift, when present) and the
 * variances (with the shift; var2 is var1 when x1 is x2).
 */
export function mapWindow(k: Kernel, op: (x: Float64Array, rows: number, shift: number) => Float64Array, shift: number): { nngp: Float64Array; ntk: Float64Array | null; var1: Float64Array; var2: Float64Array } {
  const var1 = op(k.var1, k.n1, shift);
  return {
    nngp: op(k.nngp, k.n1 * k.n2, shift),
    ntk: k.ntk ? op(k.ntk, k.n1 * k.n2, 0) : null,
    var1,
    var2: k.x1IsX2 ? var1 : op(k.var2, k.n2, shift),
  };
}
