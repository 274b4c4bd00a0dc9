// A headline metric: its value, the change against the previous period and a sparkline.
import type { Metric, Totals } from '../api/types';
import { METRICS } from '../lib/metrics';
import { Change } from './change';
import { Icon } from './icons';
import { Sparkline } from './sparkline';

export function MetricCard({
  metric,
  current,
  previous,
  trend,
  selected,
  onSelect,
  hint,
}: {
  metric: Metric;
  current: Totals;
  previous: Totals;
  trend: (number | null)[];
  selected?: boolean;
  /** Makes the card a button that picks the chart's metric. */
  onSelect?: () => void;
  /** What the number means exactly (the visitors label). */
  hint?: string;
}) {
  const def = METRICS[metric];
  const value = def.of(current);
  const Element = onSelect ? 'button' : 'div';
  return (
    <Element
      type={onSelect ? 'button' : undefined}
      class={selected ? 'metric-card selected' : 'metric-card'}
      aria-pressed={onSelect ? selected : undefined}
      data-testid={`metric-${metric}`}
      title={hint}
      onClick={onSelect}
    >
      <span class="metric-label">
        {def.label}
        {hint && <Icon name="info" size={12} class="metric-hint-icon" />}
      </span>
      <span class="metric-main">
        <span class="metric-value" data-testid="metric-value">
          {def.format(value)}
        </span>
        <Change current={value} previous={def.of(previous)} lowerIsBetter={def.lowerIsBetter} describe={def.format} />
      </span>
      <Sparkline values={trend} />
      {hint && <span class="visually-hidden">{hint}</span>}
    </Element>
  );
}
