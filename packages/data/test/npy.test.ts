import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyFormatError, decodeNpy, encodeNpy, npyParts, readNpy, writeNpy } from '../src/index.js';

/** Builds a .npy by hand: version, descr, shape and raw little/big-endian payload. */
function handmade(major: number, descr: string, shape: string, payload: Uint8Array, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const pre = major === 1 ? 10 : 12;
  header += ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const v = new DataView(out.buffer);
  if (major === 1) v.setUint16(8, header.length, true);
  else v.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(payload, pre + header.length);
  return out;
}

function bytesOf(values: number[], size: number, set: (v: DataView, o: number, x: number) => void): Uint8Array {
  const b = new Uint8Array(values.length * size);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => set(v, i * size, x));
  return b;
}

const vals = [-3, 0, 1, 2, 7, 100];

describe('.npy decoding', () => {
  it.each([
    ['<f8', 8, (v: DataView, o: number, x: number) => v.setFloat64(o, x, true)],
    ['>f8', 8, (v: DataView, o: number, x: number) => v.setFloat64(o, x, false)],
    ['<f4', 4, (v: DataView, o: number, x: number) => v.setFloat32(o, x, true)],
    ['>f4', 4, (v: DataView, o: number, x: number) => v.setFloat32(o, x, false)],
    ['|i1', 1, (v: DataView, o: number, x: number) => v.setInt8(o, x)],
    ['<i2', 2, (v: DataView, o: number, x: number) => v.setInt16(o, x, true)],
    ['<i4', 4, (v: DataView, o: number, x: number) => v.setInt32(o, x, true)],
    ['>i4', 4, (v: DataView, o: number, x: number) => v.setInt32(o, x, false)],
    ['<i8', 8, (v: DataView, o: number, x: number) => v.setBigInt64(o, BigInt(x), true)],
  ] as const)('reads %s in versions 1 and 2', (descr, size, set) => {
    for (const major of [1, 2]) {
      const a = decodeNpy(handmade(major, descr, '(2, 3)', bytesOf(vals, size, set)));
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(vals);
    }
  });

  it('reads unsigned and bool types, scalars and 1-D shapes', () => {
    expect(Array.from(decodeNpy(handmade(1, '|u1', '(3,)', Uint8Array.from([0, 200, 255]))).data)).toEqual([0, 200, 255]);
    expect(Array.from(decodeNpy(handmade(1, '|b1', '(2,)', Uint8Array.from([1, 0]))).data)).toEqual([1, 0]);
    const scalar = decodeNpy(handmade(1, '<f8', '()', bytesOf([2.5], 8, (v, o, x) => v.setFloat64(o, x, true))));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([2.5]);
  });

  it.each([
    [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), /bad magic/],
    [handmade(1, '<f8', '(2,)', new Uint8Array(16), true), /Fortran-ordered/],
    [handmade(1, '<c16', '(2,)', new Uint8Array(32)), /unsupported dtype '<c16'/],
    [handmade(1, '<f2', '(2,)', new Uint8Array(4)), /unsupported dtype '<f2'/],
    [handmade(1, '<f8', '(4,)', new Uint8Array(16)), /truncated data/],
    [handmade(1, 'O', '(1,)', new Uint8Array(8)), /unsupported dtype/],
    [(() => { const b = handmade(1, '<f8', '(1,)', new Uint8Array(8)); b[6] = 9; return b; })(), /unsupported .npy version 9/],
  ])('rejects malformed input %#', (bytes, message) => {
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(NpyFormatError);
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(message);
  });
});

