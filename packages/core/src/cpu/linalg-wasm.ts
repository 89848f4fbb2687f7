/**
 * WebAssembly (f64x2 SIMD) dense linear algebra on the shared-memory runtime: a packed GEMM
 * (C ± A·Bᵀ, 4×2 register blocks, tiles on the worker pool), blocked right-looking Cholesky and
 * blocked triangular solves. The kernels are in `assembly/linalg/`; this module plans the blocks,
 * manages scratch blocks and dispatches tasks. The plain-JS routines of `linalg.ts` are
 * the reference.
 * @module
 */
import { NotPositiveDefiniteError } from '../errors.js';
import { adopt, newArray, releaseArray } from './wasm/arena.js';
import type { WasmRuntime } from './wasm/runtime.js';

/** Block size (columns) of the Cholesky panels and of the blocked solves. */
export const CHOL_NB = 192;
/** Rows per task of a Cholesky panel solve (a multiple of 4). */
const PANEL_ROWS = 64;
/** Tile of the packed GEMM (rows, columns); rows a multiple of 4, columns even. */
const TILE_M = 96;
const TILE_N = 128;
/** Work (multiply-adds) below which a step runs on the calling thread only. */
const SERIAL_WORK = 1.5e6;

/**
 * A scratch block of the runtime's memory. Blocks are kept between the steps of one call; at the
 * end of a top-level call ({@link withScratch}) the large ones go back to the runtime's allocator,
 * where the next call (or any other allocation) finds them again — already touched, so without the
 * page faults of fresh memory — instead of being held by the linear algebra for good.
 */
export class Scratch {
  private offset = -1;
  private bytes = 0;
  constructor(private readonly rt: WasmRuntime) {}
  /** Byte offset of a block of at least `bytes` bytes (contents arbitrary). */
  get(bytes: number): number {
    if (bytes > this.bytes) {
      if (this.offset >= 0) this.rt.free(this.offset);
      this.bytes = Math.max(64, bytes);
      this.offset = this.rt.alloc(this.bytes);
    }
    return this.offset;
  }
  /** Returns the block to the runtime if it is at least `minBytes` long. */
  release(minBytes: number): void {
    if (this.offset >= 0 && this.bytes >= minBytes) {
      this.rt.free(this.offset);
      this.offset = -1;
      this.bytes = 0;
    }
  }
}

/** Scratch blocks from this size up are handed back at the end of every top-level call. */
const KEEP_BELOW = 1 << 20;

/** Per-runtime state: the scratch blocks. */
export interface Ctx {
  rt: WasmRuntime;
  ex: Record<string, (...args: number[]) => number>;
  /** Named scratch blocks (created on first use). */
  scratch(name: string): Scratch;
  /** All scratch blocks by name. */
  readonly blocks: Map<string, Scratch>;
  /** Nesting depth of {@link withScratch}. */
  depth: number;
}

const contexts = new WeakMap<WasmRuntime, Ctx>();

/** The linear-algebra context of a runtime. */
export function ctxOf(rt: WasmRuntime): Ctx {
  let c = contexts.get(rt);
  if (!c) {
    const blocks = new Map<string, Scratch>();
    c = {
      rt,
      ex: rt.exports,
      depth: 0,
      blocks,
      scratch(name) {
        let b = blocks.get(name);
        if (!b) {
          b = new Scratch(rt);
          blocks.set(name, b);
        }
        return b;
      },
    };
    contexts.set(rt, c);
  }
  return c;
}

/** Runs a top-level operation; afterwards the large scratch blocks go back to the runtime. */
export function withScratch<T>(c: Ctx, f: () => T): T {
  c.depth++;
  try {
    return f();
  } finally {
    if (--c.depth === 0) for (const b of c.blocks.values()) b.release(KEEP_BELOW);
  }
}

/** Development aid: per-phase times (ms) when WIDE_LINALG_PROFILE is set (`cpu`: process CPU time instead of wall time). */
export const profile: Record<string, number> | null = process.env['WIDE_LINALG_PROFILE'] ? {} : null;
/** The clock of {@link profile}. */
export const clock: () => number =
  process.env['WIDE_LINALG_PROFILE'] === 'cpu'
    ? () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      }
    : () => performance.now();

/** Runs `total` tasks of `name` (`work`: multiply-adds, about), on the pool when worth it, else here. */
export function run(c: Ctx, name: string, args: readonly number[], total: number, work: number): void {
  if (total <= 0) return;
  if (profile) {
    const t0 = clock();
    runInner(c, name, args, total, work);
    profile[name] = (profile[name] ?? 0) + clock() - t0;
    return;
  }
  runInner(c, name, args, total, work);
}

