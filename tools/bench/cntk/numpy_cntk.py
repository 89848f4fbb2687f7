#!/usr/bin/env python3
"""NumPy float64 peer of tools/bench/cntk: NNGP and NTK of the Arora et al. (2019) CNNs in Wide's
conventions (conventions §1, ntk parameterisation), vectorised over all n×n sample pairs.

  CNN-V   [conv 3×3 SAME (σ_w², σ_b²) → relu] × L → flatten → dense(1, 0)   same-position covariances
  CNN-GAP [conv 3×3 SAME (σ_w², σ_b²) → relu] × L → globalAvgPool → dense(1, 0)   all position pairs

Rules (Arora et al. 2019 §4 and eq. 34; Cho & Saul 2009 for relu):
  conv     Σ′ₚₚ′ = σ_w²/9 · Σ_δ Σ_{p+δ, p′+δ} + σ_b²,  Θ′ = σ_w²/9 · Σ_δ Θ_{p+δ, p′+δ} + Σ′ (zero padding);
           the 3×3 sum done separably (rows, then columns), as Wide does
  relu     ρ = Σ/√(q1 q2), θ = arccos ρ, Σ′ = √(q1 q2)·√((1−ρ)(1+ρ))/(2π) + (1/2 − θ/(2π))·Σ,
           Θ′ = (1/2 − θ/(2π))·Θ, q the same-position variances of the two samples
  flatten  the mean over positions of Σₚₚ (CNN-V);  globalAvgPool the mean over all (p, p′)
  dense    Σ′ = w²Σ + b², Θ′ = w²Θ + Σ′
The variances (per sample: same-position, or P×P blocks for CNN-GAP) follow the same rules.

Reads x (n, H, W, C) from a .npy, prints one JSON line {"seconds": …} (best of --repeat runs) and
writes nngp.npy and ntk.npy (n×n) to --out-dir.
"""
import argparse, json, time
import numpy as np

TWO_PI = 2 * np.pi


def conv_same(A, w2, b2, axes_pairs):
    """Σ_δ over a 3×3 window on the spatial axes listed in axes_pairs (tied pairs of axes for the
    full layout, single axes for the same-position one), zero padding, then σ_w²/9·(…) + σ_b²."""
    for group in axes_pairs:
        pad = [(0, 0)] * A.ndim
        for ax in group:
            pad[ax] = (1, 1)
        Ap = np.pad(A, pad)
        n = A.shape[group[0]]

        def shifted(d):
            idx = [slice(None)] * A.ndim
            for ax in group:
                idx[ax] = slice(d, d + n)
            return Ap[tuple(idx)]

        A = shifted(0) + shifted(1)
        A += shifted(2)
    A *= w2 / 9
    A += b2
    return A


def relu(S, T, q1, q2):
    """The arc-cosine kernel of order 1 in place on S (and T): q1, q2 broadcast against S."""
    nrm = np.sqrt(q1 * q2)
    rho = S / nrm
    np.clip(rho, -1.0, 1.0, out=rho)
    dot = np.arccos(rho)
    dot *= -1 / TWO_PI
    dot += 0.5
    sin = (1 - rho) * (1 + rho)
    np.maximum(sin, 0, out=sin)
    np.sqrt(sin, out=sin)
    sin *= nrm
    sin *= 1 / TWO_PI
    S *= dot
    S += sin
    if T is not None:
        T *= dot
    return S, T


def cnn_v(x, L, w2, b2):
    n, H, W, C = x.shape
    X = x.reshape(n, H * W, C)
    S = np.einsum('ipc,jpc->ijp', X, X, optimize=True).reshape(n, n, H, W) / C
    var = np.einsum('ipc,ipc->ip', X, X).reshape(n, H, W) / C
    T = np.zeros_like(S)
    for _ in range(L):
        S = conv_same(S, w2, b2, [(2,), (3,)])
        T = conv_same(T, w2, 0.0, [(2,), (3,)])
        T += S
        var = conv_same(var, w2, b2, [(1,), (2,)])
        q1 = var[:, None]
        q2 = var[None, :]
        relu(S, T, q1, q2)
        var, _ = relu(var.copy(), None, var, var)
    # flatten (mean over positions), then dense(1, 0): Σ′ = Σ, Θ′ = Θ + Σ′.
    S = S.mean(axis=(2, 3))
    T = T.mean(axis=(2, 3)) + S
    return S, T


def cnn_gap(x, L, w2, b2):
    n, H, W, C = x.shape
    X = x.reshape(n * H * W, C)
    G = (X @ X.T / C).reshape(n, H, W, n, H, W)
    S = np.ascontiguousarray(G.transpose(0, 3, 1, 2, 4, 5))  # (i, j, h, w, h′, w′)
    var = np.ascontiguousarray(np.stack([S[i, i] for i in range(n)]))  # (i, h, w, h′, w′)
    del G
    T = np.zeros_like(S)
    P = H * W
    for _ in range(L):
        S = conv_same(S, w2, b2, [(2, 4), (3, 5)])
        T = conv_same(T, w2, 0.0, [(2, 4), (3, 5)])
        T += S
        var = conv_same(var, w2, b2, [(1, 3), (2, 4)])
        d = np.einsum('ipp->ip', var.reshape(n, P, P)).reshape(n, H, W).copy()
        q1 = d[:, None, :, :, None, None]
        q2 = d[None, :, None, None, :, :]
        relu(S, T, q1, q2)
        relu(var, None, d[:, :, :, None, None], d[:, None, None, :, :])
    # globalAvgPool (mean over all position pairs), then dense(1, 0).
    S = S.mean(axis=(2, 3, 4, 5))
    T = T.mean(axis=(2, 3, 4, 5)) + S
    return S, T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--x', required=True)
    ap.add_argument('--net', choices=['v', 'gap'], required=True)
    ap.add_argument('--convs', type=int, required=True, help='conv+relu layers (depth − 1 in Arora et al.)')
    ap.add_argument('--w2', type=float, required=True)
    ap.add_argument('--b2', type=float, required=True)
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--out-dir')
    a = ap.parse_args()
    x = np.load(a.x).astype(np.float64)
    fn = cnn_v if a.net == 'v' else cnn_gap
    best = float('inf')
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        S, T = fn(x, a.convs, a.w2, a.b2)
        best = min(best, time.perf_counter() - t0)
    if a.out_dir:
        np.save(f'{a.out_dir}/nngp.npy', S)
        np.save(f'{a.out_dir}/ntk.npy', T)
    print(json.dumps({'numpy': np.__version__, 'n': x.shape[0], 'seconds': best}))


if __name__ == '__main__':
    main()
