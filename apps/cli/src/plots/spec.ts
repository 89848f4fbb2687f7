/**
 * What every `wide` figure shares: the vega-lite spec type, the frame (size, white background,
 * schema) and the data clean-up for log axes. Pure: no Node imports, so a browser renders the
 * same specs with vega-embed.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';

/** A vega-lite specification (a plain JSON object). */
export type PlotSpec = TopLevelSpec;

/** Title and axis titles of a figure. */
export interface PlotLabels {
  /** Title at the top. */
  title: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title. */
  yTitle?: string;
  /** Plot area in pixels (default 600 × 400). */
  width?: number;
  height?: number;
}

/** The frame of every figure: schema, title, size, white background. */
export function frame(labels: PlotLabels) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: labels.title,
    width: labels.width ?? 600,
    height: labels.height ?? 400,
    background: 'white',
  } as const;
}

/**
 * A quantitative axis, logarithmic when `log` (then values must be > 0). With no data at all
 * (`empty`) it gets a fixed domain, so that an empty figure still renders as empty axes.
 */
export function axis(field: string, title: string | undefined, log = false, empty = false) {
  const domain = empty ? { domain: log ? [1, 10] : [0, 1] } : {};
  return { field, type: 'quantitative', title: title ?? field, scale: log ? ({ type: 'log', ...domain } as const) : { zero: false, ...domain } } as const;
}

/** Points (x, y) with finite coordinates, and positive ones on log axes. */
export function plottable(x: number, y: number, logX = false, logY = false): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
}

/** A colour encoding over named series, with fixed colours when every series gives one (no legend when `empty`). */
export function seriesColor(series: readonly { name: string; color?: string }[], empty = false) {
  const colored = series.length > 0 && series.every((s) => s.color);
  return {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: series.map((s) => s.name),
    ...(empty ? { legend: null } : {}),
    ...(colored ? { scale: { domain: series.map((s) => s.name), range: series.map((s) => s.color!) } } : {}),
  } as const;
}