function runInner(c: Ctx, name: string, args: readonly number[], total: number, work: number): void {
  if (total === 1 || work < SERIAL_WORK || c.rt.threads <= 1) {
    const f = c.ex[name]!;
    for (let t = 0; t < total; t++) f(...args, t);
  } else {
    c.rt.parallel(name, args, total);
  }
}

/** An operand of {@link gemm}: `ptr` (bytes) with leading dimension `ld`; `trans` reads it transposed. */
export interface Operand {
  ptr: number;
  ld: number;
  trans: boolean;
}

/** Packs the R×K operand into P2 strips at `dst` (S strips). */
function pack(c: Ctx, op: Operand, R: number, K: number, dst: number, S: number): void {
  const per = Math.max(8, Math.ceil(S / (4 * c.rt.threads)));
  run(c, 'lin_pack_task', [op.ptr, op.ld, R, K, op.trans ? 1 : 0, dst, S, per], Math.ceil(S / per), R * K);
}

/** Writes the tiles of an M×N product (mode 0 all, 1 lower, 2 upper) into the task table. */
function tiles(c: Ctx, M: number, N: number, mode: number, tm = TILE_M, tn = TILE_N): { table: number; count: number } {
  const list: number[] = [];
  for (let i0 = 0; i0 < M; i0 += tm) {
    const i1 = Math.min(M, i0 + tm);
    for (let j0 = 0; j0 < N; j0 += tn) {
      const j1 = Math.min(N, j0 + tn);
      if (mode === 1 && j0 > i1 - 1) continue;
      if (mode === 2 && j1 - 1 < i0) continue;
      list.push(i0, i1, j0, j1);
    }
  }
  const count = list.length / 4;
  const table = c.scratch('table').get(Math.max(16, list.length * 4));
  new Int32Array(c.rt.memory.buffer, table, list.length).set(list);
  return { table, count };
}

/**
 * C (M×N at `C`, leading dimension ldc) += alpha · op(A)·op(B)ᵀ where op(A) is M×K and op(B) is
 * N×K; mode 1 updates only the lower triangle (j ≤ i), 2 only the upper one.
 */
export function gemm(c: Ctx, C: number, ldc: number, M: number, N: number, K: number, A: Operand, B: Operand, alpha: number, mode = 0): void {
  if (M <= 0 || N <= 0 || K <= 0) return;
  const K2 = (K + 1) >> 1;
  const SA = Math.ceil(M / 4) * 2;
  const SB = Math.ceil(N / 2);
  const pa = c.scratch('packA').get(SA * K2 * 32);
  pack(c, A, M, K, pa, SA);
  let pb = pa;
  if (B !== A) {
    pb = c.scratch('packB').get(SB * K2 * 32);
    pack(c, B, N, K, pb, SB);
  }
  gemmPacked(c, C, ldc, M, N, K2, pa, pb, alpha, mode);
}

/** The tile phase of {@link gemm} on operands packed already. */
export function gemmPacked(c: Ctx, C: number, ldc: number, M: number, N: number, K2: number, pa: number, pb: number, alpha: number, mode = 0): void {
  const tm = M <= TILE_M ? Math.ceil(M / 4) * 4 : TILE_M;
  const { table, count } = tiles(c, M, N, mode, tm);
  run(c, 'lin_gemm_task', [C, ldc, pa, pb, K2, alpha, mode, table], count, M * N * K2 * 2 * (mode ? 0.5 : 1));
}

/** Lower Cholesky factor (row-major, zero above the diagonal) in a new runtime array. */
export function choleskyWasm(rt: WasmRuntime, a: Float64Array, n: number): Float64Array {
  const c = ctxOf(rt);
  return withScratch(c, () => choleskyIn(c, rt, a, n));
}

function choleskyIn(c: Ctx, rt: WasmRuntime, a: Float64Array, n: number): Float64Array {
  const L = newArray(rt, n * n, false);
  L.set(a.subarray(0, n * n));
  const A = rt.offsetOf(L);
  const nb = CHOL_NB;
  const small = c.scratch('small').get(nb * 8 + 64);
  const info = small + nb * 8;
  for (let k = 0; k < n; k += nb) {
    const kb = Math.min(nb, n - k);
    const Akk = A + (k * n + k) * 8;
    const t0 = profile ? clock() : 0;
    const r = c.ex['lin_potf2']!(Akk, n, kb, small, info);
    if (profile) profile['potf2'] = (profile['potf2'] ?? 0) + clock() - t0;
    if (r >= 0) {
      const v = rt.f64(info, 1)[0]!;
      releaseArray(L);
      throw notPd(k + r, n, v);
    }
    const m = n - k - kb;
    if (m === 0) break;
    const S = Math.ceil(m / 4) * 2;
    const K2 = (kb + 1) >> 1;
    const packed = c.scratch('packA').get(S * K2 * 32);
    run(c, 'lin_panel_task', [A + ((k + kb) * n + k) * 8, n, Akk, small, kb, m, packed, S, PANEL_ROWS], Math.ceil(m / PANEL_ROWS), (m * kb * kb) / 2);
    gemmPacked(c, A + ((k + kb) * n + k + kb) * 8, n, m, m, K2, packed, packed, -1, 1);
  }
  const rows = 64;
  run(c, 'lin_zero_upper_task', [A, n, rows], Math.ceil(n / rows), (n * n) / 8);
  return L;
}

