/**
 * Kernel blocks as the user has them: for n train and m test inputs, the train block K(X, X)
 * (n×n), the test–train block K(X*, X) (m×n) and the test–test block K(X*, X*) (m×m), for the NNGP
 * and/or the NTK. The outputs are independent and share these kernels (K ⊗ I_k, thesis §2.8).
 * @module
 */
import { ShapeMismatchError } from '@wide/core';
import { InvalidOptionError } from './errors.js';
import { type Dense, type Mat, readMat } from './matrix.js';

/** The blocks of one kernel (NNGP or NTK). */
export interface KernelBlocks {
  /** K(X, X), n×n. */
  train: Mat;
  /** K(X*, X), m×n: needed for test predictions. */
  testTrain?: Mat;
  /** K(X*, X*), m×m: needed for test covariances. */
  testTest?: Mat;
}

/** NNGP and NTK blocks; which are required depends on what is asked (see each entry point). */
export interface KernelSet {
  nngp?: KernelBlocks;
  ntk?: KernelBlocks;
}

/** Blocks read and checked (shapes, finiteness). */
export interface ReadBlocks {
  readonly train: Dense;
  readonly testTrain: Dense | null;
  readonly testTest: Dense | null;
}

/** Reads both kinds, checking that they agree on n and m. */
export function readKernelSet(set: KernelSet): { nngp: ReadBlocks | null; ntk: ReadBlocks | null; n: number; m: number | null } {
  const nngp = set.nngp ? readBlocks(set.nngp, 'NNGP') : null;
  const ntk = set.ntk ? readBlocks(set.ntk, 'NTK') : null;
  if (!nngp && !ntk) throw new ShapeMismatchError('no kernel given: pass { nngp: { train, … } } and/or { ntk: { train, … } }');
  const n = (nngp ?? ntk)!.train.rows;
  if (n === 0) throw new ShapeMismatchError('the train kernel is empty (no training points)');
  if (nngp && ntk && nngp.train.rows !== ntk.train.rows) {
    throw new ShapeMismatchError(`the NNGP train block is ${nngp.train.rows}×${nngp.train.rows} but the NTK train block is ${ntk.train.rows}×${ntk.train.rows}`);
  }
  const ms = [nngp?.testTrain?.rows, ntk?.testTrain?.rows].filter((x): x is number => x !== undefined);
  if (ms.length === 2 && ms[0] !== ms[1]) throw new ShapeMismatchError(`the NNGP test–train block has ${ms[0]} rows but the NTK one has ${ms[1]}`);
  return { nngp, ntk, n, m: ms[0] ?? null };
}

function readBlocks(b: KernelBlocks, kind: string): ReadBlocks {
  const train = readMat(b.train, `the ${kind} train block`, 'square', 'square');
  const n = train.rows;
  const testTrain = b.testTrain !== undefined ? readMat(b.testTrain, `the ${kind} test–train block`, null, n) : null;
  let testTest: Dense | null = null;
  if (b.testTest !== undefined) {
    if (!testTrain) throw new ShapeMismatchError(`the ${kind} test–test block was given without its test–train block`);
    testTest = readMat(b.testTest, `the ${kind} test–test block`, testTrain.rows, testTrain.rows);
  }
  return { train, testTrain, testTest };
}

/** The blocks of `kind`, checking that `block` is there (`what` says what needs it). */
export function need(b: ReadBlocks | null, kind: string, block: 'train' | 'testTrain' | 'testTest', what?: string): ReadBlocks {
  const name = kind.toUpperCase();
  if (!b) throw new InvalidOptionError(kind, `${what ?? `get: '${kind}'`} needs the ${name} blocks (kernels.${kind})`);
  if (block === 'testTest' && (!b.testTrain || !b.testTest)) throw new InvalidOptionError(kind, `${what ?? 'this'} needs the ${name} test–train and test–test blocks`);
  if (block === 'testTrain' && !b.testTrain) throw new InvalidOptionError(kind, `${what ?? 'this'} needs the ${name} test–train block`);
  return b;
}
