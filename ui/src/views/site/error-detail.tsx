// One JS error group: stack, trend, where and in which browsers it happens, recent reports.
import type { Granularity } from '../../api/types';
import { Card } from '../../components/card';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorState, Loading } from '../../components/states';
import { TimeChart } from '../../components/time-chart';
import { useBackend } from '../../lib/app-context';
import { formatAgo, formatDateTime, formatNumber } from '../../lib/format';
import { periodOf } from '../../lib/range';
import { href } from '../../lib/router';
import { useFetch } from '../../lib/use-fetch';
import { RegressionBadge, StatusBadge, TriageButtons } from './error-status';
import { JsonDetail } from './json-detail';
import type { SiteTabProps } from './site-view';

/** The trend's buckets are hours or days; their spacing says which. */
function trendGranularity(trend: [number, number][]): Granularity {
  return trend.length > 1 && trend[1]![0] - trend[0]![0] < 86_400_000 ? 'hour' : 'day';
}

function TopList({ title, rows }: { title: string; rows: [string, number][] }) {
  return (
    <Card title={title}>
      {rows.length === 0 ? (
        <Empty title="None in this period" compact />
      ) : (
        <ol class="top-list">
          {rows.map(([label, count]) => (
            <li key={label}>
              <span class="truncate mono">{label}</span>
              <span class="num">{formatNumber(count)}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function ErrorDetail({ site, state, route, groupId }: SiteTabProps & { groupId: number }) {
  const backend = useBackend();
  const period = periodOf(state.range);
  const group = useFetch(
    () => backend.call('error_group', { site_id: site.id, group_id: groupId, ...period }),
    [backend, site.id, groupId, JSON.stringify(period)],
  );
  const back = { href: href(`site/${site.id}/errors`, Object.fromEntries(route.query)), label: 'JS errors' };
  if (!group.data) {
    return group.error ? <ErrorState error={group.error} retry={group.reload} /> : <Loading />;
  }
  const detail = group.data;
  const stats: [string, string][] = [
    ['In period', formatNumber(detail.period_occurrences)],
    ['Sessions affected', formatNumber(detail.affected_sessions)],
    ['All time', formatNumber(detail.occurrences)],
    ['First seen', formatAgo(detail.first_seen, Date.now(), site.timezone)],
    ['Last seen', formatAgo(detail.last_seen, Date.now(), site.timezone)],
  ];
  return (
    <div class="stack" data-testid="error-detail">
      <PageHeader
        back={back}
        title={<span class="error-title">{detail.message}</span>}
        subtitle={
          <span class="error-subtitle">
            <StatusBadge status={detail.status} testId="error-status" />
            <RegressionBadge regressedAt={detail.regressed_at} />
            {detail.source && (
              <span class="mono muted">
                {detail.source}
                {detail.line != null && `:${detail.line}`}
                {detail.col != null && `:${detail.col}`}
              </span>
            )}
          </span>
        }
        actions={<TriageButtons siteId={site.id} groupId={detail.id} status={detail.status} onChanged={group.reload} />}
      />
      <div class="stat-row">
        {stats.map(([label, value]) => (
          <div key={label} class="stat">
            <span class="muted">{label}</span>
            <strong>{value}</strong>
          </div>
        ))}
      </div>
      <Card title="Reports over time">
        {detail.trend.length === 0 ? (
          <Empty title="No reports in this period" compact />
        ) : (
          <TimeChart
            label="Error reports over time"
            xs={detail.trend.map(([ms]) => ms)}
            lines={[{ label: 'Reports', values: detail.trend.map(([, count]) => count), unit: 'count', color: 4 }]}
            granularity={trendGranularity(detail.trend)}
            timeZone={site.timezone}
            height={180}
            bars
          />
        )}
      </Card>
      <Card title="Stack trace">
        {detail.stack ? <pre class="code-block stack-trace">{detail.stack}</pre> : <Empty title="The browser sent no stack" compact />}
      </Card>
      <div class="two-columns">
        <TopList title="Top pages" rows={detail.top_pages} />
        <TopList title="Top browsers" rows={detail.top_browsers.map(([browser, count]) => [browser ?? 'Unknown', count])} />
      </div>
      <Card title="Recent reports">
        {detail.recent.length === 0 ? (
          <Empty title="None kept" compact />
        ) : (
          <ol class="occurrences">
            {detail.recent.map((occurrence, i) => (
              <li key={i} class="occurrence">
                <div class="occurrence-head">
                  <span class="nowrap">{formatDateTime(occurrence.ts, site.timezone)}</span>
                  <span class="mono">{occurrence.path}</span>
                  <span class="muted">{[occurrence.browser, occurrence.os].filter(Boolean).join(' · ')}</span>
                  {occurrence.count > 1 && <span class="badge">×{formatNumber(occurrence.count)}</span>}
                  {occurrence.session_id != null && (
                    <a href={href(`site/${site.id}/sessions/${occurrence.session_id}`)} class="occurrence-session">
                      Session
                    </a>
                  )}
                </div>
                {occurrence.breadcrumbs && <JsonDetail text={occurrence.breadcrumbs} summary="Breadcrumbs" />}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
