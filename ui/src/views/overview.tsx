// All sites at a glance: totals over every site, then one card per site (archived ones apart).
import { useEffect } from 'preact/hooks';
import type { SiteOverview } from '../api/types';
import { Change } from '../components/change';
import { Icon } from '../components/icons';
import { MetricCard } from '../components/metric-card';
import { PageHeader } from '../components/page-header';
import { RangePicker } from '../components/range-picker';
import { Sparkline } from '../components/sparkline';
import { Empty, ErrorState, Loading } from '../components/states';
import { useApp } from '../lib/app-context';
import { formatNumber, formatSpan } from '../lib/format';
import { useLiveCount, useLiveRefresh, usePeriodic } from '../lib/live';
import { METRICS, sumByBucket } from '../lib/metrics';
import { periodOf, rangeFromQuery, rangeToQuery, rangeTitle, type Range } from '../lib/range';
import { href, navigate, withQuery, type Route } from '../lib/router';
import { useFetch } from '../lib/use-fetch';

const TOTAL_METRICS = ['visitors', 'pageviews', 'sessions', 'bounce_rate', 'average_duration'] as const;

function SiteCard({ entry, range }: { entry: SiteOverview; range: Range }) {
  const { site, summary, trend } = entry;
  const live = useLiveCount(site.id) ?? summary.live_visitors;
  const archived = site.archived_at_ms != null;
  return (
    <a
      class={archived ? 'site-card archived' : 'site-card'}
      href={href(`site/${site.id}`, rangeToQuery(range))}
      data-testid={`overview-site-${site.tracking_id}`}
    >
      <div class="site-card-head">
        <div class="site-card-name">
          <strong>{site.name}</strong>
          <span class="muted">{site.domain}</span>
        </div>
        {archived ? (
          <span class="badge">Archived</span>
        ) : (
          <span class={live ? 'live-pill' : 'live-pill idle'} title="Visitors in the last five minutes">
            <span class="live-dot" aria-hidden="true" />
            {formatNumber(live)} live
          </span>
        )}
      </div>
      <div class="site-card-numbers">
        {(['visitors', 'pageviews'] as const).map((metric) => (
          <div key={metric} class="site-card-number">
            <span class="muted">{METRICS[metric].label}</span>
            <strong title={metric === 'visitors' ? summary.visitors_label : undefined}>{formatNumber(summary.current[metric])}</strong>
            <Change current={summary.current[metric]} previous={summary.previous[metric]} describe={formatNumber} />
          </div>
        ))}
      </div>
      <Sparkline values={trend.points.map((point) => point.visitors)} label={`Visitors trend of ${site.name}`} />
    </a>
  );
}

export function Overview({ route }: { route: Route }) {
  const { backend, live, sites, sitesLoaded } = useApp();
  const range = rangeFromQuery(route.query);
  const overview = useFetch(() => backend.call('sites_overview', periodOf(range)), [backend, range.key, range.from, range.to]);
  useLiveRefresh(overview.reload, null, 10_000);
  usePeriodic(overview.reload, 60_000);
  useEffect(() => {
    overview.data?.sites.forEach((entry) => live.record(entry.site.id, entry.summary.live_visitors));
  }, [overview.data]);

  const picker = <RangePicker range={range} onChange={(next) => navigate(withQuery(route, rangeToQuery(next)))} />;

  if (sitesLoaded && sites.length === 0) {
    return (
      <div class="page" data-testid="overview">
        <PageHeader title="Overview" />
        <div class="card">
          <div data-testid="overview-empty">
            <Empty title="No sites yet">
              <p>Add a site to get its tracking snippet. Visits appear here as soon as the snippet is on your pages.</p>
              <a class="button button-primary" href="#/sites/new" data-testid="add-first-site">
                <Icon name="plus" size={14} />
                Add your first site
              </a>
            </Empty>
          </div>
        </div>
      </div>
    );
  }

  const data = overview.data;
  const active = data?.sites.filter((entry) => entry.site.archived_at_ms == null) ?? [];
  const archived = data?.sites.filter((entry) => entry.site.archived_at_ms != null) ?? [];
  const totalTrend = sumByBucket(active.map((entry) => entry.trend.points));
  return (
    <div class="page" data-testid="overview">
      <PageHeader
        title="Overview"
        subtitle={data ? `${rangeTitle(range)} · ${formatSpan(data.total.span.first, data.total.span.last)}` : rangeTitle(range)}
        actions={picker}
      />
      {!data ? (
        overview.error ? (
          <ErrorState error={overview.error} retry={overview.reload} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <div class={overview.loading ? 'metric-grid is-refreshing' : 'metric-grid'}>
            {TOTAL_METRICS.map((metric) => (
              <MetricCard
                key={metric}
                metric={metric}
                current={data.total.current}
                previous={data.total.previous}
                trend={totalTrend.map((totals) => METRICS[metric].of(totals))}
                hint={metric === 'visitors' ? data.total.visitors_label : undefined}
              />
            ))}
          </div>
          <h2 class="section-title">Sites</h2>
          <div class="site-grid">
            {active.map((entry) => (
              <SiteCard key={entry.site.id} entry={entry} range={range} />
            ))}
            <a class="site-card site-card-add" href="#/sites/new">
              <Icon name="plus" />
              Add a site
            </a>
          </div>
          {archived.length > 0 && (
            <>
              <h2 class="section-title">Archived</h2>
              <div class="site-grid">
                {archived.map((entry) => (
                  <SiteCard key={entry.site.id} entry={entry} range={range} />
                ))}
              </div>
            </>
          )}
        </>
      )}
    </div>
  );
}
