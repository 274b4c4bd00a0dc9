// The change of a number against the previous period, green when good and red when bad.
import { formatChange, relativeChange } from '../lib/format';

export function Change({
  current,
  previous,
  lowerIsBetter = false,
  describe,
}: {
  current: number | null;
  previous: number | null;
  lowerIsBetter?: boolean;
  /** How to state the previous value in the tooltip. */
  describe?: (previous: number | null) => string;
}) {
  const change = relativeChange(current, previous);
  const title = describe ? `${describe(previous)} in the previous period` : undefined;
  if (change == null) {
    return current != null && current > 0 ? (
      <span class="change change-neutral" title={title}>
        new
      </span>
    ) : null;
  }
  const direction = change > 0.0005 ? 'up' : change < -0.0005 ? 'down' : 'flat';
  const good = direction === 'flat' ? 'neutral' : (direction === 'up') !== lowerIsBetter ? 'good' : 'bad';
  return (
    <span class={`change change-${good}`} title={title}>
      <span aria-hidden="true">{direction === 'up' ? '↑' : direction === 'down' ? '↓' : ''}</span>
      {formatChange(change)}
    </span>
  );
}
