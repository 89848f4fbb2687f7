import { describe, expect, it, vi } from 'vitest';
import { WideError } from '@wide/core';
import { curvesPlot, demoSpectrumPlot, densityOverlayPlot, descendingPositive, histogramDensity, renderPlot, scatterLinePlot, spectrumPlot } from '../src/index.js';

type Rows = { values: Record<string, unknown>[] };
const rowsOf = (spec: object) => ((spec as { data: Rows }).data.values);

/** Checks that `xml` is well-formed (every tag closed in order, quoted attributes, no stray < or &); returns the element names. */
function wellFormed(xml: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = token.exec(xml))) {
    end = token.lastIndex;
    if (m[5] !== undefined) {
      expect(m[5]).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name!);
    if (!close) names.push(name!);
  }
  expect(end).toBe(xml.length); // nothing left that is not a tag or text
  expect(stack).toEqual([]);
  return names;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]!));

describe('plot specs (pure vega-lite JSON)', () => {
  it('spectrumPlot: positive eigenvalues against rank 1, 2, … descending, log–log', () => {
    const spec = spectrumPlot({ title: 't', series: [{ name: 'NTK', values: [1e-3, 10, -1, 0.5, 0, NaN] }, { name: 'NNGP', values: [2, 1] }] });
    expect(rowsOf(spec)).toEqual([
      { series: 'NTK', rank: 1, eigenvalue: 10 },
      { series: 'NTK', rank: 2, eigenvalue: 0.5 },
      { series: 'NTK', rank: 3, eigenvalue: 1e-3 },
      { series: 'NNGP', rank: 1, eigenvalue: 2 },
      { series: 'NNGP', rank: 2, eigenvalue: 1 },
    ]);
    const enc = (spec as { encoding: Record<string, { title?: string; scale?: { type?: string } }> }).encoding;
    expect(enc['x']).toMatchObject({ title: 'rank', scale: { type: 'log' } });
    expect(enc['y']).toMatchObject({ title: 'eigenvalue', scale: { type: 'log' } });
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // plain JSON
    expect(descendingPositive([3, -1, 0, 5, 1])).toEqual([5, 3, 1]);
  });

  it('demoSpectrumPlot: NTK Θ, optionally NNGP Σ, with the title of the demo', () => {
    const ntkOnly = demoSpectrumPlot({ n: 400, ntk: [3, 2, 1] });
    expect(ntkOnly).toMatchObject({ title: 'Eigenvalues of the training NTK (MNIST, n = 400, 3-hidden-layer ReLU)' });
    expect(new Set(rowsOf(ntkOnly).map((r) => r['series']))).toEqual(new Set(['NTK Θ']));
    const both = demoSpectrumPlot({ n: 400, ntk: [3, 2, 1], nngp: [2, 1] });
    expect(new Set(rowsOf(both).map((r) => r['series']))).toEqual(new Set(['NTK Θ', 'NNGP Σ']));
  });

  it('densityOverlayPlot: a histogram of unit area under the predicted density', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sqrt((i + 0.5) / 1000)); // density 2x on [0, 1]
    const bins = histogramDensity(values, 10);
    expect(bins).toHaveLength(10);
    expect(bins.reduce((s, b) => s + b.density * (b.x1 - b.x0), 0)).toBeCloseTo(1, 12);
    expect(bins[9]!.density).toBeGreaterThan(bins[0]!.density);
    expect(histogramDensity([2, 2, 2])).toEqual([{ x0: 2, x1: 3, density: 1 }]);
    expect(histogramDensity([])).toEqual([]);
    const spec = densityOverlayPlot({ title: 'MP', values, density: { x: [0, 0.5, 1], y: [0, 1, 2] }, bins: 10 }) as unknown as { layer: { data: Rows; mark: { type: string } }[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rect', 'line']);
    expect(spec.layer[0]!.data.values).toEqual(bins);
    expect(spec.layer[1]!.data.values).toEqual([{ x: 0, density: 0 }, { x: 0.5, density: 1 }, { x: 1, density: 2 }]);
  });

  it('curvesPlot and scatterLinePlot: one series per name, log axes drop non-positive points', () => {
    const series = [{ name: 'width 64', x: [0, 1, 10], y: [1, 0.5, 0.1] }, { name: '∞', x: [1, 10], y: [0.4, NaN] }];
    const curves = curvesPlot({ title: 'loss', xTitle: 't', yTitle: 'loss', series, logX: true });
    expect(rowsOf(curves)).toEqual([
      { series: 'width 64', x: 1, y: 0.5 },
      { series: 'width 64', x: 10, y: 0.1 },
      { series: '∞', x: 1, y: 0.4 },
    ]);
    expect(curves).toMatchObject({ mark: { type: 'line', point: false }, encoding: { x: { title: 't', scale: { type: 'log' } }, y: { title: 'loss' } } });
    const scatter = scatterLinePlot({ title: 'accuracy vs depth', series });
    expect(rowsOf(scatter)).toHaveLength(4);
    expect(scatter).toMatchObject({ mark: { type: 'line', point: true } });
  });
});

