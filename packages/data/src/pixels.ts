/**
 * Pixel scaling shared by the image loaders (MNIST, Fashion-MNIST, CIFAR-10): raw bytes 0…255
 * to [0, 1], per-image centring, or per-image standardisation so that the input kernel
 * Σ⁰(x, x) = ‖x‖²/d is 1 (conventions §1).
 * @module
 */
import { ShapeMismatchError } from '@wide/core';

/** How pixel values are scaled. */
export type Normalization =
  /** raw 0…255 */
  | 'none'
  /** divided by 255, in [0, 1] */
  | 'unit'
  /** unit, then each image centred to mean 0 */
  | 'center'
  /** each image centred and scaled so that ‖x‖²/d = 1 (input kernel diagonal 1) */
  | 'standardize';

/** The shape images are returned in: `flat` (n, d) or `image` (n, H, W, C), NHWC (conventions §1). */
export type ImageShape = 'flat' | 'image';

/** Checks an {@link ImageShape} option (a JavaScript caller may pass anything). */
export function checkImageShape(value: unknown, where: string): ImageShape {
  if (value === 'flat' || value === 'image') return value;
  throw new ShapeMismatchError(`${where}: expected "flat" or "image", got ${JSON.stringify(value)}`);
}

/**
 * Scales raw pixel values (0…255) in place: `data` holds n images of `d` values each (any order
 * within an image: the per-image statistics do not depend on it). `unit` divides by 255;
 * `center` then subtracts each image's mean; `standardize` also scales each image so that
 * ‖x‖²/d = 1 (a constant image stays 0).
 */
export function normalizePixels(data: Float64Array, d: number, how: Normalization): void {
  if (how === 'none') return;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! / 255;
  if (how === 'unit') return;
  const n = data.length / d;
  for (let r = 0; r < n; r++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += data[r * d + j]!;
    mean /= d;
    let ss = 0;
    for (let j = 0; j < d; j++) {
      const v = data[r * d + j]! - mean;
      data[r * d + j] = v;
      ss += v * v;
    }
    if (how === 'standardize' && ss > 0) {
      const s = Math.sqrt(d / ss);
      for (let j = 0; j < d; j++) data[r * d + j] = data[r * d + j]! * s;
    }
  }
}
