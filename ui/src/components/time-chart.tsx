// An interactive time series (uPlot): lines or bars in the site's time zone, with a hover tooltip.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Granularity } from '../api/types';
import { formatAxisTick, formatBucket } from '../lib/format';
import { FORMAT_UNIT, type MetricUnit } from '../lib/metrics';
import { useTheme } from '../lib/theme';

/** A palette slot: `--chart-1` … `--chart-4`, or `--chart-muted` (the previous period). */
export type ChartColor = 1 | 2 | 3 | 4 | 'muted';

export interface ChartLine {
  label: string;
  values: (number | null)[];
  unit: MetricUnit;
  color: ChartColor;
  dashed?: boolean;
  /** A soft gradient under the line. */
  fill?: boolean;
}

export interface TimeChartProps {
  /** Bucket starts, Unix ms. */
  xs: number[];
  lines: ChartLine[];
  granularity: Granularity;
  timeZone?: string;
  height?: number;
  bars?: boolean;
  testId?: string;
  label: string;
}

const HOUR = 3600;
const DAY = 86_400;

/** Tick spacings (seconds) that land on bucket starts, finest first. */
const TICK_STEPS: Record<Granularity, number[]> = {
  hour: [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY],
  day: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 30 * DAY, 91 * DAY],
  week: [7 * DAY, 14 * DAY, 28 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY],
  month: [30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY],
};

/** Value-axis steps for counts: whole numbers only (no "0, 0, 1, 1" on small values). */
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7];

/** Value-axis steps for durations: round seconds, minutes and hours. */
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, HOUR, 2 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888888';
}

/** `#rrggbb` with an alpha, for canvas gradients. */
function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1, 7), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function tooltip(props: TimeChartProps, colors: string[]): uPlot.Plugin {
  let tip: HTMLDivElement;
  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className = 'chart-tooltip';
        tip.hidden = true;
        u.over.append(tip);
      },
      setCursor: (u) => {
        const index = u.cursor.idx;
        if (index == null || u.cursor.left == null || u.cursor.left < 0) {
          tip.hidden = true;
          return;
        }
        const title = document.createElement('div');
        title.className = 'chart-tooltip-title';
        title.textContent = formatBucket(props.xs[index]!, props.granularity, props.timeZone);
        const rows = props.lines.map((line, i) => {
          const row = document.createElement('div');
          row.className = 'chart-tooltip-row';
          const swatch = document.createElement('span');
          swatch.className = 'chart-swatch';
          swatch.style.background = colors[i]!;
          const name = document.createElement('span');
          name.className = 'chart-tooltip-label';
          name.textContent = line.label;
          const value = document.createElement('strong');
          value.textContent = FORMAT_UNIT[line.unit](line.values[index] ?? null);
          row.append(swatch, name, value);
          return row;
        });
        tip.replaceChildren(title, ...rows);
        tip.hidden = false;
        const overWidth = u.over.clientWidth;
        const left = u.cursor.left;
        const flip = left > overWidth / 2;
        tip.style.left = `${left}px`;
        tip.style.transform = flip ? 'translateX(calc(-100% - 12px))' : 'translateX(12px)';
      },
    },
  };
}

function options(props: TimeChartProps, width: number): uPlot.Options {
  const colors = props.lines.map((line) => cssColor(line.color === 'muted' ? '--chart-muted' : `--chart-${line.color}`));
  const text = cssColor('--text-muted');
  const grid = cssColor('--chart-grid');
  const font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const units = [...new Set(props.lines.map((line) => line.unit))].slice(0, 2);
  const { timeZone } = props;
  // Bars are centred on their bucket: leave half a bucket at either end.
  const halfStep = props.bars && props.xs.length > 1 ? (props.xs[1]! - props.xs[0]!) / 2000 : 0;
  return {
    width,
    height: props.height ?? 260,
    padding: [12, 20, 0, 4],
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 7, width: 2 } },
    ...(timeZone ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1e3), timeZone) } : {}),
    scales: Object.fromEntries([
      ['x', { time: true, range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [min - halfStep, max + halfStep] }],
      ...units.map((unit) => [
        unit,
        { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? uPlot.rangeNum(0, max, 0.1, true)[1]! : 1] },
      ]),
    ]),
    axes: [
      {
        stroke: text,
        font,
        size: 30,
        space: 64,
        incrs: TICK_STEPS[props.granularity],
        grid: { show: false },
        ticks: { show: false },
        values: (_u, splits, _axis, _space, step) => splits.map((s) => formatAxisTick(s * 1000, step, timeZone)),
      },
      ...units.map((unit, i): uPlot.Axis => ({
        scale: unit,
        side: i === 0 ? 3 : 1,
        stroke: text,
        font,
        size: 56,
        ...(unit === 'seconds' ? { incrs: SECOND_STEPS } : unit === 'count' ? { incrs: COUNT_STEPS } : {}),
        grid: { show: i === 0, stroke: grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map((s) => FORMAT_UNIT[unit](s)),
      })),
    ],
    series: [
      {},
      ...props.lines.map((line, i): uPlot.Series => ({
        label: line.label,
        scale: units.includes(line.unit) ? line.unit : units[0],
        stroke: colors[i],
        width: line.dashed ? 1.5 : 2,
        dash: line.dashed ? [5, 4] : undefined,
        spanGaps: false,
        points: { size: 5, fill: colors[i] },
        ...(props.bars
          ? { paths: uPlot.paths.bars!({ size: [0.7, 40] }), fill: withAlpha(colors[i]!, 0.75), points: { show: false } }
          : {}),
        ...(line.fill && !props.bars
          ? {
              fill: (u: uPlot) => {
                const gradient = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
                gradient.addColorStop(0, withAlpha(colors[i]!, 0.22));
                gradient.addColorStop(1, withAlpha(colors[i]!, 0));
                return gradient;
              },
            }
          : {}),
      })),
    ],
    plugins: [tooltip(props, colors)],
  };
}

export function TimeChart(props: TimeChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const { theme } = useTheme();
  // Rebuilt when anything shown changes; the data are small (at most a few thousand points).
  const signature = JSON.stringify([props.xs, props.lines, props.granularity, props.timeZone, props.bars, props.height, theme]);
  useEffect(() => {
    const target = container.current!;
    const data: uPlot.AlignedData = [props.xs.map((ms) => ms / 1000), ...props.lines.map((line) => line.values)];
    const plot = new uPlot(options(props, target.clientWidth), data, target);
    const resize = new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: props.height ?? 260 }));
    resize.observe(target);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [signature]);
  return <div ref={container} class="time-chart" data-testid={props.testId} role="img" aria-label={props.label} />;
}
