/**
 * Typed errors. Every error Wide raises on bad input is a {@link WideError} whose `code`
 * names the problem, so callers can branch on it and the CLI can print one clear line.
 * @module
 */

/** The codes of {@link WideError}. */
export type WideErrorCode =
  | 'INVALID_ARCHITECTURE'
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_INPUT'
  | 'NON_GAUSSIAN_INPUT'
  | 'NON_FINITE'
  | 'NOT_POSITIVE_DEFINITE'
  | 'UNSUPPORTED'
  | 'NPY_FORMAT'
  | 'IO'
  | 'USAGE'
  | 'NON_CONVERGENCE'
  | 'MEMORY_LIMIT';

/** Base class of every error Wide throws on purpose. */
export class WideError extends Error {
  /** A stable machine-readable code. */
  readonly code: WideErrorCode;
  constructor(code: WideErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An architecture (JSON or built in code) is invalid; `path` names the offending field, e.g. `layers[3].wStd`. */
export class InvalidArchitectureError extends WideError {
  /** Path of the offending field inside the architecture. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super('INVALID_ARCHITECTURE', path ? `${path}: ${problem}` : problem);
    this.path = path;
  }
}

/** Arrays whose shapes do not fit together. */
export class ShapeMismatchError extends WideError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** Input data holds NaN or ±Infinity. */
export class NonFiniteInputError extends WideError {
  constructor(message: string) {
    super('NON_FINITE_INPUT', message);
  }
}

/**
 * A nonlinearity (or another layer that needs i.i.d. Gaussian pre-activations) was placed after a
 * layer whose output is not Gaussian, e.g. two activations in a row, as in neural-tangents.
 */
export class NonGaussianInputError extends WideError {
  constructor(message: string) {
    super('NON_GAUSSIAN_INPUT', message);
  }
}

/**
 * A layer's kernel overflowed to ±Infinity or turned NaN (extreme but valid parameters, e.g. a
 * dense layer with wStd = 1e200). The message names the layer by its path in the architecture and
 * its parameters, e.g. `layers[0] (dense wStd=1e+200, bStd=0): the NNGP overflows to Infinity`.
 */
export class NonFiniteKernelError extends WideError {
  /** Path of the layer in the architecture (`layers[3]`, `layers[2].layers[0]`); empty while not known. */
  readonly path: string;
  /** The layer's type and parameters (`dense wStd=1e+200, bStd=0`); empty while not known. */
  readonly description: string;
  /** What happened, e.g. `the NTK turns NaN`. */
  readonly problem: string;
  /** Internal: the failing step of a fused chain (Backend.chain) or pair map (0), until serial names its layer. */
  readonly step: number | undefined;
  constructor(path: string, description: string, problem: string, step?: number) {
    const where = path && description ? `${path} (${description})` : path || description;
    super('NON_FINITE', where ? `${where}: ${problem}` : problem);
    this.path = path;
    this.description = description;
    this.problem = problem;
    this.step = step;
  }
}

/**
 * What {@link NonFiniteKernelError} reports, by failure code: 0/1 the NNGP (or a variance)
 * overflows / turns NaN, 2/3 the same for the NTK (the codes of assembly/chain.ts).
 */
export const NON_FINITE_PROBLEMS = ['the NNGP overflows to Infinity', 'the NNGP turns NaN', 'the NTK overflows to Infinity', 'the NTK turns NaN'] as const;

/** 0 when `x` is all finite, else 1 (its first non-finite value is ±∞) or 2 (NaN). */
export function nonFiniteKind(x: Float64Array): 0 | 1 | 2 {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) return v !== v ? 2 : 1;
  }
  return 0;
}

/** A matrix that must be positive definite (a kernel to be factorised) is not. */
export class NotPositiveDefiniteError extends WideError {
  constructor(message: string) {
    super('NOT_POSITIVE_DEFINITE', message);
  }
}

/** A feature that exists in the conventions but is not available in this path. */
export class UnsupportedError extends WideError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/** Throws {@link NonFiniteInputError} if `data` holds NaN or ±Infinity; `what` names the array. */
export function assertFinite(data: ArrayLike<number>, what: string, shape?: readonly number[]): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) {
      throw new NonFiniteInputError(`${what} holds ${v} at ${shape ? `index [${unravel(i, shape).join(', ')}]` : `flat index ${i}`}`);
    }
  }
}

/** The multi-index of flat (C-order) index `i` in an array of the given shape. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return idx;
}

/**
 * An iterative numerical method (an eigensolver, conjugate gradients) stopped before meeting its
 * tolerance: `iterations` it ran and the `residual` it reached (the method's own measure).
 */
export class NonConvergenceError extends WideError {
  /** Iterations run. */
  readonly iterations: number;
  /** Residual (or remaining off-diagonal) reached. */
  readonly residual: number;
  constructor(message: string, iterations: number, residual: number) {
    super('NON_CONVERGENCE', message);
    this.iterations = iterations;
    this.residual = residual;
  }
}

/** `bytes` as MiB below 1 GiB (one decimal), else GiB (two decimals): `512.0 MiB`, `3.25 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 2 ** 10) return `${bytes} bytes`;
  if (bytes < 2 ** 20) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return bytes < 2 ** 30 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * A kernel computation's estimated peak memory exceeds the limit (`maxMemory`, default half the
 * machine's memory capped at 8 GiB), raised before any work starts. One line naming the estimate,
 * what it covers and the limit, e.g. `the kernel of 5000×5000 samples in tiles of 10×10 (all
 * position pairs of 784 positions) needs about 9.31 GiB but the memory limit is 8.00 GiB; pass
 * maxMemory / --max-memory to raise it`.
 */
export class MemoryLimitError extends WideError {
  /** The estimated peak, in bytes. */
  readonly estimate: number;
  /** The limit it exceeds, in bytes. */
  readonly limit: number;
  /** @param what the computation, e.g. `the kernel of 5000×5000 samples in tiles of 10×10` */
  constructor(what: string, estimate: number, limit: number) {
    super('MEMORY_LIMIT', `${what} needs about ${formatBytes(estimate)} but the memory limit is ${formatBytes(limit)}; pass maxMemory / --max-memory to raise it`);
    this.estimate = estimate;
    this.limit = limit;
  }
}