describe('.npy writing', () => {
  it('round-trips float64 exactly and float32 to single precision', () => {
    const data = Float64Array.from([Math.PI, -1e-300, 1e300, 0, -0, 12345.678]);
    const a = decodeNpy(encodeNpy(data, [3, 2]));
    expect(a.dtype).toBe('f8');
    expect(Array.from(a.data)).toEqual(Array.from(data));
    const b = decodeNpy(encodeNpy(data.subarray(0, 2), [2], 'f4'));
    expect(b.data[0]).toBe(Math.fround(Math.PI));
    expect(encodeNpy(data, [6]).length % 64).toBe((6 * 8) % 64);
  });

  it('writes atomically: no partial or temporary file is left when the write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wide-npy-'));
    writeNpy(join(dir, 'ok.npy'), [1, 2], [2]);
    expect(Array.from(readNpy(join(dir, 'ok.npy')).data)).toEqual([1, 2]);
    expect(() => writeNpy(join(dir, 'missing', 'x.npy'), [1], [1])).toThrow(/cannot write/);
    expect(() => writeNpy(join(dir, 'bad.npy'), [1, 2, 3], [2])).toThrow(/do not fill shape/);
    expect(readdirSync(dir)).toEqual(['ok.npy']);
  });

  it('is read back by NumPy with the same values (when python3 with numpy is available)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wide-npy-'));
    const path = join(dir, 'a.npy');
    writeNpy(path, [1.5, -2.25, 3, 4], [2, 2]);
    let out: string;
    try {
      out = execFileSync('python3', ['-c', `import numpy as np; a=np.load(${JSON.stringify(path)}); np.save(${JSON.stringify(join(dir, 'b.npy'))}, (a*2).astype('>f4')); print(a.shape, a.dtype, a.sum())`], { encoding: 'utf8' });
    } catch {
      return; // no numpy on this machine: the handmade-header tests above still cover the format
    }
    expect(out.trim()).toBe('(2, 2) float64 6.25');
    const b = readNpy(join(dir, 'b.npy'));
    expect(b.dtype).toBe('f4');
    expect(Array.from(b.data)).toEqual([3, -4.5, 6, 8]);
  });

  it('gives a typed error for a missing file', () => {
    expect(() => readNpy('/nonexistent/x.npy')).toThrow(/cannot read \/nonexistent\/x.npy: ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), 'wide-npy-'));
    writeFileSync(join(dir, 'text.npy'), 'hello world, not numpy');
    expect(() => readNpy(join(dir, 'text.npy'))).toThrow(NpyFormatError);
    expect(existsSync(join(dir, 'text.npy'))).toBe(true);
  });
});

describe('npyParts (zero-copy writing)', () => {
  it('passes a float64 array through as a view and round-trips from shared memory', () => {
    const data = new Float64Array(new SharedArrayBuffer(8 * 6));
    data.set([1, -2.5, 3e300, -0, 5e-324, 6]);
    const [header, body] = npyParts(data, [2, 3]);
    expect(body!.buffer).toBe(data.buffer);
    expect(header!.length % 64).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'wide-npy-'));
    const path = join(dir, 'k.npy');
    writeNpy(path, data, [2, 3]);
    const back = readNpy(path);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(Buffer.compare(readFileSync(path), Buffer.from(encodeNpy(data, [2, 3])))).toBe(0);
    // float32 read back from a file (a Node Buffer, where slice() is a view) through the byte-copy path
    writeNpy(path, [1.5, -2.25, 3, 4.125, 0.5, 1e-3], [3, 2], 'f4');
    expect(Array.from(readNpy(path).data)).toEqual([1.5, -2.25, 3, 4.125, 0.5, Math.fround(1e-3)]);
    rmSync(dir, { recursive: true });
  });

  it('converts other inputs and float32 output', () => {
    const [, body] = npyParts([1, 2, 3], [3], 'f4');
    expect(Array.from(new Float32Array(body!.buffer))).toEqual([1, 2, 3]);
    expect(() => npyParts([1, 2], [3])).toThrow(/do not fill shape/);
  });
});

describe('readNpy into caller-supplied memory', () => {
  it('decodes into the array the allocator returns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wide-npy-'));
    const path = join(dir, 'x.npy');
    writeNpy(path, [1, 2, 3, 4], [2, 2]);
    let given: Float64Array | null = null;
    // A view in the middle of a larger buffer, as a backend's memory hands out: only it is written.
    const memory = new Float64Array(new SharedArrayBuffer(8 * 16)).fill(-1);
    const a = readNpy(path, { alloc: (n) => (given = memory.subarray(5, 5 + n)) });
    expect(a.data).toBe(given);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(memory)).toEqual([-1, -1, -1, -1, -1, 1, 2, 3, 4, -1, -1, -1, -1, -1, -1, -1]);
    expect(() => readNpy(path, { alloc: () => new Float64Array(3) })).toThrow(/allocator returned 3 numbers for 4/);
    rmSync(dir, { recursive: true });
  });
});