/** The error for a failed pivot (index, of n, its value). */
export function notPd(pivot: number, n: number, value: number): NotPositiveDefiniteError {
  return new NotPositiveDefiniteError(
    `matrix is not positive definite: pivot ${pivot} of ${n} is ${value} (add a diagonal regulariser, or check the kernel for NaN or negative eigenvalues)`,
  );
}

/** Solves L·Lᵀ·X = B (B n×m row-major) with a factor from {@link choleskyWasm}; X in a new runtime array. */
export function choleskySolveWasm(rt: WasmRuntime, Lin: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const c = ctxOf(rt);
  return withScratch(c, () => solveIn(c, rt, Lin, n, b, m));
}

function solveIn(c: Ctx, rt: WasmRuntime, Lin: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const L = adopt(rt, Lin);
  const Lp = rt.offsetOf(L);
  const out = newArray(rt, n * m, false);
  // Work on Yᵀ (m×n): each right-hand side is a contiguous row.
  let Y: Float64Array;
  if (m === 1) {
    out.set(b.subarray(0, n));
    Y = out;
  } else {
    const Bm = adopt(rt, b);
    Y = newArray(rt, n * m, false);
    transpose(c, rt.offsetOf(Bm), n, m, m, rt.offsetOf(Y), n);
    if (Bm !== b) releaseArray(Bm);
  }
  const Yp = rt.offsetOf(Y);
  const nb = CHOL_NB;
  const invd = c.scratch('vec').get(n * 8 + nb * nb * 8);
  const Ut = invd + n * 8;
  c.ex['lin_inv_diag']!(Lp, n, n, invd);
  const rowsPer = Math.max(4, Math.ceil(m / (4 * rt.threads) / 4) * 4);
  const rowTasks = Math.ceil(m / rowsPer);
  // Forward: Yᵀ·Lᵀ = Bᵀ.
  for (let J = 0; J < n; J += nb) {
    const jb = Math.min(nb, n - J);
    run(c, 'lin_trsm_fwd_task', [Yp + J * 8, n, Lp + (J * n + J) * 8, n, invd + J * 8, jb, m, rowsPer], rowTasks, (m * jb * jb) / 2);
    const rest = n - J - jb;
    if (rest > 0) {
      gemm(c, Yp + (J + jb) * 8, n, m, rest, jb, { ptr: Yp + J * 8, ld: n, trans: false }, { ptr: Lp + ((J + jb) * n + J) * 8, ld: n, trans: false }, -1);
    }
  }
  // Backward: Xᵀ·L = Yᵀ.
  for (let J = Math.floor((n - 1) / nb) * nb; J >= 0; J -= nb) {
    const jb = Math.min(nb, n - J);
    c.ex['lin_transpose']!(Lp + (J * n + J) * 8, n, jb, jb, Ut, jb, 0, jb);
    run(c, 'lin_trsm_bwd_task', [Yp + J * 8, n, Ut, invd + J * 8, jb, m, rowsPer], rowTasks, (m * jb * jb) / 2);
    if (J > 0) {
      gemm(c, Yp, n, m, J, jb, { ptr: Yp + J * 8, ld: n, trans: false }, { ptr: Lp + J * n * 8, ld: n, trans: true }, -1);
    }
  }
  if (m > 1) {
    transpose(c, Yp, m, n, n, rt.offsetOf(out), m);
    releaseArray(Y);
  }
  if (L !== Lin) releaseArray(L);
  return out;
}

/** dst (cols×rows, leading dimension ldd) = srcᵀ for src rows×cols (leading dimension lds). */
export function transpose(c: Ctx, src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void {
  const per = Math.max(8, Math.ceil(rows / (8 * c.rt.threads) / 8) * 8);
  run(c, 'lin_transpose_task', [src, lds, rows, cols, dst, ldd, per], Math.ceil(rows / per), rows * cols);
}
