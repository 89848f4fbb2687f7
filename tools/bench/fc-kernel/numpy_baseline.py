#!/usr/bin/env python3
"""NumPy float64 baseline for tools/bench/fc-kernel: NNGP and NTK of the depth-L ReLU network
dense(w, b) [relu dense(w, b)]*L in the NTK parameterisation (conventions §1), on x from a .npy.

Two versions of the same computation:
  natural    the formulas as written (arccos, sin, cos; a fresh array per operation);
  optimized  preallocated out= buffers, sin θ = √((1−ρ)(1+ρ)), cos θ = ρ, exact diagonal.
Prints one JSON line with the timings (seconds, each the best of --repeat runs) and writes the
kernels of the last natural run to --out-dir for the accuracy comparison.

Arc-cosine kernel of ReLU (Cho & Saul 2009; neural-tangents' stax.Relu):
  Σ′ = √(q1 q2)/(2π) · (sin θ + (π − θ) cos θ),  Σ̇ = (π − θ)/(2π),  θ = arccos(Σ/√(q1 q2)).
Dense layer after the ReLU: Σ ← w² Σ′ + b², Θ ← w² Σ̇ ⊙ Θ + Σ (Jacot et al. 2018, Thm 1).
"""
import argparse, json, time
import numpy as np


def natural(x, w, b, depth):
    d = x.shape[1]
    S = w * w * (x @ x.T) / d + b * b
    T = S.copy()
    for _ in range(depth):
        q = np.diag(S)
        norms = np.sqrt(np.outer(q, q))
        rho = np.clip(S / norms, -1.0, 1.0)
        th = np.arccos(rho)
        S_relu = norms * (np.sin(th) + (np.pi - th) * np.cos(th)) / (2 * np.pi)
        S_dot = (np.pi - th) / (2 * np.pi)
        S = w * w * S_relu + b * b
        T = w * w * S_dot * T + S
    return S, T


def optimized(x, w, b, depth):
    n, d = x.shape
    S = x @ x.T
    S *= w * w / d
    S += b * b
    T = S.copy()
    rho = np.empty_like(S)
    tmp = np.empty_like(S)
    th = np.empty_like(S)
    for _ in range(depth):
        q = np.diag(S).copy()
        rs = 1.0 / np.sqrt(q)
        np.multiply(S, rs[:, None], out=rho)
        rho *= rs[None, :]
        np.clip(rho, -1.0, 1.0, out=rho)
        np.fill_diagonal(rho, 1.0)
        np.arccos(rho, out=th)
        np.subtract(np.pi, th, out=th)            # π − θ
        np.multiply(T, th, out=T)                 # Θ ⊙ (π − θ)
        T *= w * w / (2 * np.pi)
        np.multiply(th, rho, out=tmp)             # (π − θ) cos θ
        np.subtract(1.0, rho, out=th)
        np.add(1.0, rho, out=rho)
        np.multiply(th, rho, out=th)
        np.sqrt(th, out=th)                       # sin θ
        np.add(tmp, th, out=tmp)
        sq = np.sqrt(q)
        tmp *= sq[:, None]
        tmp *= sq[None, :]
        np.multiply(tmp, w * w / (2 * np.pi), out=S)
        S += b * b
        T += S
    return S, T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--x', required=True)
    ap.add_argument('--w', type=float, required=True)
    ap.add_argument('--b', type=float, required=True)
    ap.add_argument('--depth', type=int, required=True)
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--out-dir')
    a = ap.parse_args()
    x = np.load(a.x).astype(np.float64)
    times = {}
    for name, fn in (('natural', natural), ('optimized', optimized)):
        best = float('inf')
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            S, T = fn(x, a.w, a.b, a.depth)
            best = min(best, time.perf_counter() - t0)
            if name == 'natural' and a.out_dir:
                np.save(f'{a.out_dir}/nngp.npy', S)
                np.save(f'{a.out_dir}/ntk.npy', T)
            del S, T
        times[name] = best
    print(json.dumps({'numpy': np.__version__, 'n': x.shape[0], 'd': x.shape[1], 'seconds': times}))


if __name__ == '__main__':
    main()
