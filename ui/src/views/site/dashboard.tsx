// A site's dashboard: metric cards, the time series of the chosen metric, and the breakdowns.
import { useEffect, useState } from 'preact/hooks';
import type { Filter, Granularity, Metric } from '../../api/types';
import { Card } from '../../components/card';
import { MetricCard } from '../../components/metric-card';
import { Empty, ErrorState, Loading } from '../../components/states';
import { TimeChart, type ChartLine } from '../../components/time-chart';
import { useApp } from '../../lib/app-context';
import { sameFilter } from '../../lib/filters';
import { useLiveRefresh, usePeriodic } from '../../lib/live';
import { DASHBOARD_METRICS, METRICS, isMetric } from '../../lib/metrics';
import { granularityChoices, previousPeriod, rangeDays } from '../../lib/range';
import { reportQuery } from '../../lib/report-state';
import { navigate, withQuery } from '../../lib/router';
import { formatSpan } from '../../lib/format';
import { useFetch } from '../../lib/use-fetch';
import { BreakdownCard, type BreakdownTab } from './breakdown-card';
import { EventsCard } from './events-card';
import type { SiteTabProps } from './site-view';

const GRANULARITY_LABELS: Record<Granularity, string> = { hour: 'Hourly', day: 'Daily', week: 'Weekly', month: 'Monthly' };

const CARDS: { title: string; tabs: BreakdownTab[] }[] = [
  {
    title: 'Pages',
    tabs: [
      { key: 'pages', label: 'Top', dimensions: ['page'] },
      { key: 'entry', label: 'Entry', dimensions: ['entry_page'] },
      { key: 'exit', label: 'Exit', dimensions: ['exit_page'] },
    ],
  },
  {
    title: 'Sources',
    tabs: [
      { key: 'referrers', label: 'Referrers', dimensions: ['referrer'] },
      { key: 'channels', label: 'Channels', dimensions: ['channel'] },
      { key: 'utm', label: 'UTM', dimensions: ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] },
    ],
  },
  {
    title: 'Locations',
    tabs: [
      { key: 'countries', label: 'Countries', dimensions: ['country'], next: 'regions' },
      { key: 'regions', label: 'Regions', dimensions: ['region'] },
    ],
  },
  {
    title: 'Devices',
    tabs: [
      { key: 'browsers', label: 'Browsers', dimensions: ['browser'] },
      { key: 'os', label: 'OS', dimensions: ['os'] },
      { key: 'devices', label: 'Devices', dimensions: ['device'] },
      { key: 'screens', label: 'Screens', dimensions: ['screen'] },
    ],
  },
  { title: 'Languages', tabs: [{ key: 'languages', label: 'Languages', dimensions: ['language'] }] },
];

export function Dashboard({ site, state, setState, route }: SiteTabProps) {
  const { backend, live } = useApp();
  const query = reportQuery(site.id, state);
  const key = JSON.stringify(query);
  const metric: Metric = isMetric(route.query.get('m')) ? (route.query.get('m') as Metric) : 'visitors';
  const choices = granularityChoices(rangeDays(state.range));
  const asked = route.query.get('g') as Granularity | null;
  const granularity = asked && choices.includes(asked) ? asked : null;
  const withPrevious = route.query.get('cmp') === '1';

  const summary = useFetch(() => backend.call('summary', query), [backend, key]);
  const series = useFetch(() => backend.call('series', { ...query, granularity }), [backend, key, granularity]);
  const span = summary.data?.span;
  const shown = series.data?.granularity;
  const previous = useFetch(
    async () =>
      withPrevious && span && shown
        ? backend.call('series', { site_id: site.id, filters: state.filters, ...previousPeriod(span), granularity: shown })
        : null,
    [backend, key, withPrevious, span?.first, span?.last, shown],
  );
  const [refreshKey, setRefreshKey] = useState(0);
  useLiveRefresh(
    () => {
      summary.reload();
      series.reload();
      setRefreshKey((n) => n + 1);
    },
    site.id,
    5000,
  );
  usePeriodic(summary.reload, 60_000);
  useEffect(() => {
    if (summary.data) live.record(site.id, summary.data.live_visitors);
  }, [summary.data]);

  const addFilter = (filter: Filter) => {
    if (!state.filters.some((f) => sameFilter(f, filter))) setState({ ...state, filters: [...state.filters, filter] });
  };
  const setParam = (name: string, value: string | null) => navigate(withQuery(route, { [name]: value }));
  const points = series.data?.points ?? [];
  const def = METRICS[metric];

  const lines: ChartLine[] = [{ label: def.label, values: points.map((p) => def.of(p)), unit: def.unit, color: 1, fill: true }];
  if (withPrevious && previous.data) {
    const before = previous.data.points;
    lines.push({
      label: 'Previous period',
      values: points.map((_, i) => (before[i] ? def.of(before[i]!) : null)),
      unit: def.unit,
      color: 'muted',
      dashed: true,
    });
  }

  return (
    <div class="dashboard" data-testid="site-dashboard">
      {!summary.data ? (
        summary.error ? (
          <ErrorState error={summary.error} retry={summary.reload} />
        ) : (
          <Loading />
        )
      ) : (
        <div class={summary.loading ? 'metric-grid metric-grid-7 is-refreshing' : 'metric-grid metric-grid-7'}>
          {DASHBOARD_METRICS.map((m) => (
            <MetricCard
              key={m}
              metric={m}
              current={summary.data!.current}
              previous={summary.data!.previous}
              trend={points.map((p) => METRICS[m].of(p))}
              selected={m === metric}
              onSelect={() => setParam('m', m === 'visitors' ? null : m)}
              hint={m === 'visitors' ? summary.data!.visitors_label : undefined}
            />
          ))}
        </div>
      )}
      <Card
        class="chart-card"
        title={
          <>
            {def.label}
            {span && <span class="card-subtitle">{formatSpan(span.first, span.last)}</span>}
          </>
        }
        actions={
          <>
            <label class="checkbox-inline">
              <input
                type="checkbox"
                checked={withPrevious}
                onChange={(e) => setParam('cmp', e.currentTarget.checked ? '1' : null)}
                data-testid="compare-previous"
              />
              Previous period
            </label>
            {choices.length > 1 && (
              <div class="segmented segmented-small" role="group" aria-label="Granularity">
                {choices.map((g) => (
                  <button
                    key={g}
                    type="button"
                    class={g === shown ? 'segment active' : 'segment'}
                    aria-pressed={g === shown}
                    onClick={() => setParam('g', g)}
                    data-testid={`granularity-${g}`}
                  >
                    {GRANULARITY_LABELS[g]}
                  </button>
                ))}
              </div>
            )}
          </>
        }
      >
        {!series.data ? (
          series.error ? (
            <ErrorState error={series.error} retry={series.reload} compact />
          ) : (
            <div class="chart-placeholder">
              <Loading compact />
            </div>
          )
        ) : points.length === 0 ? (
          <Empty title="No data for this range" compact />
        ) : (
          <TimeChart
            testId="timeseries-chart"
            label={`${def.label} over time`}
            xs={points.map((p) => p.start_ms)}
            lines={lines}
            granularity={series.data.granularity}
            timeZone={site.timezone}
            height={280}
          />
        )}
      </Card>
      <div class="breakdown-grid">
        {CARDS.map((card) => (
          <BreakdownCard key={card.title} title={card.title} tabs={card.tabs} query={query} refreshKey={refreshKey} onFilter={addFilter} />
        ))}
        <EventsCard query={query} refreshKey={refreshKey} onFilter={addFilter} />
      </div>
    </div>
  );
}
