// The active filters as removable chips, and a dialog that adds one (with suggested values).
import { useState } from 'preact/hooks';
import type { Dimension, Filter, FilterOp, ReportQuery } from '../api/types';
import { useBackend } from '../lib/app-context';
import { DIMENSIONS, DIMENSION_LABELS, OPS, OP_LABELS, sameFilter } from '../lib/filters';
import { valueLabel } from '../lib/labels';
import { useFetch } from '../lib/use-fetch';
import { Dialog } from './dialog';
import { Icon } from './icons';

export function FilterBar({
  filters,
  onChange,
  query,
}: {
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
  /** The report the suggestions come from. */
  query: ReportQuery;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <div class="filter-bar" data-testid="filter-bar">
      {filters.map((filter) => {
        const text = `${DIMENSION_LABELS[filter.dimension]} ${OP_LABELS[filter.op]} ${valueLabel(filter.dimension, filter.value)}`;
        return (
          <span class="chip" data-testid="filter-chip" key={`${filter.dimension}:${filter.op}:${filter.value}`}>
            <span class="chip-dimension">{DIMENSION_LABELS[filter.dimension]}</span>
            <span class="chip-op">{OP_LABELS[filter.op]}</span>
            <span class="chip-value">{valueLabel(filter.dimension, filter.value)}</span>
            <button
              type="button"
              class="chip-remove"
              aria-label={`Remove filter: ${text}`}
              data-testid="filter-remove"
              onClick={() => onChange(filters.filter((f) => !sameFilter(f, filter)))}
            >
              <Icon name="close" size={12} />
            </button>
          </span>
        );
      })}
      <button type="button" class="button button-small button-ghost" data-testid="add-filter" onClick={() => setAdding(true)}>
        <Icon name="filter" size={14} />
        Add filter
      </button>
      {filters.length > 1 && (
        <button type="button" class="link-button" onClick={() => onChange([])}>
          Clear all
        </button>
      )}
      {adding && (
        <AddFilterDialog
          query={query}
          onClose={() => setAdding(false)}
          onAdd={(filter) => {
            setAdding(false);
            if (!filters.some((f) => sameFilter(f, filter))) onChange([...filters, filter]);
          }}
        />
      )}
    </div>
  );
}

function AddFilterDialog({ query, onClose, onAdd }: { query: ReportQuery; onClose: () => void; onAdd: (filter: Filter) => void }) {
  const backend = useBackend();
  const [dimension, setDimension] = useState<Dimension>('page');
  const [op, setOp] = useState<FilterOp>('is');
  const [value, setValue] = useState('');
  const suggestions = useFetch(
    () => backend.call('breakdown', { ...query, dimension, offset: 0, limit: 50 }),
    [backend, JSON.stringify(query), dimension],
  );
  const submit = (event: Event) => {
    event.preventDefault();
    onAdd({ dimension, op, value: value.trim() });
  };
  return (
    <Dialog
      title="Add filter"
      onClose={onClose}
      testId="filter-dialog"
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="add-filter-form"
            class="button button-primary"
            data-testid="filter-apply"
            disabled={op !== 'is' && !value.trim()}
          >
            Add filter
          </button>
        </>
      }
    >
      <form id="add-filter-form" class="form filter-form" onSubmit={submit}>
        <label class="field">
          <span class="field-label">Dimension</span>
          <select
            class="input"
            value={dimension}
            data-testid="filter-dimension"
            onChange={(e) => setDimension(e.currentTarget.value as Dimension)}
          >
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Condition</span>
          <select class="input" value={op} data-testid="filter-op" onChange={(e) => setOp(e.currentTarget.value as FilterOp)}>
            {OPS.map((o) => (
              <option key={o} value={o}>
                {OP_LABELS[o]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Value</span>
          <input
            class="input"
            list="filter-suggestions"
            value={value}
            autoFocus
            data-testid="filter-value"
            placeholder={op === 'is' ? 'Leave empty for “none”' : ''}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          <datalist id="filter-suggestions">
            {suggestions.data?.rows
              .filter((row) => row.value != null)
              .map((row) => (
                <option key={row.value} value={row.value!}>
                  {valueLabel(dimension, row.value)}
                </option>
              ))}
          </datalist>
        </label>
      </form>
    </Dialog>
  );
}