describe('renderPlot', () => {
  const spec = demoSpectrumPlot({ n: 200, ntk: Float64Array.from({ length: 200 }, (_, i) => 100 / (i + 1) ** 1.5) });

  it('renders the demo spectrum as well-formed SVG with axes, axis titles, ticks, legend and title', async () => {
    const svg = (await renderPlot(spec, 'svg')) as string;
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const elements = wellFormed(svg);
    expect(elements).toContain('path');
    expect(svg.match(/class="mark-group role-axis"/g)?.length).toBeGreaterThanOrEqual(2);
    const t = texts(svg);
    expect(t).toContain('Eigenvalues of the training NTK (MNIST, n = 200, 3-hidden-layer ReLU)');
    expect(t).toContain('rank');
    expect(t).toContain('eigenvalue');
    expect(t).toContain('NTK Θ');
    expect(t).toEqual(expect.arrayContaining(['1', '10', '100'])); // tick labels of the log axes
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('escapes text, renders every figure kind, and gives the spec itself as JSON', async () => {
    for (const s of [
      spectrumPlot({ title: 'a < b & c', series: [{ name: 's', values: [0, -1] }] }), // nothing positive: empty axes
      densityOverlayPlot({ title: 'd', values: [1, 2, 2, 3], density: { x: [1, 2, 3], y: [0.2, 0.6, 0.2] } }),
      curvesPlot({ title: 'c', series: [{ name: 'a', x: [1, 2], y: [3, 4] }] }),
      scatterLinePlot({ title: 's', series: [{ name: 'a', x: [1, 2], y: [3, 4] }] }),
      curvesPlot({ title: 'nothing to draw', series: [{ name: 'a', x: [0], y: [1] }], logX: true }),
      densityOverlayPlot({ title: 'nothing to draw', values: [], density: { x: [], y: [] } }),
    ]) {
      const svg = (await renderPlot(s, 'svg')) as string;
      wellFormed(svg);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
    expect(texts((await renderPlot(spectrumPlot({ title: 'a < b & c', series: [] }), 'svg')) as string)).toContain('a < b & c');
    expect(JSON.parse((await renderPlot(spec, 'json')) as string)).toEqual(spec);
  });

  it('renders PNG when @resvg/resvg-js loads', async () => {
    let png: string | Uint8Array;
    try {
      png = await renderPlot(spec, 'png');
    } catch (e) {
      expect((e as Error).message).toMatch(/@resvg\/resvg-js/); // the optional package is absent here
      return;
    }
    expect(png).toBeInstanceOf(Uint8Array);
    expect(Array.from((png as Uint8Array).subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('names the package to install when @resvg/resvg-js cannot be loaded', async () => {
    vi.resetModules();
    vi.doMock('@resvg/resvg-js', () => {
      throw new Error('Cannot find native binding');
    });
    try {
      const { renderPlot: render, checkPlotFormat } = await import('../src/plots/render.js');
      await expect(render(spec, 'png')).rejects.toMatchObject({ name: 'WideError', code: 'UNSUPPORTED' }); // a fresh @wide/core after resetModules
      await expect(checkPlotFormat('png')).rejects.toThrow(/^PNG output needs the optional package @resvg\/resvg-js .*--plot-format svg/);
      await expect(checkPlotFormat('svg')).resolves.toBeUndefined();
    } finally {
      vi.doUnmock('@resvg/resvg-js');
      vi.resetModules();
    }
  });
});
