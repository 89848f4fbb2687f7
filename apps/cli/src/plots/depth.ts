/**
 * Test accuracy against depth, one line with points per kernel (the figure of the Arora et al.
 * Table 1 and Table 2 analogues of `wide reproduce arora`).
 * @module
 */
import { type PlotLabels, type PlotSpec, axis, frame, seriesColor } from './spec.js';

/** One kernel's test accuracy (a fraction in [0, 1]) at each depth. */
export interface DepthSeries {
  name: string;
  depths: ArrayLike<number>;
  accuracy: ArrayLike<number>;
  /** CSS colour; when every series gives one they are used as given. */
  color?: string;
  /** Drawn dashed (e.g. Monte-Carlo kernels next to the exact ones). */
  dashed?: boolean;
}

/** Options of {@link accuracyDepthPlot}. */
export interface AccuracyDepthPlotOptions extends PlotLabels {
  series: DepthSeries[];
}

/**
 * Test accuracy (in %) against depth, points joined by lines, one series per kernel in the
 * order given; non-finite points are dropped. Axis titles default to the paper's "depth" and
 * "test accuracy (%)".
 */
export function accuracyDepthPlot(options: AccuracyDepthPlotOptions): PlotSpec {
  const values = options.series.flatMap((s) =>
    Array.from(s.depths, (depth, i) => ({ series: s.name, depth, accuracy: 100 * s.accuracy[i]!, dashed: s.dashed ? 'dashed' : 'solid' })).filter(
      (p) => Number.isFinite(p.depth) && Number.isFinite(p.accuracy),
    ),
  );
  const empty = values.length === 0;
  const dashes = options.series.some((s) => s.dashed);
  return {
    ...frame(options),
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, point: true },
    encoding: {
      x: { ...axis('depth', options.xTitle ?? 'depth', false, empty), axis: { tickMinStep: 1, format: 'd' } },
      y: axis('accuracy', options.yTitle ?? 'test accuracy (%)', false, empty),
      color: { ...seriesColor(options.series, empty), ...(empty ? {} : { legend: { labelLimit: 400 } }) },
      ...(dashes ? { strokeDash: { field: 'dashed', type: 'nominal', legend: null, scale: { domain: ['solid', 'dashed'], range: [[1, 0], [5, 3]] } } } : {}),
      order: { field: 'depth', type: 'quantitative' },
    },
  } as PlotSpec;
}
