import { describe, expect, it } from 'vitest';
import { descendingPositive, spectrumSvg } from '../src/index.js';

function polylines(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => (m[1] ? m[1].split(' ').map((p) => p.split(',').map(Number) as [number, number]) : []));
}

describe('spectrumSvg', () => {
  it('plots the positive values against rank, descending, inside the frame', () => {
    const svg = spectrumSvg({ title: 'a < b', series: [{ name: 'NTK', values: [1e-3, 10, -1, 0.5, 0], color: 'red' }, { name: 'NNGP', values: [2, 1], color: 'blue' }] });
    const [ntk, nngp] = polylines(svg);
    expect(ntk).toHaveLength(3);
    expect(nngp).toHaveLength(2);
    for (const [x, y] of [...ntk!, ...nngp!]) {
      expect(x).toBeGreaterThanOrEqual(80);
      expect(x).toBeLessThanOrEqual(700);
      expect(y).toBeGreaterThanOrEqual(50);
      expect(y).toBeLessThanOrEqual(420);
    }
    // Descending values go down the plot (SVG y grows downwards); rank grows to the right.
    expect(ntk![1]![1]).toBeGreaterThan(ntk![0]![1]);
    expect(ntk![2]![0]).toBeGreaterThan(ntk![1]![0]);
    expect(svg).toContain('a &lt; b');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws empty axes when nothing is positive', () => {
    const svg = spectrumSvg({ title: 't', series: [{ name: 's', values: [0, -1], color: 'red' }] });
    expect(polylines(svg)).toEqual([[]]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('descendingPositive drops non-positive values and sorts', () => {
    expect(descendingPositive([3, -1, 0, 5, 1])).toEqual([5, 3, 1]);
  });
});
