/**
 * NumPy `.npy` files: read (versions 1–3; float32/float64, signed and unsigned integers of 1–8
 * bytes, bool; either byte order; C order) and write (atomically: a temporary file renamed into
 * place, so a failure never leaves a partial file). Anything else is a clear {@link NpyFormatError}.
 * @module
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { WideError } from '@wide/core';

/** A malformed or unsupported `.npy` file. */
export class NpyFormatError extends WideError {
  constructor(message: string) {
    super('NPY_FORMAT', message);
  }
}

/** Element types Wide reads and writes. */
export type NpyDtype = 'f8' | 'f4' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1';

/** An array read from a `.npy` file (values converted to float64). */
export interface NpyArray {
  /** Element type as stored. */
  readonly dtype: NpyDtype;
  /** Shape (C order). */
  readonly shape: readonly number[];
  /** Values as float64, row-major. */
  readonly data: Float64Array;
}

/** Whether this machine stores numbers little-endian (as .npy files usually do). */
const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const SIZES: Record<NpyDtype, number> = { f8: 8, f4: 4, i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1 };

function parseHeader(header: string, where: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new NpyFormatError(`${where}: header is not a valid .npy dictionary: ${header.trim()}`);
  const dims = shape[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new NpyFormatError(`${where}: invalid shape entry "${s}"`);
      return v;
    });
  return { descr: descr[1]!, fortran: fortran[1] === 'True', shape: dims };
}

/** Options of {@link readNpy} and {@link decodeNpy}. */
export interface ReadNpyOptions {
  /**
   * Where the values go: a function returning a Float64Array of the given length, e.g. a
   * backend's `zeros` so that a large input lands in the memory its kernels read (no copy later).
   * Default: a new Float64Array.
   */
  alloc?: (length: number) => Float64Array;
}

/** Decodes `.npy` bytes; `where` names the source in error messages. */
export function decodeNpy(bytes: Uint8Array, where = 'npy data', options: ReadNpyOptions = {}): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyFormatError(`${where}: not a .npy file (bad magic string)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyFormatError(`${where}: truncated header`);
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new NpyFormatError(`${where}: unsupported .npy version ${major}.${bytes[7]}`);
  }
  if (start + headerLen > bytes.length) throw new NpyFormatError(`${where}: truncated header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, where);
  if (fortran) throw new NpyFormatError(`${where}: Fortran-ordered arrays are not supported (save with np.ascontiguousarray)`);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const dtype = m ? (`${m[2]}${m[3]}` as NpyDtype) : null;
  if (!m || !dtype || !(dtype in SIZES)) throw new NpyFormatError(`${where}: unsupported dtype '${descr}' (supported: float32/64, int8–64, uint8–64, bool)`);
  const little = m[1] !== '>';
  const size = SIZES[dtype];
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset < count * size) {
    throw new NpyFormatError(`${where}: truncated data (shape [${shape.join(', ')}] needs ${count * size} bytes, file has ${bytes.length - offset})`);
  }
  const data = options.alloc ? options.alloc(count) : new Float64Array(count);
  if (data.length !== count) throw new NpyFormatError(`${where}: the allocator returned ${data.length} numbers for ${count}`);
  if (little && littleEndian && (dtype === 'f8' || dtype === 'f4')) {
    // Same byte order as this machine: a byte copy (then a widening copy for float32), no per-element decoding.
    const body = bytes.subarray(offset, offset + count * size);
    if (dtype === 'f8') new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(body);
    else data.set(new Float32Array(Uint8Array.prototype.slice.call(body).buffer));
    return { dtype, shape, data };
  }
  for (let i = 0; i < count; i++) {
    const o = offset + i * size;
    switch (dtype) {
      case 'f8': data[i] = view.getFloat64(o, little); break;
      case 'f4': data[i] = view.getFloat32(o, little); break;
      case 'i1': data[i] = view.getInt8(o); break;
      case 'u1': case 'b1': data[i] = view.getUint8(o); break;
      case 'i2': data[i] = view.getInt16(o, little); break;
      case 'u2': data[i] = view.getUint16(o, little); break;
      case 'i4': data[i] = view.getInt32(o, little); break;
      case 'u4': data[i] = view.getUint32(o, little); break;
      case 'i8': case 'u8': {
        const v = dtype === 'i8' ? view.getBigInt64(o, little) : view.getBigUint64(o, little);
        const n = Number(v);
        if (!Number.isSafeInteger(n)) throw new NpyFormatError(`${where}: integer ${v} at index ${i} cannot be represented exactly as a float64`);
        data[i] = n;
        break;
      }
    }
  }
  return { dtype, shape, data };
}

