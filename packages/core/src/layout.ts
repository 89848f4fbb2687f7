/**
 * Layout analysis: which spatial covariances a network's kernel computation must keep.
 *
 * - `diagonal`: only same-position covariances Σ(x, x′)ₚₚ, n1·n2·P numbers per kernel: a
 *   network whose spatial axes end in `flatten` (CNN-V) never reads anything else, since
 *   convolution shifts both positions by the same tap (conventions §1) and elementwise layers act
 *   entry by entry. Cost O(n²·P) per layer.
 * - `full`: all position pairs Σ(x, x′)ₚₚ′, n1·n2·P² numbers: needed as soon as some layer mixes
 *   different positions (pooling, global pooling, attention). Cost O(n²·P²) per layer.
 *
 * This is neural-tangents' requirements algebra (`stax/requirements.py`, anchor-neural-tangents.md
 * §2.2) simplified to one bit per layer, {@link Layer.needsPositionPairs}: conv, dense and
 * activations work on either layout, pooling, global pooling and attention need position pairs,
 * flatten needs only the diagonal. neural-tangents also lets a layer *produce* a diagonal-only
 * output that a later pooling may consume (ConvLocal); we have no such layer, so "some layer in
 * the tree needs pairs" decides.
 * @module
 */
import { InvalidArchitectureError } from './errors.js';
import type { AnyLayer } from './combinators.js';

/** Which spatial covariances a kernel holds: same-position only, or all position pairs. */
export type SpatialLayout = 'diagonal' | 'full';

/** The `layout` option: a {@link SpatialLayout}, or `auto` (what {@link spatialLayout} says). */
export type LayoutOption = SpatialLayout | 'auto';


/**
 * The layers of the tree under `layer` (itself included, depth first through `sublayers`) whose
 * kernel rule reads covariances between different positions (`needsPositionPairs`).
 */
export function layersNeedingPositionPairs(layer: AnyLayer): AnyLayer[] {
  const found: AnyLayer[] = [];
  const seen = new Set<AnyLayer>();
  const walk = (l: AnyLayer): void => {
    if (seen.has(l)) return;
    seen.add(l);
    if (l.needsPositionPairs) found.push(l);
    for (const s of l.sublayers ?? []) walk(s);
  };
  walk(layer);
  return found;
}

/**
 * The layout a network's kernel computation needs: `full` iff some layer in the tree (walking
 * combinators' `sublayers`) has `needsPositionPairs` (pooling, global pooling, attention),
 * else `diagonal` (dense, conv, activations and flatten are content with same-position
 * covariances). See the module comment for the requirements algebra this simplifies.
 */
export function spatialLayout(layer: AnyLayer): SpatialLayout {
  return layersNeedingPositionPairs(layer).length > 0 ? 'full' : 'diagonal';
}

/**
 * The layout a computation with `option` runs in: `auto` → {@link spatialLayout}, `full` always
 * works (the test oracle: same results as the diagonal path), `diagonal` on a network that needs
 * position pairs throws InvalidArchitectureError naming the layer type that needs them.
 */
export function resolveLayout(layer: AnyLayer, option: LayoutOption = 'auto'): SpatialLayout {
  if (option === 'full') return 'full';
  if (option !== 'auto' && option !== 'diagonal') {
    throw new InvalidArchitectureError('layout', `expected 'auto', 'diagonal' or 'full', got ${JSON.stringify(option)}`);
  }
  const needing = layersNeedingPositionPairs(layer);
  if (needing.length === 0) return 'diagonal';
  if (option === 'auto') return 'full';
  const types = [...new Set(needing.map((l) => l.describe ?? l.type))].join(', ');
  throw new InvalidArchitectureError(
    'layout',
    `'diagonal' keeps only same-position covariances, but ${types} needs covariances between different positions; use layout 'full' or 'auto'`,
  );
}
