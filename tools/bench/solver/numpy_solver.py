#!/usr/bin/env python3
"""NumPy/SciPy peer of tools/bench/solver/bench.ts: MSE gradient-flow predictions of the infinitely
wide network at many times through one eigendecomposition (neural-tangents' gradient_descent_mse,
the same formulas as @wide/solver's gradientDescentMse).

  gen  --n N --m M --k K --dir D [--seed S]   writes ntk_N.npy (n×n), ntk_tt_N.npy (m×n), y_N.npy (n×k):
                                              the NTK of a one-hidden-layer ReLU network (arc-cosine
                                              kernel, NTK parameterisation, σ_w = 1.5, σ_b = 0.05) on
                                              Gaussian inputs of dimension 64, and Gaussian labels.
  time --n N --dir D --lr ETA --times T1,T2,…  times scipy.linalg.eigh of the train NTK, then the
                                              predictions at every t in two orders: (a) neural-tangents'
                                              (B = Θ_td·V once, two products per t) and (b) @wide/solver's
                                              (all t side by side, one product with V, one with Θ_td);
                                              writes pred_N.npy (times, m, k) and prints one JSON line.

Formulas (rate r = η/(n·k), Θ = V·diag(λ)·Vᵀ, λ clipped at 0, f₀ = 0):
  r̂ = Vᵀ·(−Y);   e = exp(−λ·r·t), g = (1 − e)/λ  (g = 1/λ at t = ∞)
  f_train(t) = Y + V·(e ⊙ r̂),  f_test(t) = −Θ_td·V·(g ⊙ r̂).
"""
import argparse, json, os, time
import numpy as np
import scipy
import scipy.linalg


def relu_ntk(x1, x2, w=1.5, b=0.05):
    d = x1.shape[1]
    s12 = w * w * (x1 @ x2.T) / d + b * b
    q1 = w * w * (x1 * x1).sum(1) / d + b * b
    q2 = w * w * (x2 * x2).sum(1) / d + b * b
    norms = np.sqrt(np.outer(q1, q2))
    rho = np.clip(s12 / norms, -1.0, 1.0)
    th = np.arccos(rho)
    s_relu = norms * (np.sin(th) + (np.pi - th) * np.cos(th)) / (2 * np.pi)
    s_dot = (np.pi - th) / (2 * np.pi)
    return w * w * s_dot * s12 + w * w * s_relu + b * b  # Θ = σ_w²·Σ̇·Θ⁰ + Σ¹ with Θ⁰ = Σ⁰


def gen(n, m, k, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 64))
    xt = rng.standard_normal((m, 64))
    np.save(os.path.join(d, f'ntk_{n}.npy'), relu_ntk(x, x))
    np.save(os.path.join(d, f'ntk_tt_{n}.npy'), relu_ntk(xt, x))
    np.save(os.path.join(d, f'y_{n}.npy'), rng.standard_normal((n, k)))


def run(n, d, lr, times):
    theta = np.load(os.path.join(d, f'ntk_{n}.npy'))
    ttd = np.load(os.path.join(d, f'ntk_tt_{n}.npy'))
    y = np.load(os.path.join(d, f'y_{n}.npy'))
    k = y.shape[1]
    rate = lr / (n * k)
    w = theta[:200, :200].copy()
    scipy.linalg.eigh(w)  # warm up BLAS threads and LAPACK
    t0 = time.perf_counter()
    lam, V = scipy.linalg.eigh(theta)
    t_eigh = time.perf_counter() - t0
    lam = np.maximum(lam, 0.0)

    def factors(t):
        if np.isinf(t):
            return np.zeros_like(lam), 1.0 / lam
        x = lam * rate * t
        with np.errstate(divide='ignore', invalid='ignore'):
            return np.exp(-x), np.where(lam > 0, -np.expm1(-x) / lam, rate * t)

    # (a) neural-tangents' order: B = Θ_td·V once, then two products per time.
    t0 = time.perf_counter()
    r_hat = V.T @ (-y)
    B = ttd @ V
    t_prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = np.empty((len(times), ttd.shape[0], k))
    for q, t in enumerate(times):
        e, g = factors(t)
        train = y + V @ (e[:, None] * r_hat)
        preds[q] = -(B @ (g[:, None] * r_hat))
    t_times = time.perf_counter() - t0
    del B
    # (b) Wide's order: all times side by side, V·[e ⊙ r̂ | g ⊙ r̂], then Θ_td·(V·[g ⊙ r̂]).
    t0 = time.perf_counter()
    r_hat = V.T @ (-y)
    fs = [factors(t) for t in times]
    S = np.concatenate([e[:, None] * r_hat for e, _ in fs] + [g[:, None] * r_hat for _, g in fs], axis=1)
    P = V @ S
    T = len(times)
    train_b = y[:, None, :] + P[:, :T * k].reshape(n, T, k)
    test_b = -(ttd @ P[:, T * k:]).reshape(-1, T, k).transpose(1, 0, 2)
    t_batched = time.perf_counter() - t0
    assert np.allclose(test_b, preds, rtol=1e-9, atol=1e-9 * np.abs(preds).max())
    np.save(os.path.join(d, f'pred_{n}.npy'), preds)
    print(json.dumps({'numpy': np.__version__, 'scipy': scipy.__version__, 'n': n,
                      'seconds': {'eigh': t_eigh, 'prepare': t_prep, 'times': t_times, 'batched': t_batched}}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['gen', 'time'])
    ap.add_argument('--n', type=int, required=True)
    ap.add_argument('--m', type=int, default=500)
    ap.add_argument('--k', type=int, default=10)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--lr', type=float, default=1.0)
    ap.add_argument('--times', default='')
    a = ap.parse_args()
    if a.mode == 'gen':
        gen(a.n, a.m, a.k, a.dir, a.seed)
    else:
        run(a.n, a.dir, a.lr, [float(t) for t in a.times.split(',')])


if __name__ == '__main__':
    main()
