/**
 * A dependency-free SVG line plot with logarithmic axes (for eigenvalue spectra).
 * @module
 */

/** Options of {@link spectrumSvg}. */
export interface SpectrumPlot {
  /** Title at the top. */
  title: string;
  /** One or more series of positive values, plotted against their rank 1, 2, …. */
  series: { name: string; values: ArrayLike<number>; color: string }[];
  /** Axis labels. */
  xLabel?: string;
  yLabel?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Eigenvalues (any order) sorted descending, positive ones only. */
export function descendingPositive(values: ArrayLike<number>): number[] {
  return Array.from(values).filter((v) => v > 0).sort((a, b) => b - a);
}

/** Renders a log–log plot of value against rank. */
export function spectrumSvg(plot: SpectrumPlot): string {
  const W = 720;
  const H = 480;
  const m = { l: 80, r: 20, t: 50, b: 60 };
  const all = plot.series.flatMap((s) => descendingPositive(s.values));
  const nMax = Math.max(2, ...plot.series.map((s) => descendingPositive(s.values).length));
  // With no positive value at all, draw empty axes over [1, 10] rather than NaN coordinates.
  const yMin = all.length ? Math.floor(Math.log10(Math.min(...all))) : 0;
  const yMax = all.length ? Math.ceil(Math.log10(Math.max(...all))) : 1;
  const xMax = Math.log10(nMax);
  const px = (rank: number) => m.l + (Math.log10(rank) / xMax) * (W - m.l - m.r);
  const py = (v: number) => H - m.b - ((Math.log10(v) - yMin) / Math.max(1, yMax - yMin)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="28" text-anchor="middle" font-size="16">${esc(plot.title)}</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const y = py(10 ** e);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.l - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">1e${e}</text>`);
  }
  for (let e = 0; 10 ** e <= nMax; e++) {
    const x = px(10 ** e);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="#ddd"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${H - m.b + 18}" text-anchor="middle">${10 ** e}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`);
  plot.series.forEach((s, k) => {
    const v = descendingPositive(s.values);
    const pts = v.map((val, i) => `${px(i + 1).toFixed(1)},${py(val).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts}"/>`);
    parts.push(`<line x1="${W - m.r - 150}" x2="${W - m.r - 125}" y1="${m.t + 18 + 18 * k}" y2="${m.t + 18 + 18 * k}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${W - m.r - 118}" y="${m.t + 22 + 18 * k}">${esc(s.name)}</text>`);
  });
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 18}" text-anchor="middle">${esc(plot.xLabel ?? 'rank')}</text>`);
  parts.push(`<text transform="translate(20 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(plot.yLabel ?? 'eigenvalue')}</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
