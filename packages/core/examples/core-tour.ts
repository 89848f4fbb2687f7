// @wide/core without any layer package: the input kernel, a combinator, Gauss–Hermite
// quadrature, the seeded RNG and the CPU backend.
import { computeKernel, cpuBackend, fanInSum, fanOut, gaussianExpectation2D, gaussianExpectationSplit, identity, parallel, Rng, serial, tensor, toRows } from '@wide/core';

// The seeded RNG gives the same numbers on every run and machine.
const x = tensor(new Rng(42).normals(3 * 5), [3, 5]);

// Σ⁰ = x·x′/d; a sum of two identity branches doubles it (Θ stays 0: nothing is trainable).
const k = computeKernel(serial(fanOut(2), parallel(identity(), identity()), fanInSum()), x);
console.log('2·Σ⁰ =', toRows(k).map((r) => r.map((v) => v.toFixed(4))));

// E[relu(u)relu(v)] for (u, v) ~ N(0, [[1, 0.5], [0.5, 1]]): 2-D Gauss–Hermite against the
// integration split at the kink, and the arc-cosine closed form (Cho & Saul 2009).
const relu = (t: number) => Math.max(t, 0);
const gh = gaussianExpectation2D(relu, relu, 1, 1, 0.5, 80);
const split = gaussianExpectationSplit(relu, relu, 1, 1, 0.5, { kinksF: [0], kinksG: [0] });
const theta = Math.acos(0.5);
const exact = (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)) / (2 * Math.PI);
console.log(`Gauss–Hermite ${gh.toFixed(10)}, split ${split.toFixed(12)}, closed form ${exact.toFixed(12)}`);

// Float64 linear algebra of the CPU backend.
const ev = cpuBackend.eigvalsh(k.nngp, 3);
console.log('eigenvalues of 2·Σ⁰:', Array.from(ev, (v) => v.toFixed(4)));
