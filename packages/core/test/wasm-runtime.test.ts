import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wasmRuntime } from '../src/cpu/wasm/runtime.js';

const rt = wasmRuntime();

describe('WebAssembly runtime', () => {
  it('loads on this Node (SIMD, FMA build after enabling the V8 flag)', () => {
    expect(rt).not.toBeNull();
    expect(rt!.relaxed).toBe(true);
  });

  it('runs a kernel over the worker pool: every task exactly once', () => {
    const n = 5 * 65536 + 123;
    const a = rt!.array(n);
    rt!.parallel('fillTask', [rt!.offsetOf(a), n, 2.5], Math.ceil(n / 65536));
    expect(a.every((x) => x === 2.5)).toBe(true);
  });

  it('allocates aligned blocks, reuses freed ones, and recognises its views after growth', () => {
    const o1 = rt!.alloc(100);
    const o2 = rt!.alloc(8);
    expect(o1 % 64).toBe(0);
    expect(o2 % 64).toBe(0);
    rt!.free(o1);
    expect(rt!.alloc(64)).toBe(o1);
    const before = rt!.array(10);
    rt!.array(4_000_000); // forces growth
    expect(rt!.offsetOf(before)).toBeGreaterThan(0);
    expect(rt!.offsetOf(new Float64Array(4))).toBe(-1);
    expect(rt!.adopt(before)).toBe(before);
  });

  it('hands out zeroed arrays even from reused memory', () => {
    const off = rt!.alloc(8 * 1000);
    rt!.f64(off, 1000).fill(7);
    rt!.free(off);
    const a = rt!.array(1000);
    expect(a.every((x) => x === 0)).toBe(true);
  });

  it('falls back with one notice where WebAssembly SIMD is missing (forced)', () => {
    const src = fileURLToPath(new URL('../src/cpu/wasm/runtime.ts', import.meta.url));
    const script = `import { wasmRuntime } from ${JSON.stringify(src)}; console.log(String(wasmRuntime())); wasmRuntime();`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, WIDE_WASM_SIMD: '0' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('null');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('wide:'));
    expect(lines).toEqual(['wide: WebAssembly SIMD is not available in this JavaScript engine; using the plain JavaScript kernels (slower)']);
  });
});
