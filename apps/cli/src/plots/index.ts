/**
 * Figures of `wide` as vega-lite specs: one pure function per figure (the same spec renders in
 * a browser with vega-embed), and {@link renderPlot} for SVG, PNG or JSON files in Node.
 * @module
 */
export type { PlotSpec, PlotLabels } from './spec.js';
export { spectrumPlot, demoSpectrumPlot, descendingPositive, type SpectrumPlotOptions } from './spectrum.js';
export { densityOverlayPlot, histogramDensity, type DensityOverlayOptions } from './density.js';
export { curvesPlot, scatterLinePlot, seriesRows, type Series, type SeriesPlotOptions } from './curves.js';
export { renderPlot, renderSvg, svgToPng, checkPlotFormat, type PlotFormat } from './render.js';
export { accuracyDepthPlot, type AccuracyDepthPlotOptions, type DepthSeries } from './depth.js';
export { trainingDynamicsPlot, demoDynamicsPlot, dynamicsRows, type DynamicsMetric, type DynamicsSeries, type DynamicsPlotOptions, type DemoDynamicsOptions } from './dynamics.js';
