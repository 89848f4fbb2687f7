/**
 * Empirical eigenvalues against a predicted density: a histogram normalised to unit area (so
 * that it estimates the density) under the predicted curve, e.g. a Marchenko–Pastur law.
 * @module
 */
import { type PlotLabels, type PlotSpec, axis, frame } from './spec.js';

/** Options of {@link densityOverlayPlot}. */
export interface DensityOverlayOptions extends PlotLabels {
  /** Empirical values (e.g. eigenvalues); non-finite ones are dropped. */
  values: ArrayLike<number>;
  /** The predicted density ρ(x) at the points `x`. */
  density: { x: ArrayLike<number>; y: ArrayLike<number> };
  /** Number of histogram bins over [min, max] of the values (default 50). */
  bins?: number;
  /** Legend names of the two layers (default "empirical" and "predicted"). */
  names?: [empirical: string, predicted: string];
}

/** Histogram bins {x0, x1, density} over [min, max], with density = count / (N·width). */
export function histogramDensity(values: ArrayLike<number>, bins = 50): { x0: number; x1: number; density: number }[] {
  const v = Array.from(values).filter(Number.isFinite);
  if (v.length === 0) return [];
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(hi > lo ? bins : 1).fill(0);
  for (const x of v) counts[Math.min(counts.length - 1, Math.floor((x - lo) / width))]!++;
  return counts.map((c, i) => ({ x0: lo + i * width, x1: lo + (i + 1) * width, density: c / (v.length * width) }));
}

/** A density histogram of `values` with the predicted density drawn over it as a line. */
export function densityOverlayPlot(options: DensityOverlayOptions): PlotSpec {
  const [empirical, predicted] = options.names ?? ['empirical', 'predicted'];
  const xs = Array.from(options.density.x);
  const ys = Array.from(options.density.y);
  const curve = xs.map((x, i) => ({ x, density: ys[i]! })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.density));
  const bars = histogramDensity(options.values, options.bins);
  const empty = bars.length === 0 && curve.length === 0;
  const xTitle = options.xTitle ?? 'eigenvalue';
  const yTitle = options.yTitle ?? 'density';
  return {
    ...frame(options),
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', opacity: 0.6 },
        encoding: { x: axis('x0', xTitle, false, empty), x2: { field: 'x1' }, y: axis('density', yTitle, false, empty), color: { datum: empirical } },
      },
      {
        data: { values: curve },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x: axis('x', xTitle, false, empty), y: axis('density', yTitle, false, empty), color: { datum: predicted } },
      },
    ],
    encoding: { color: { type: 'nominal', title: null, scale: { range: ['#95a5a6', '#c0392b'] } } },
  } as PlotSpec;
}
