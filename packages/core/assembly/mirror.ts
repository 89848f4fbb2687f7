// Blocked mirror of square same-position kernels: k[(i·n + j)·P + p] = k[(j·n + i)·P + p] for j < i,
// for one or two arrays at once (Σ and Θ), in 64×64 blocks so that both the rows written and the
// columns read stay in cache (perf-feasibility §3.1: a blocked transpose costs ~25 ms at n = 5,000).

const B: i32 = 64;

/** Copies the upper triangle into the lower one for rows of block (blocks − 1 − task) (the heaviest first), in `a` and, unless 0, `b`. */
export function mirrorTask(a: usize, b: usize, n: i32, P: i32, task: i32): void {
  const blocks = (n + B - 1) / B;
  const ib = (blocks - 1 - task) * B;
  const iEnd = min(n, ib + B);
  const rowBytes = <usize>n * <usize>P << 3;
  const pBytes = <usize>P << 3;
  for (let jb = 0; jb <= ib; jb += B) {
    for (let i = ib; i < iEnd; i++) {
      const jEnd = min(jb + B, i);
      for (let j = jb; j < jEnd; j++) {
        const dst = <usize>i * rowBytes + <usize>j * pBytes;
        const src = <usize>j * rowBytes + <usize>i * pBytes;
        if (P == 1) {
          store<f64>(a + dst, load<f64>(a + src));
          if (b) store<f64>(b + dst, load<f64>(b + src));
        } else {
          memory.copy(a + dst, a + src, pBytes);
          if (b) memory.copy(b + dst, b + src, pBytes);
        }
      }
    }
  }
}

/** Number of {@link mirrorTask} tasks for an n×n kernel. */
export function mirrorTasks(n: i32): i32 {
  return (n + B - 1) / B;
}
