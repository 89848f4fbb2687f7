/**
 * Eigenvalue spectra: eigenvalues λ₁ ≥ λ₂ ≥ … against their rank, log–log (the decay of a
 * kernel's spectrum governs what kernel regression learns first).
 * @module
 */
import { type PlotLabels, type PlotSpec, axis, frame, seriesColor } from './spec.js';

/** Eigenvalues (any order) sorted descending, positive ones only. */
export function descendingPositive(values: ArrayLike<number>): number[] {
  return Array.from(values)
    .filter((v) => v > 0 && Number.isFinite(v))
    .sort((a, b) => b - a);
}

/** Options of {@link spectrumPlot}. */
export interface SpectrumPlotOptions extends PlotLabels {
  /** Series of eigenvalues (any order; non-positive ones are dropped), plotted against rank 1, 2, …. */
  series: { name: string; values: ArrayLike<number>; color?: string }[];
}

/** Eigenvalues against rank, log–log, one line per series. Axis titles default to rank and eigenvalue. */
export function spectrumPlot(options: SpectrumPlotOptions): PlotSpec {
  const values = options.series.flatMap((s) => descendingPositive(s.values).map((eigenvalue, i) => ({ series: s.name, rank: i + 1, eigenvalue })));
  return {
    ...frame(options),
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: axis('rank', options.xTitle ?? 'rank', true, values.length === 0),
      y: axis('eigenvalue', options.yTitle ?? 'eigenvalue', true, values.length === 0),
      color: seriesColor(options.series, values.length === 0),
    },
  };
}

/** The figure of `wide demo`: eigenvalues of the n×n training NTK Θ (and optionally of the NNGP Σ) on MNIST. */
export function demoSpectrumPlot(options: { n: number; ntk: ArrayLike<number>; nngp?: ArrayLike<number> }): PlotSpec {
  const series = [{ name: 'NTK Θ', values: options.ntk, color: '#c0392b' }];
  if (options.nngp) series.push({ name: 'NNGP Σ', values: options.nngp, color: '#2471a3' });
  return spectrumPlot({
    title: `Eigenvalues of the training ${options.nngp ? 'kernels' : 'NTK'} (MNIST, n = ${options.n}, 3-hidden-layer ReLU)`,
    xTitle: 'rank',
    yTitle: 'eigenvalue',
    series,
  });
}
