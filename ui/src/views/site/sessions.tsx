// The sessions explorer: the range's filtered sessions, newest first, a page at a time.
import { Card } from '../../components/card';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useBackend } from '../../lib/app-context';
import { useLiveRefresh } from '../../lib/live';
import { reportQuery } from '../../lib/report-state';
import { navigate, withQuery } from '../../lib/router';
import { usePaged } from '../../lib/use-fetch';
import { SessionsTable } from './sessions-table';
import type { SiteTabProps } from './site-view';

const PAGE_SIZE = 50;

export function Sessions({ site, state, route }: SiteTabProps) {
  const backend = useBackend();
  const query = reportQuery(site.id, state);
  const sessions = usePaged(
    async (offset, limit) => ({ items: await backend.call('sessions', { ...query, offset, limit }), total: null }),
    PAGE_SIZE,
    [backend, JSON.stringify(query)],
  );
  useLiveRefresh(sessions.reload, site.id, 5000);
  const open = (id: number) => navigate(withQuery({ ...route, segments: ['site', String(site.id), 'sessions', String(id)] }, {}));
  return (
    <Card title="Sessions" class={sessions.loading && sessions.data ? 'is-refreshing' : undefined} testId="sessions">
      {!sessions.data ? (
        sessions.error ? (
          <ErrorState error={sessions.error} retry={sessions.reload} />
        ) : (
          <Loading />
        )
      ) : sessions.data.length === 0 ? (
        <Empty title="No sessions in this period">Try a longer range or fewer filters.</Empty>
      ) : (
        <>
          <SessionsTable site={site} sessions={sessions.data} onOpen={(s) => open(s.id)} />
          {sessions.hasMore && (
            <div class="table-more">
              <button type="button" class="button" onClick={sessions.more} data-testid="load-more">
                Load more
              </button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