/** Reads a `.npy` file. */
export function readNpy(path: string, options: ReadNpyOptions = {}): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new WideError('IO', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return decodeNpy(bytes, path, options);
}

/** The `.npy` version-1 header (magic, version, length, dictionary padded to 64 bytes) for `shape` and `dtype`. */
function npyHeader(shape: readonly number[], dtype: 'f8' | 'f4'): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/**
 * A `.npy` file as parts to write one after the other: the header, then the data. A float64
 * array written as `f8` on a little-endian machine is passed through as a view, without a copy
 * (kernels of 200 MB and more are written straight from where they were computed).
 */
export function npyParts(data: ArrayLike<number>, shape: readonly number[], dtype: 'f8' | 'f4' = 'f8'): Uint8Array[] {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new NpyFormatError(`encodeNpy: ${data.length} values do not fill shape [${shape.join(', ')}]`);
  const header = npyHeader(shape, dtype);
  if (dtype === 'f8' && littleEndian && data instanceof Float64Array) return [header, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  const size = dtype === 'f8' ? 8 : 4;
  const body = new Uint8Array(count * size);
  const view = new DataView(body.buffer);
  for (let i = 0; i < count; i++) {
    if (dtype === 'f8') view.setFloat64(i * 8, data[i]!, true);
    else view.setFloat32(i * 4, data[i]!, true);
  }
  return [header, body];
}

/** Encodes an array as the bytes of a `.npy` file (version 1, C order, little-endian). */
export function encodeNpy(data: ArrayLike<number>, shape: readonly number[], dtype: 'f8' | 'f4' = 'f8'): Uint8Array {
  const parts = npyParts(data, shape, dtype);
  const out = new Uint8Array(parts[0]!.length + parts[1]!.length);
  out.set(parts[0]!, 0);
  out.set(parts[1]!, parts[0]!.length);
  return out;
}

/** What a file holds: text, bytes, or parts of bytes written one after the other. */
export type FileContent = string | Uint8Array | readonly Uint8Array[];

/** Writes all of `bytes` (writeSync may write less than asked, and at most 2 GiB at once). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30));
}

/**
 * Writes several files all-or-nothing: each goes to a temporary file in its folder (fsynced),
 * and only when every one is written are they renamed into place. On failure the temporary
 * files are removed and no target is touched.
 */
export function writeFilesAtomic(files: readonly (readonly [path: string, bytes: FileContent])[]): void {
  const temps: string[] = [];
  try {
    for (const [path, bytes] of files) {
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
      temps.push(tmp);
      let fd: number | null = null;
      try {
        fd = openSync(tmp, 'w');
        for (const part of typeof bytes === 'string' ? [Buffer.from(bytes)] : bytes instanceof Uint8Array ? [bytes] : bytes) writeAll(fd, part);
        fsyncSync(fd);
      } catch (e) {
        throw new WideError('IO', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      } finally {
        if (fd !== null) closeSync(fd);
      }
    }
    files.forEach(([path], i) => renameSync(temps[i]!, path));
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    throw e instanceof WideError ? e : new WideError('IO', `cannot write output files: ${(e as Error).message}`);
  }
}

/** Writes bytes to `path` atomically (temporary file in the same folder, fsync, rename). */
export function writeFileAtomic(path: string, bytes: FileContent): void {
  writeFilesAtomic([[path, bytes]]);
}

/** Writes a `.npy` file atomically. */
export function writeNpy(path: string, data: ArrayLike<number>, shape: readonly number[], dtype: 'f8' | 'f4' = 'f8'): void {
  writeFileAtomic(path, npyParts(data, shape, dtype));
}
