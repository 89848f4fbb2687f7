// Helpers of the worker pool itself.

/** Fills n doubles at p with v; task t handles the t-th block of 1 << 16 doubles. */
export function fillTask(p: usize, n: i32, v: f64, t: i32): void {
  const start = t << 16;
  const end = min(n, start + (1 << 16));
  const s = f64x2.splat(v);
  let i = start;
  for (; i + 2 <= end; i += 2) v128.store(p + (<usize>i << 3), s);
  for (; i < end; i++) store<f64>(p + (<usize>i << 3), v);
}

/** End of the module's static data: the runtime's allocator must start above it. */
export function heapBase(): usize {
  return __heap_base;
}
