/**
 * The Table 1 and Table 2 analogues as Markdown tables (printed by `wide reproduce arora`,
 * pasted into the README), with the sizes and wall times under them.
 * @module
 */
import type { Table1Result } from './table1.js';
import type { Table2Result } from './table2.js';

const datasetNames = { 'fashion-mnist': 'Fashion-MNIST', mnist: 'MNIST' } as const;

/** An accuracy in [0, 1] as `81.50 %`. */
export const percent = (v: number): string => `${(100 * v).toFixed(2)} %`;

/** Seconds as `12.3 s`, `4.5 min` or `1.2 h`. */
export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

/** A Markdown table: header, right-aligned columns, rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((s, c) => s.padStart(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`, ...rows.map(line)];
}

/** The Table 1 analogue: test accuracy per depth and kernel, sizes, jitters and wall times. */
export function formatTable1(r: Table1Result): string {
  const head = ['depth', ...r.runs.map((run) => `${run.kernel} ${run.train}/${run.test}`)];
  const rows = r.depths.map((d, t) => [String(d), ...r.runs.map((run) => percent(run.accuracy[t]!) + (run.jitter[t]! > 0 ? ` (jitter ${run.jitter[t]!.toExponential(0)})` : ''))]);
  const lines = [
    `Table 1 analogue (Arora et al. 2019): ${datasetNames[r.dataset]} 28×28, ridge-less kernel regression, targets one-hot − 0.1, test accuracy`,
    '',
    ...markdownTable(head, rows),
    '',
    ...r.runs.map(
      (run) =>
        `${run.kernel} ${run.train}/${run.test}: ${run.train} train / ${run.test} test images; kernels of all depths ${duration(run.seconds.kernels)} (one pass; depth ${r.depths.at(-1)} alone ≈ ${duration(run.depthSeconds.at(-1)!)}), solves ${duration(run.seconds.solve)}`,
    ),
    `total ${duration(r.seconds)} (float64, CPU)`,
  ];
  return lines.join('\n');
}

/** The Table 2 analogue: exact CNTK against the median Monte-Carlo (finite-CNN) kernel at each channel count. */
export function formatTable2(r: Table2Result): string {
  const variants = [...new Set(r.rows.map((row) => row.variant))];
  const channels = r.rows[0]?.monteCarlo.map((m) => m.channels) ?? [];
  const name = (v: string) => (v === 'gap' ? 'CNTK-GAP' : 'CNTK-V');
  const head = ['depth', ...variants.flatMap((v) => [name(v), ...channels.map((c) => `MC ${c} ch`)])];
  const depths = [...new Set(r.rows.map((row) => row.depth))];
  const rows = depths.map((d) => [
    String(d),
    ...variants.flatMap((v) => {
      const row = r.rows.find((x) => x.variant === v && x.depth === d)!;
      return [percent(row.exact), ...row.monteCarlo.map((m) => `${percent(m.median)} (${m.kernelError.toFixed(2)})`)];
    }),
  ]);
  return [
    `Table 2 analogue (Arora et al. 2019): ${datasetNames[r.dataset]} classes ${r.classes[0]} vs ${r.classes[1]}${r.classNames[0] === String(r.classes[0]) ? '' : ` (${r.classNames[0]} vs ${r.classNames[1]})`}, ${r.size}×${r.size} images, ${r.train} train / ${r.test} test, test accuracy`,
    `exact CNTK against Monte-Carlo kernels of finite CNNs ("MC c ch": empirical NTK of ${r.samples === 1 ? 'one random network' : `the mean of ${r.samples} random networks`} with c channels, median of ${r.trials} seeds; in parentheses the median relative Frobenius distance to the exact train kernel)`,
    '',
    ...markdownTable(head, rows),
    '',
    `total ${duration(r.seconds)} (float64, CPU)`,
  ].join('\n');
}
