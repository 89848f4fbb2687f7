/**
 * Training dynamics: train/test loss and accuracy against the training time t = η·step, one
 * panel per quantity, one line per model (the NTK prediction, finite networks of several widths,
 * and optionally, dashed, each network's own NTK prediction from its initial outputs f₀). Losses
 * on a log axis, accuracies in %; t on a symmetric-log axis, so that t = 0 is drawn.
 * @module
 */
import { type PlotLabels, type PlotSpec, plottable, seriesColor } from './spec.js';

/** The quantities a panel can show. */
export type DynamicsMetric = 'trainLoss' | 'testLoss' | 'trainAccuracy' | 'testAccuracy';

/** One model's curves at the times `t` (a missing or shorter metric is not drawn). */
export interface DynamicsSeries {
  name: string;
  t: ArrayLike<number>;
  /** Values per time; accuracies as fractions in [0, 1]. */
  values: Partial<Record<DynamicsMetric, ArrayLike<number>>>;
  /** CSS colour; when every series gives one they are used as given. */
  color?: string;
  /** Drawn dashed (e.g. a network's own NTK prediction, under the network's name and colour). */
  dashed?: boolean;
}

/** Options of {@link trainingDynamicsPlot}. */
export interface DynamicsPlotOptions extends PlotLabels {
  series: DynamicsSeries[];
  /** The panels, in order (default: every metric some series has, in the order of {@link DynamicsMetric}). */
  metrics?: DynamicsMetric[];
  /** Panels per row (default 2). */
  columns?: number;
  /** Legend labels of the solid and dashed line styles (default "as trained", "NTK prediction from the same f₀"). */
  styles?: [solid: string, dashed: string];
}

const METRICS: readonly DynamicsMetric[] = ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'];
const TITLES: Record<DynamicsMetric, string> = { trainLoss: 'train loss', testLoss: 'test loss', trainAccuracy: 'train accuracy (%)', testAccuracy: 'test accuracy (%)' };
const DEFAULT_STYLES = ['as trained', 'NTK prediction from the same f₀'] as const;
const isLoss = (m: DynamicsMetric) => m === 'trainLoss' || m === 'testLoss';

/** The rows {series, metric, t, value, style} of the drawable points (t ≥ 0; losses > 0; accuracies in %); `style` is the solid or dashed label. */
export function dynamicsRows(series: readonly DynamicsSeries[], styles: readonly [string, string] = DEFAULT_STYLES): { series: string; metric: DynamicsMetric; t: number; value: number; style: string }[] {
  return series.flatMap((s) =>
    METRICS.flatMap((metric) => {
      const v = s.values[metric];
      if (!v) return [];
      const scale = isLoss(metric) ? 1 : 100;
      return Array.from(s.t, (t, i) => ({ series: s.name, metric, t, value: scale * (v[i] ?? NaN), style: styles[s.dashed ? 1 : 0] })).filter(
        (p) => p.t >= 0 && plottable(p.t, p.value, false, isLoss(metric)),
      );
    }),
  );
}

/**
 * Loss and accuracy against t, one panel per metric (2 per row), one colour per name, dashed
 * series (if any) told apart by the line style and its own legend. Axis titles: `xTitle`
 * (default "t = η·step") and the metric.
 */
export function trainingDynamicsPlot(options: DynamicsPlotOptions): PlotSpec {
  const styles = options.styles ?? DEFAULT_STYLES;
  const values = dynamicsRows(options.series, styles);
  const metrics = options.metrics ?? METRICS.filter((m) => options.series.some((s) => s.values[m]));
  const dashes = options.series.some((s) => s.dashed);
  const width = options.width ?? 320;
  const height = options.height ?? 220;
  const unique = options.series.filter((s, i, all) => all.findIndex((o) => o.name === s.name) === i);
  // Symmetric-log t (t = 0 drawn) with ticks at 0 and the powers of ten up to the largest t.
  const tMax = Math.max(0, ...values.map((r) => r.t));
  const ticks = [0, ...Array.from({ length: Math.max(0, Math.ceil(Math.log10(Math.max(1, tMax))) + 1) }, (_, i) => 10 ** i).filter((v) => v <= Math.max(1, tMax))];
  const legend = { labelLimit: 400, symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 };
  const panel = (metric: DynamicsMetric) => {
    const empty = !values.some((r) => r.metric === metric);
    return {
      width,
      height,
      title: TITLES[metric],
      transform: [{ filter: { field: 'metric', equal: metric } }],
      mark: { type: 'line', strokeWidth: 1.5, point: { size: 18 } },
      encoding: {
        x: {
          field: 't',
          type: 'quantitative',
          title: options.xTitle ?? 't = η·step',
          scale: { type: 'symlog', ...(empty ? { domain: [0, 1] } : {}) },
          axis: { values: ticks, format: 'd' },
        },
        y: {
          field: 'value',
          type: 'quantitative',
          title: TITLES[metric],
          scale: isLoss(metric) ? { type: 'log', ...(empty ? { domain: [1, 10] } : {}) } : { domain: [0, 100] },
          ...(isLoss(metric) ? { axis: { format: '~g', grid: true, tickCount: 5 } } : {}),
        },
        // One colour per name (a network and its dashed NTK prediction share it).
        color: { ...seriesColor(unique, values.length === 0), ...(values.length === 0 ? {} : { legend }) },
        // The dashed style's legend symbols need a stroke colour of their own (vega-lite leaves them transparent).
        ...(dashes ? { strokeDash: { field: 'style', type: 'nominal', title: null, scale: { domain: [...styles], range: [[1, 0], [5, 3]] }, legend: { ...legend, encode: { symbols: { update: { stroke: { value: '#555' } } } } } } } : {}),
        order: { field: 't', type: 'quantitative' },
      },
    };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    background: 'white',
    data: { values },
    columns: options.columns ?? 2,
    concat: metrics.map(panel),
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  } as PlotSpec;
}

/** What {@link demoDynamicsPlot} draws: the NTK prediction and finite networks on the demo's subset. */
export interface DemoDynamicsOptions {
  /** Training and test images used. */
  nTrain: number;
  nTest: number;
  /** The learning rate η (t = η·step). */
  learningRate: number;
  /** Times t = η·step of every curve. */
  t: ArrayLike<number>;
  /** The NTK prediction (the mean over initialisations). */
  ntk: DynamicsSeries['values'];
  /** Each finite network as trained, and the NTK prediction from its own initial outputs. */
  networks: { width: number; trained: DynamicsSeries['values']; fromF0?: DynamicsSeries['values'] }[];
}

const WIDTH_COLORS = ['#2471a3', '#229954', '#af7ac5', '#d68910'];

/** The figure of `wide demo`: loss and accuracy against t for the NTK prediction and the finite networks (MNIST). */
export function demoDynamicsPlot(o: DemoDynamicsOptions): PlotSpec {
  const series: DynamicsSeries[] = [{ name: 'NTK (infinite width, mean over initialisations)', t: o.t, values: o.ntk, color: '#c0392b' }];
  o.networks.forEach((net, i) => {
    const color = WIDTH_COLORS[i % WIDTH_COLORS.length]!;
    series.push({ name: `width ${net.width}`, t: o.t, values: net.trained, color });
    if (net.fromF0) series.push({ name: `width ${net.width}`, t: o.t, values: net.fromF0, color, dashed: true });
  });
  return trainingDynamicsPlot({
    title: `Gradient descent on MNIST (${o.nTrain} train / ${o.nTest} test images, 3-hidden-layer ReLU, η = ${o.learningRate.toPrecision(4)}): NTK prediction and finite networks`,
    series,
  });
}
