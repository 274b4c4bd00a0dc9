// JS errors of a site: groups with their counts in the range, filtered by status.
import type { ErrorStatus } from '../../api/types';
import { activatable } from '../../components/activate';
import { Card } from '../../components/card';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useBackend } from '../../lib/app-context';
import { formatAgo, formatDate, formatNumber } from '../../lib/format';
import { useLiveRefresh } from '../../lib/live';
import { periodOf } from '../../lib/range';
import { navigate, withQuery } from '../../lib/router';
import { usePaged } from '../../lib/use-fetch';
import { RegressionBadge, STATUS_LABELS, StatusBadge } from './error-status';
import type { SiteTabProps } from './site-view';

const PAGE_SIZE = 50;
const FILTERS: (ErrorStatus | 'all')[] = ['open', 'resolved', 'ignored', 'all'];

export function Errors({ site, state, route }: SiteTabProps) {
  const backend = useBackend();
  const asked = route.query.get('status');
  const filter: ErrorStatus | 'all' = (FILTERS as (string | null)[]).includes(asked) ? (asked as ErrorStatus | 'all') : 'open';
  const period = periodOf(state.range);
  const groups = usePaged(
    async (offset, limit) => ({
      items: await backend.call('error_groups', { site_id: site.id, ...period, status: filter === 'all' ? null : filter, offset, limit }),
      total: null,
    }),
    PAGE_SIZE,
    [backend, site.id, JSON.stringify(period), filter],
  );
  useLiveRefresh(groups.reload, site.id, 5000);
  const most = Math.max(1, ...(groups.data ?? []).map((g) => g.period_occurrences));
  const open = (id: number) => navigate(withQuery({ ...route, segments: ['site', String(site.id), 'errors', String(id)] }, {}));
  return (
    <Card
      title="JavaScript errors"
      testId="errors"
      class={groups.loading && groups.data ? 'is-refreshing' : undefined}
      actions={
        <div class="segmented segmented-small" role="group" aria-label="Status">
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              class={f === filter ? 'segment active' : 'segment'}
              aria-pressed={f === filter}
              data-testid={`error-filter-${f}`}
              onClick={() => navigate(withQuery(route, { status: f === 'open' ? null : f }))}
            >
              {f === 'all' ? 'All' : STATUS_LABELS[f]}
            </button>
          ))}
        </div>
      }
    >
      {!groups.data ? (
        groups.error ? (
          <ErrorState error={groups.error} retry={groups.reload} />
        ) : (
          <Loading />
        )
      ) : groups.data.length === 0 ? (
        <Empty title={filter === 'open' ? 'No open errors in this period' : 'No errors here'}>
          {filter === 'open' && 'Nice. The tracking script reports uncaught errors and rejected promises.'}
        </Empty>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Error</th>
                  <th>Status</th>
                  <th class="num">In period</th>
                  <th class="num">Sessions</th>
                  <th class="num">All time</th>
                  <th>First seen</th>
                  <th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {groups.data.map((group) => (
                  <tr key={group.id} {...activatable(() => open(group.id))} data-testid="error-row">
                    <td class="error-cell">
                      <div class="error-message">
                        {group.message}
                        <RegressionBadge regressedAt={group.regressed_at} />
                      </div>
                      {group.source && (
                        <div class="muted mono error-source">
                          {group.source}
                          {group.line != null && `:${group.line}`}
                          {group.col != null && `:${group.col}`}
                        </div>
                      )}
                    </td>
                    <td>
                      <StatusBadge status={group.status} />
                    </td>
                    <td class="num">
                      <span class="inline-bar" aria-hidden="true">
                        <span style={{ width: `${(group.period_occurrences / most) * 100}%` }} />
                      </span>
                      {formatNumber(group.period_occurrences)}
                    </td>
                    <td class="num">{formatNumber(group.affected_sessions)}</td>
                    <td class="num">{formatNumber(group.occurrences)}</td>
                    <td class="nowrap">{formatDate(group.first_seen, site.timezone)}</td>
                    <td class="nowrap">{formatAgo(group.last_seen, Date.now(), site.timezone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {groups.hasMore && (
            <div class="table-more">
              <button type="button" class="button" onClick={groups.more}>
                Load more
              </button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
