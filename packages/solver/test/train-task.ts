/**
 * The small regression task the finite-network tests share: n = 12 points in d = 6 and m = 6 test
 * points (seeded normals), y = sin(u·x/√d), and the one-hidden-layer ReLU network of a given width.
 */
import { Rng, type Tensor, serial } from '@wide/core';
import { dense, relu } from '@wide/layers';

export function smoothRegressionTask() {
  const d = 6;
  const n = 12;
  const m = 6;
  const rng = new Rng(123);
  const points = (rows: number): Tensor => ({ data: rng.normals(rows * d), shape: [rows, d] });
  const xTrain = points(n);
  const xTest = points(m);
  const u = rng.normals(d);
  const yTrain = Float64Array.from({ length: n }, (_, i) => Math.sin(u.reduce((s, v, j) => s + v * xTrain.data[i * d + j]!, 0) / Math.sqrt(d)));
  const build = (width: number) => serial(dense({ width, wStd: 1.5, bStd: 0.05 }), relu(), dense({ width: 1, wStd: 1.5, bStd: 0.05 }));
  return { d, n, m, xTrain, xTest, yTrain, build };
}
