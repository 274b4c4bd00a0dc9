// A ranked list of values with share bars, paged with "Show more"; rows can be activated.
import { useEffect } from 'preact/hooks';
import type { BreakdownPage, BreakdownRow } from '../api/types';
import { formatExact, formatNumber, formatShare } from '../lib/format';
import { usePaged } from '../lib/use-fetch';
import { activatable } from './activate';
import { Empty, ErrorState, Loading } from './states';

const PAGE_SIZE = 10;

export interface BreakdownColumn {
  label: string;
  value: (row: BreakdownRow) => number;
}

export interface BreakdownRowsProps {
  /** `breakdown-<dimension>` or the like. */
  testId: string;
  /** What the first column lists ("Page", "Country"). */
  heading: string;
  columns: BreakdownColumn[];
  loadPage: (offset: number, limit: number) => Promise<BreakdownPage>;
  /** Reload from the first page when these change. */
  deps: unknown[];
  /** Refresh what is shown (not the page count) when this changes: live updates. */
  refreshKey: number;
  label: (value: string | null) => string;
  icon?: (value: string | null) => string;
  onActivate?: (row: BreakdownRow) => void;
  activateHint?: string;
  emptyText?: string;
}

export function BreakdownRows(props: BreakdownRowsProps) {
  const list = usePaged(
    async (offset, limit) => {
      const page = await props.loadPage(offset, limit);
      return { items: page.rows, total: page.total_rows };
    },
    PAGE_SIZE,
    props.deps,
  );
  useEffect(() => {
    if (props.refreshKey) list.reload();
  }, [props.refreshKey]);

  if (!list.data || list.data.length === 0) {
    return (
      <div class="breakdown" data-testid={props.testId}>
        {list.error ? (
          <ErrorState error={list.error} retry={list.reload} compact />
        ) : list.data ? (
          <Empty title={props.emptyText ?? 'Nothing in this period'} compact />
        ) : (
          <Loading compact />
        )}
      </div>
    );
  }
  // Bars are scaled to the biggest row, so the top value spans the column.
  const biggest = Math.max(...list.data.map((row) => row.share)) || 1;
  return (
    <div class={list.loading ? 'breakdown is-refreshing' : 'breakdown'} data-testid={props.testId}>
      <div class="breakdown-head" aria-hidden="true">
        <span>{props.heading}</span>
        {props.columns.map((column) => (
          <span key={column.label} class="num">
            {column.label}
          </span>
        ))}
      </div>
      <ol class={list.data.length > PAGE_SIZE ? 'breakdown-list expanded' : 'breakdown-list'}>
        {list.data.map((row) => {
          const label = props.label(row.value);
          const rowProps = props.onActivate ? activatable(() => props.onActivate!(row), 'breakdown-row') : { class: 'breakdown-row' };
          return (
            <li
              key={row.value ?? '\u0000none'}
              {...rowProps}
              data-testid="breakdown-row"
              data-value={row.value ?? ''}
              title={props.onActivate && props.activateHint ? `${label} — ${props.activateHint}` : label}
            >
              <span class="breakdown-label">
                <span class="breakdown-bar" style={{ width: `${Math.max((row.share / biggest) * 100, 1)}%` }} />
                {props.icon && <span class="breakdown-icon">{props.icon(row.value)}</span>}
                <span class="breakdown-text">{label}</span>
              </span>
              {props.columns.map((column, i) => (
                <span key={column.label} class="num" title={formatExact(column.value(row))}>
                  {formatNumber(column.value(row))}
                  {i === 0 && <span class="breakdown-share">{formatShare(row.share)}</span>}
                </span>
              ))}
            </li>
          );
        })}
      </ol>
      {list.hasMore && (
        <button type="button" class="link-button breakdown-more" onClick={list.more}>
          Show more
        </button>
      )}
    </div>
  );
}
