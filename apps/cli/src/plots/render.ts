/**
 * {@link renderPlot}: a vega-lite spec to SVG (vega-lite → vega, rendered headless by
 * `vega.View#toSVG`, no canvas or browser), PNG (that SVG rasterised by the optional native
 * package `@resvg/resvg-js`) or JSON (the spec itself). vega, vega-lite and resvg are loaded
 * here, on first use, so commands that draw nothing never pay for them.
 * @module
 */
import { WideError } from '@wide/core';
import type { PlotSpec } from './spec.js';

/** The formats {@link renderPlot} writes; also the file extension. */
export type PlotFormat = 'svg' | 'png' | 'json';

/** SVG markup of a vega-lite spec, rendered headless. */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  // A copy: vega tags the data rows it ingests, and the caller's spec stays as it was.
  const view = new vega.View(vega.parse(vegaLite.compile(structuredClone(spec)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

type ResvgClass = typeof import('@resvg/resvg-js').Resvg;
let resvg: Promise<ResvgClass> | null = null;

/** Loads the optional `@resvg/resvg-js` once; a {@link WideError} naming the package when it cannot be loaded. */
function loadResvg(): Promise<ResvgClass> {
  resvg ??= import('@resvg/resvg-js').then(
    (mod) => mod.Resvg ?? (mod as unknown as { default: typeof mod }).default.Resvg,
    (e: unknown) => {
      resvg = null;
      const why = String((e as Error)?.message ?? e).split('\n')[0];
      throw new WideError('UNSUPPORTED', `PNG output needs the optional package @resvg/resvg-js (install it, or use --plot-format svg): ${why}`);
    },
  );
  return resvg;
}

/** Checks up front that `format` can be written (PNG needs `@resvg/resvg-js`), before a long computation. */
export async function checkPlotFormat(format: PlotFormat): Promise<void> {
  if (format === 'png') await loadResvg();
}

/** PNG bytes of SVG markup, at `scale` × the SVG's size (default 2). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const Resvg = await loadResvg();
  // vega writes font-family="sans-serif"; resvg needs a named family for it (else it falls back to a serif).
  const sans = process.platform === 'darwin' ? 'Helvetica' : process.platform === 'win32' ? 'Arial' : 'DejaVu Sans';
  const font = { loadSystemFonts: true, defaultFontFamily: sans, sansSerifFamily: sans };
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font }).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Renders a figure: SVG markup, PNG bytes, or the vega-lite spec as JSON text. */
export async function renderPlot(spec: PlotSpec, format: PlotFormat): Promise<string | Uint8Array> {
  if (format === 'json') return JSON.stringify(spec, null, 2) + '\n';
  const svg = await renderSvg(spec);
  return format === 'svg' ? svg : svgToPng(svg);
}
