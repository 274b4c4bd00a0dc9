// Identified users of a site (who called `skopos('identify', …)`), searchable.
import { useEffect, useState } from 'preact/hooks';
import { activatable } from '../../components/activate';
import { Card } from '../../components/card';
import { Icon } from '../../components/icons';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useBackend } from '../../lib/app-context';
import { formatAgo, formatDate, formatNumber } from '../../lib/format';
import { href, navigate, withQuery } from '../../lib/router';
import { usePaged } from '../../lib/use-fetch';
import type { SiteTabProps } from './site-view';

const PAGE_SIZE = 50;

export function People({ site, route }: SiteTabProps) {
  const backend = useBackend();
  const search = route.query.get('q') ?? '';
  const [typed, setTyped] = useState(search);
  // The URL follows the search box once typing pauses.
  useEffect(() => {
    if (typed === search) return;
    const timer = setTimeout(() => navigate(withQuery(route, { q: typed.trim() || null })), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const users = usePaged(
    async (offset, limit) => ({
      items: await backend.call('users', { site_id: site.id, search: search || null, offset, limit }),
      total: null,
    }),
    PAGE_SIZE,
    [backend, site.id, search],
  );
  return (
    <Card
      title="People"
      testId="people"
      actions={
        <label class="search">
          <Icon name="search" size={14} />
          <span class="visually-hidden">Search people</span>
          <input
            class="input input-small"
            type="search"
            placeholder="User id, name or email"
            value={typed}
            data-testid="people-search"
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
      }
    >
      {!users.data ? (
        users.error ? (
          <ErrorState error={users.error} retry={users.reload} />
        ) : (
          <Loading />
        )
      ) : users.data.length === 0 ? (
        <Empty title={search ? 'Nobody matches' : 'No identified users yet'}>
          {!search && (
            <>
              Visitors appear here once your site calls <code>skopos('identify', userId, {'{ name, email }'})</code>.
            </>
          )}
        </Empty>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Email</th>
                  <th>First seen</th>
                  <th>Last seen</th>
                  <th class="num">Visitor ids</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => (
                  <tr
                    key={user.user_id}
                    {...activatable(() => navigate(href(`site/${site.id}/people/${encodeURIComponent(user.user_id)}`)))}
                    data-testid="user-row"
                  >
                    <td>
                      <strong>{user.name ?? user.user_id}</strong>
                      {user.name && <span class="muted mono"> {user.user_id}</span>}
                    </td>
                    <td>{user.email ?? '—'}</td>
                    <td class="nowrap">{formatDate(user.first_seen, site.timezone)}</td>
                    <td class="nowrap">{formatAgo(user.last_seen, Date.now(), site.timezone)}</td>
                    <td class="num">{formatNumber(user.visitor_ids)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {users.hasMore && (
            <div class="table-more">
              <button type="button" class="button" onClick={users.more}>
                Load more
              </button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
