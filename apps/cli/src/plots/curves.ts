/**
 * Curves against a common x, e.g. training loss or test accuracy against time t for several
 * widths, the infinite-width prediction as one more series.
 * @module
 */
import { type PlotLabels, type PlotSpec, axis, frame, plottable, seriesColor } from './spec.js';

/** One named series of points (x[i], y[i]). */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; when every series gives one they are used as given. */
  color?: string;
}

/** Options of {@link curvesPlot} and {@link scatterLinePlot}. */
export interface SeriesPlotOptions extends PlotLabels {
  series: Series[];
  /** Logarithmic x (points with x ≤ 0 are dropped). */
  logX?: boolean;
  /** Logarithmic y (points with y ≤ 0 are dropped). */
  logY?: boolean;
}

/** The rows {series, x, y} of the plottable points of every series. */
export function seriesRows(options: SeriesPlotOptions): { series: string; x: number; y: number }[] {
  return options.series.flatMap((s) =>
    Array.from(s.x, (x, i) => ({ series: s.name, x, y: s.y[i]! })).filter((p) => plottable(p.x, p.y, options.logX, options.logY)),
  );
}

function lines(options: SeriesPlotOptions, point: boolean): PlotSpec {
  const values = seriesRows(options);
  const empty = values.length === 0;
  return {
    ...frame(options),
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, point },
    encoding: {
      x: axis('x', options.xTitle ?? 'x', options.logX, empty),
      y: axis('y', options.yTitle ?? 'y', options.logY, empty),
      color: seriesColor(options.series, empty),
      order: { field: 'x', type: 'quantitative' },
    },
  };
}

/** Several lines y(x), one per series (in the order given), optional log axes. */
export function curvesPlot(options: SeriesPlotOptions): PlotSpec {
  return lines(options, false);
}

/** Points joined by lines, one series each, e.g. accuracy against memory or against depth. */
export function scatterLinePlot(options: SeriesPlotOptions): PlotSpec {
  return lines(options, true);
}
