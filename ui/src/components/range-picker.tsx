// The date range control: presets as a segmented control, and a custom range of two dates.
import { useState } from 'preact/hooks';
import { isoDateIn } from '../lib/format';
import { RANGE_OPTIONS, type Range } from '../lib/range';

export function RangePicker({ range, onChange, timeZone }: { range: Range; onChange: (range: Range) => void; timeZone?: string }) {
  const today = isoDateIn(timeZone);
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const editing = custom ?? (range.key === 'custom' ? { from: range.from!, to: range.to! } : null);
  const pick = (key: Range['key']) => {
    if (key === 'custom') {
      setCustom(editing ?? { from: isoDateIn(timeZone, Date.now() - 13 * 86_400_000), to: today });
      return;
    }
    setCustom(null);
    onChange({ key, from: null, to: null });
  };
  const valid = editing != null && editing.from !== '' && editing.to !== '' && editing.from <= editing.to;
  return (
    <div class="range-picker" data-testid="range-picker">
      <div class="segmented" role="group" aria-label="Date range">
        {RANGE_OPTIONS.map((option) => {
          const active = option.key === 'custom' ? editing != null : custom == null && range.key === option.key;
          return (
            <button
              key={option.key}
              type="button"
              class={active ? 'segment active' : 'segment'}
              aria-pressed={active}
              title={option.title}
              data-testid={`range-${option.key}`}
              onClick={() => pick(option.key)}
            >
              {option.label}
            </button>
          );
        })}
      </div>
      {editing && (
        <form
          class="custom-range"
          onSubmit={(event) => {
            event.preventDefault();
            if (!valid) return;
            setCustom(null);
            onChange({ key: 'custom', from: editing.from, to: editing.to });
          }}
        >
          <label>
            <span class="visually-hidden">From</span>
            <input
              type="date"
              class="input input-small"
              value={editing.from}
              max={today}
              data-testid="range-from"
              onInput={(e) => setCustom({ ...editing, from: e.currentTarget.value })}
            />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span class="visually-hidden">To</span>
            <input
              type="date"
              class="input input-small"
              value={editing.to}
              max={today}
              data-testid="range-to"
              onInput={(e) => setCustom({ ...editing, to: e.currentTarget.value })}
            />
          </label>
          <button type="submit" class="button button-small button-primary" disabled={!valid} data-testid="range-apply">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
