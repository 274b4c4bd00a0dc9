// A dashboard card of breakdowns: tabs of dimensions (a sub-choice for UTM); a row click filters.
import { useState } from 'preact/hooks';
import type { BreakdownRow, Dimension, Filter, ReportQuery } from '../../api/types';
import { BreakdownRows, type BreakdownColumn } from '../../components/breakdown-rows';
import { Card } from '../../components/card';
import { Tabs } from '../../components/tabs';
import { useBackend } from '../../lib/app-context';
import { DIMENSION_LABELS } from '../../lib/filters';
import { flag, valueLabel } from '../../lib/labels';

export interface BreakdownTab {
  key: string;
  label: string;
  /** The dimension, or several to choose from in a select (UTM parameters). */
  dimensions: Dimension[];
  /** The tab to show after a row of this one became a filter (countries → regions). */
  next?: string;
}

export const VISITORS_COLUMN: BreakdownColumn = { label: 'Visitors', value: (row) => row.visitors };
const VIEWS_COLUMN: BreakdownColumn = { label: 'Views', value: (row) => row.pageviews };

export function BreakdownCard({
  title,
  tabs,
  query,
  refreshKey,
  onFilter,
}: {
  title: string;
  tabs: BreakdownTab[];
  query: ReportQuery;
  refreshKey: number;
  onFilter: (filter: Filter) => void;
}) {
  const backend = useBackend();
  const [active, setActive] = useState(tabs[0]!.key);
  const tab = tabs.find((t) => t.key === active)!;
  const [choice, setChoice] = useState<Dimension>(tab.dimensions[0]!);
  const dimension = tab.dimensions.includes(choice) ? choice : tab.dimensions[0]!;
  const select = (key: string) => {
    setActive(key);
    setChoice(tabs.find((t) => t.key === key)!.dimensions[0]!);
  };
  const activate = (row: BreakdownRow) => {
    onFilter({ dimension, op: 'is', value: row.value ?? '' });
    if (tab.next) select(tab.next);
  };
  const key = JSON.stringify(query);
  return (
    <Card
      class="breakdown-card"
      title={title}
      actions={
        <>
          {tabs.length > 1 && <Tabs tabs={tabs} active={active} onSelect={select} label={title} small />}
          {tab.dimensions.length > 1 && (
            <select
              class="input input-small"
              aria-label={`${tab.label} parameter`}
              value={dimension}
              onChange={(e) => setChoice(e.currentTarget.value as Dimension)}
            >
              {tab.dimensions.map((d) => (
                <option key={d} value={d}>
                  {DIMENSION_LABELS[d].replace('UTM ', '')}
                </option>
              ))}
            </select>
          )}
        </>
      }
    >
      <BreakdownRows
        key={dimension}
        testId={`breakdown-${dimension}`}
        heading={DIMENSION_LABELS[dimension]}
        columns={[VISITORS_COLUMN, VIEWS_COLUMN]}
        loadPage={(offset, limit) => backend.call('breakdown', { ...query, dimension, offset, limit })}
        deps={[backend, key, dimension]}
        refreshKey={refreshKey}
        label={(value) => valueLabel(dimension, value)}
        icon={dimension === 'country' ? (value) => (value ? flag(value) : '🌐') : undefined}
        onActivate={activate}
        activateHint="click to filter"
      />
    </Card>
  );
}
