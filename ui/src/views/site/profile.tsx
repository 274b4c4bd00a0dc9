// An identified user's profile: who they are, their metadata, and all their sessions.
import { Card } from '../../components/card';
import { PageHeader } from '../../components/page-header';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useBackend } from '../../lib/app-context';
import { formatDateTime, formatNumber } from '../../lib/format';
import { href, navigate } from '../../lib/router';
import { useFetch } from '../../lib/use-fetch';
import { EraseButton } from './erase-dialog';
import { JsonValue } from './json-detail';
import { SessionsTable } from './sessions-table';
import type { SiteTabProps } from './site-view';
import { Facts } from '../../components/facts';

export function Profile({ site, userId }: SiteTabProps & { userId: string }) {
  const backend = useBackend();
  const profile = useFetch(() => backend.call('user_profile', { site_id: site.id, user_id: userId }), [backend, site.id, userId]);
  const back = { href: href(`site/${site.id}/people`), label: 'People' };
  if (!profile.data) {
    return profile.error ? <ErrorState error={profile.error} retry={profile.reload} /> : <Loading />;
  }
  const user = profile.data;
  const facts: [string, string][] = [
    ['User id', user.user_id],
    ['Name', user.name ?? '—'],
    ['Email', user.email ?? '—'],
    ['Phone', user.phone ?? '—'],
    ['First seen', formatDateTime(user.first_seen, site.timezone)],
    ['Last seen', formatDateTime(user.last_seen, site.timezone)],
    ['Visitor ids', formatNumber(user.visitor_ids)],
  ];
  return (
    <div class="stack" data-testid="visitor-profile">
      <PageHeader
        back={back}
        title={user.name ?? user.user_id}
        subtitle={user.email ?? undefined}
        actions={
          <EraseButton site={site} subject={{ user: user.user_id }} who={user.name ?? user.user_id} onErased={() => navigate(back.href)} />
        }
      />
      <div class="two-columns">
        <Card title="Profile">
          <Facts facts={facts} />
        </Card>
        <Card title="Metadata">{user.metadata ? <JsonValue text={user.metadata} /> : <Empty title="No metadata" compact />}</Card>
      </div>
      <Card title={`Sessions (${formatNumber(user.sessions.length)})`}>
        {user.sessions.length === 0 ? (
          <Empty title="No sessions kept" compact />
        ) : (
          <SessionsTable
            site={site}
            showVisitor={false}
            sessions={user.sessions}
            onOpen={(s) => navigate(href(`site/${site.id}/sessions/${s.id}`))}
          />
        )}
      </Card>
    </div>
  );
}
