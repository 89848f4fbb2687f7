#!/usr/bin/env python3
"""NumPy/SciPy (LAPACK via OpenBLAS) peer of tools/bench/linalg/bench.ts.

  gen  --n N --dir D [--seed S]   writes spd_N.npy (G·Gᵀ/N + I, G Gaussian), sym_N.npy ((G + Gᵀ)/2),
                                  rhs_N.npy (N×10 Gaussian) and the references ev_N.npy
                                  (np.linalg.eigvalsh(sym)) and x_N.npy (spd⁻¹·rhs).
  time --n N --dir D              times, once each: np.linalg.cholesky + scipy.linalg.cho_solve
                                  (10 right-hand sides), np.linalg.eigvalsh, np.linalg.eigh;
                                  prints one JSON line (seconds).
"""
import argparse, json, os, time
import numpy as np

try:
    import scipy
    from scipy.linalg import cho_solve
except ImportError:  # fall back to two triangular solves with NumPy
    scipy = None

    def cho_solve(c, b):
        L, _ = c
        y = np.linalg.solve(L, b)
        return np.linalg.solve(L.T, y)


def gen(n, d, seed):
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n, n))
    spd = g @ g.T / n + np.eye(n)
    sym = (g + g.T) / 2
    rhs = rng.standard_normal((n, 10))
    np.save(os.path.join(d, f'spd_{n}.npy'), spd)
    np.save(os.path.join(d, f'sym_{n}.npy'), sym)
    np.save(os.path.join(d, f'rhs_{n}.npy'), rhs)
    np.save(os.path.join(d, f'ev_{n}.npy'), np.linalg.eigvalsh(sym))
    np.save(os.path.join(d, f'x_{n}.npy'), np.ascontiguousarray(cho_solve((np.linalg.cholesky(spd), True), rhs)))


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def run(n, d):
    spd = np.load(os.path.join(d, f'spd_{n}.npy'))
    sym = np.load(os.path.join(d, f'sym_{n}.npy'))
    rhs = np.load(os.path.join(d, f'rhs_{n}.npy'))
    # Warm up BLAS threads and the LAPACK code paths on a small problem.
    w = spd[:200, :200].copy()
    np.linalg.eigh(w); np.linalg.cholesky(w)
    t_chol, L = timed(lambda: np.linalg.cholesky(spd))
    t_solve, _ = timed(lambda: cho_solve((L, True), rhs))
    del L
    t_ev, _ = timed(lambda: np.linalg.eigvalsh(sym))
    t_eigh, _ = timed(lambda: np.linalg.eigh(sym))
    print(json.dumps({'numpy': np.__version__, 'scipy': scipy.__version__ if scipy else None, 'n': n,
                      'seconds': {'cholesky': t_chol, 'solve': t_solve, 'eigvalsh': t_ev, 'eigh': t_eigh}}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['gen', 'time'])
    ap.add_argument('--n', type=int, required=True)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    if a.mode == 'gen':
        gen(a.n, a.dir, a.seed)
    else:
        run(a.n, a.dir)


if __name__ == '__main__':
    main()
