#!/usr/bin/env python3
"""The NumPy peer of `wide kernel` as a whole process: read x.npy, compute NNGP and NTK of the
depth-L ReLU network dense(w, b) [relu dense(w, b)]*L (NTK parameterisation, conventions §1),
write nngp.npy and ntk.npy. --variant natural (the formulas as written) or optimized
(preallocated buffers, sin θ = √((1−ρ)(1+ρ))); both from tools/bench/fc-kernel/numpy_baseline.py.
"""
import argparse, os, sys
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'fc-kernel'))
from numpy_baseline import natural, optimized  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument('--x', required=True)
p.add_argument('--depth', type=int, default=5)
p.add_argument('--w', type=float, default=2 ** 0.5)
p.add_argument('--b', type=float, default=0.1)
p.add_argument('--variant', choices=['natural', 'optimized'], default='natural')
p.add_argument('--out-dir', required=True)
a = p.parse_args()
x = np.load(a.x)
S, T = (natural if a.variant == 'natural' else optimized)(x, a.w, a.b, a.depth)
np.save(os.path.join(a.out_dir, 'nngp.npy'), S)
np.save(os.path.join(a.out_dir, 'ntk.npy'), T)
