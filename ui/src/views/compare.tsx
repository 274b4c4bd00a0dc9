// Compare up to four (site, metric) pairs over one range in a single chart.
import type { ComparedPair, Metric, Site } from '../api/types';
import { Card } from '../components/card';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { RangePicker } from '../components/range-picker';
import { Empty, ErrorState, Loading } from '../components/states';
import { TimeChart, type ChartColor, type ChartLine } from '../components/time-chart';
import { useApp } from '../lib/app-context';
import { ALL_METRICS, METRICS, isMetric } from '../lib/metrics';
import { periodOf, rangeFromQuery, rangeToQuery } from '../lib/range';
import { navigate, withQuery, type Route } from '../lib/router';
import { useFetch } from '../lib/use-fetch';

const MAX_PAIRS = 4;

function readPairs(values: string[], sites: Site[]): ComparedPair[] {
  return values
    .map((value) => {
      const [id, metric] = value.split(':');
      return { site_id: Number(id), metric: metric ?? '' };
    })
    .filter((pair): pair is ComparedPair => isMetric(pair.metric) && sites.some((site) => site.id === pair.site_id))
    .slice(0, MAX_PAIRS);
}

const pairParam = (pair: ComparedPair) => `${pair.site_id}:${pair.metric}`;
const colorOf = (index: number) => (index + 1) as ChartColor;

export function Compare({ route }: { route: Route }) {
  const { backend, sites, sitesLoaded } = useApp();
  const range = rangeFromQuery(route.query);
  const active = sites.filter((site) => site.archived_at_ms == null);
  const asked = readPairs(route.query.getAll('p'), sites);
  const pairs: ComparedPair[] = asked.length ? asked : active[0] ? [{ site_id: active[0].id, metric: 'visitors' }] : [];
  const setPairs = (next: ComparedPair[]) => navigate(withQuery(route, { p: next.map(pairParam) }));
  const period = periodOf(range);
  const result = useFetch(
    async () => (pairs.length ? backend.call('compare', { pairs, ...period, granularity: null }) : []),
    [backend, pairs.map(pairParam).join(','), JSON.stringify(period)],
  );
  const siteOf = (id: number) => sites.find((site) => site.id === id);
  const labelOf = (pair: ComparedPair) => `${siteOf(pair.site_id)?.name ?? 'Site'} · ${METRICS[pair.metric].label}`;
  const change = (index: number, update: Partial<ComparedPair>) =>
    setPairs(pairs.map((pair, i) => (i === index ? { ...pair, ...update } : pair)));

  if (sitesLoaded && active.length === 0) {
    return (
      <div class="page" data-testid="compare">
        <PageHeader title="Compare" />
        <Empty title="Nothing to compare yet">
          <a class="button button-primary" href="#/sites/new">
            Add a site
          </a>
        </Empty>
      </div>
    );
  }

  const series = result.data ?? [];
  const lines: ChartLine[] = series.map((s, i) => ({
    label: labelOf(s),
    values: s.points.map(([, value]) => value),
    unit: METRICS[s.metric].unit,
    color: colorOf(i),
  }));
  const first = series[0];
  return (
    <div class="page" data-testid="compare">
      <PageHeader
        title="Compare"
        subtitle="Sites and metrics side by side, bucket by bucket."
        actions={<RangePicker range={range} onChange={(next) => navigate(withQuery(route, rangeToQuery(next)))} />}
      />
      <Card title="Series">
        <div class="pair-list">
          {pairs.map((pair, i) => (
            <div class="pair" key={i} data-testid="compare-pair">
              <span class={`chart-swatch swatch-${colorOf(i)}`} aria-hidden="true" />
              <select
                class="input input-small"
                aria-label={`Site of series ${i + 1}`}
                value={pair.site_id}
                onChange={(e) => change(i, { site_id: Number(e.currentTarget.value) })}
              >
                {sites.map((site) => (
                  <option key={site.id} value={site.id}>
                    {site.name}
                    {site.archived_at_ms != null ? ' (archived)' : ''}
                  </option>
                ))}
              </select>
              <select
                class="input input-small"
                aria-label={`Metric of series ${i + 1}`}
                value={pair.metric}
                onChange={(e) => change(i, { metric: e.currentTarget.value as Metric })}
              >
                {ALL_METRICS.map((metric) => (
                  <option key={metric} value={metric}>
                    {METRICS[metric].label}
                  </option>
                ))}
              </select>
              {pairs.length > 1 && (
                <button
                  type="button"
                  class="icon-button"
                  aria-label={`Remove ${labelOf(pair)}`}
                  onClick={() => setPairs(pairs.filter((_, j) => j !== i))}
                >
                  <Icon name="close" size={14} />
                </button>
              )}
            </div>
          ))}
          {pairs.length < MAX_PAIRS && pairs.length > 0 && (
            <button
              type="button"
              class="button button-small button-ghost"
              data-testid="compare-add"
              onClick={() => setPairs([...pairs, { site_id: pairs[pairs.length - 1]!.site_id, metric: 'pageviews' }])}
            >
              <Icon name="plus" size={14} />
              Add series
            </button>
          )}
        </div>
      </Card>
      <Card
        title="Chart"
        actions={
          <ul class="legend" aria-label="Legend">
            {series.map((s, i) => (
              <li key={i}>
                <span class={`chart-swatch swatch-${colorOf(i)}`} aria-hidden="true" />
                {labelOf(s)}
              </li>
            ))}
          </ul>
        }
      >
        {!result.data ? (
          result.error ? (
            <ErrorState error={result.error} retry={result.reload} compact />
          ) : (
            <div class="chart-placeholder">
              <Loading compact />
            </div>
          )
        ) : !first || first.points.length === 0 ? (
          <Empty title="No data for this range" compact />
        ) : (
          <TimeChart
            testId="compare-chart"
            label="Compared series over time"
            xs={first.points.map(([ms]) => ms)}
            lines={lines}
            granularity={first.granularity}
            timeZone={siteOf(first.site_id)?.timezone}
            height={320}
          />
        )}
      </Card>
    </div>
  );
}
