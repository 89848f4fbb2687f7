#!/usr/bin/env python3
"""NumPy peer of tools/bench/rmt/bench.ts: the finite-width simulation of a random network
X_l = sigma(W_l X_{l-1})/sqrt(d_l) with N(0, 1) weights (Fan & Wang 2020, eq. 1), samples as rows,
float64, OpenBLAS matrix products; the same sizes and activation as the Wide run.

  time --n N --d0 D0 --widths W1,W2,... --act arctan|relu [--grams] [--seed S]
       prints one JSON line: seconds for the forward pass with the Grams (X_l^T X_l for every l
       when --grams, else only the last) and for eigvalsh of the CK (and of the Lemma 3.5
       stand-in when --grams), plus the mean CK eigenvalue.
"""
import argparse, json, time
import numpy as np

C = 0.6705974324696614  # sqrt(E[arctan(xi)^2]): arctan/C is normalised (Fan & Wang, Figure 1)
ACTS = {
    'arctan': lambda x: np.arctan(x, out=x) / C,
    'relu': lambda x: np.maximum(x, 0, out=x),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cmd')
    ap.add_argument('--n', type=int, required=True)
    ap.add_argument('--d0', type=int, required=True)
    ap.add_argument('--widths', required=True)
    ap.add_argument('--act', default='arctan')
    ap.add_argument('--grams', action='store_true')
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    widths = [int(w) for w in a.widths.split(',')]
    rng = np.random.default_rng(a.seed)
    x = rng.standard_normal((a.n, a.d0)) / np.sqrt(a.d0)
    sigma = ACTS[a.act]
    t0 = time.perf_counter()
    grams = [x @ x.T] if a.grams else []
    h = x
    for l, d in enumerate(widths):
        w = rng.standard_normal((d, h.shape[1]))
        h = sigma(h @ w.T) / np.sqrt(d)
        if a.grams or l == len(widths) - 1:
            grams.append(h @ h.T)
    t1 = time.perf_counter()
    ck = grams[-1]
    e = np.linalg.eigvalsh(ck)
    t2 = time.perf_counter()
    out = {'forward': t1 - t0, 'eig_ck': t2 - t1, 'mean_ck': float(e.mean())}
    if a.grams:
        b = 0.9777543287096648 if a.act == 'arctan' else None
        if b is not None:
            L = len(widths)
            q = [(b * b) ** (L - l) for l in range(L)]
            aa = 1.1118500801907507
            rplus = sum(aa ** (L - l) - q[l] for l in range(L))
            k = ck + sum(q[l] * grams[l] for l in range(L)) + rplus * np.eye(a.n)
            t3 = time.perf_counter()
            np.linalg.eigvalsh(k)
            out['eig_ntk'] = time.perf_counter() - t3
    print(json.dumps(out))


if __name__ == '__main__':
    main()
