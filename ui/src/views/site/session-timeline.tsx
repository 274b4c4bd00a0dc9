// One session: its facts and everything that happened in it, in time order, relative to its start.
import type { Site, TimelineItem } from '../../api/types';
import { Card } from '../../components/card';
import { Icon, type IconName } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { ErrorState, Loading } from '../../components/states';
import { useBackend } from '../../lib/app-context';
import { formatDateTime, formatDuration, formatNumber, formatOffset, formatTime } from '../../lib/format';
import { countryName, flag, languageName, valueLabel } from '../../lib/labels';
import { href, navigate } from '../../lib/router';
import { useFetch } from '../../lib/use-fetch';
import { EraseButton } from './erase-dialog';
import { JsonDetail } from './json-detail';
import { sourceOf, visitorName } from './sessions-table';
import type { SiteTabProps } from './site-view';
import { Facts } from '../../components/facts';

const KIND_ICONS: Record<string, IconName> = {
  pageview: 'file',
  custom: 'zap',
  outbound: 'external',
  download: 'download',
  engagement: 'clock',
  error: 'bug',
};

function describe(item: TimelineItem): string {
  switch (item.kind) {
    case 'pageview':
      return `Viewed ${item.path}`;
    case 'custom':
      return item.name ?? 'Custom event';
    case 'outbound':
      return `Left for ${item.target ?? 'another site'}`;
    case 'download':
      return `Downloaded ${item.target ?? 'a file'}`;
    case 'engagement':
      return 'Engagement time reported';
    case 'error':
      return item.name ?? 'JavaScript error';
    default:
      return item.name ?? item.kind;
  }
}

function TimelineEntry({ item, startedAt, site }: { item: TimelineItem; startedAt: number; site: Site }) {
  return (
    <li class={`timeline-item kind-${item.kind}`} data-testid="timeline-item" data-kind={item.kind}>
      <span class="timeline-time" title={formatTime(item.ts, site.timezone)}>
        {formatOffset(item.ts - startedAt)}
      </span>
      <span class="timeline-icon">
        <Icon name={KIND_ICONS[item.kind] ?? 'zap'} size={14} />
      </span>
      <div class="timeline-body">
        <div class="timeline-title">
          {describe(item)}
          {item.count > 1 && <span class="badge">×{formatNumber(item.count)}</span>}
        </div>
        {item.kind !== 'pageview' && <div class="muted mono timeline-path">on {item.path}</div>}
        {item.detail && (
          <JsonDetail text={item.detail} summary={item.kind === 'error' ? 'Breadcrumbs' : 'Properties'} open={item.kind === 'custom'} />
        )}
      </div>
    </li>
  );
}

export function SessionTimelineView({ site, route, sessionId }: SiteTabProps & { sessionId: number }) {
  const backend = useBackend();
  const timeline = useFetch(
    () => backend.call('session_timeline', { site_id: site.id, session_id: sessionId }),
    [backend, site.id, sessionId],
  );
  const back = { href: href(`site/${site.id}/sessions`, Object.fromEntries(route.query)), label: 'Sessions' };
  if (!timeline.data) {
    return timeline.error ? <ErrorState error={timeline.error} retry={timeline.reload} /> : <Loading />;
  }
  const { session, items } = timeline.data;
  const facts: [string, string][] = [
    ['Started', formatDateTime(session.started_at, site.timezone)],
    ['Duration', formatDuration(session.duration_seconds)],
    ['Engaged', formatDuration(session.engaged_seconds)],
    ['Pageviews', formatNumber(session.pageviews)],
    ['Events', formatNumber(session.events)],
    ['Source', sourceOf(session)],
    ['Campaign', [session.utm_source, session.utm_medium, session.utm_campaign].filter(Boolean).join(' / ') || '—'],
    [
      'Location',
      session.country ? `${flag(session.country)} ${countryName(session.country)}${session.region ? `, ${session.region}` : ''}` : '—',
    ],
    ['Device', [valueLabel('device', session.device), session.browser, session.os].filter(Boolean).join(' · ')],
    ['Language', session.language ? languageName(session.language) : '—'],
    ['Screen', session.screen ?? '—'],
  ];
  return (
    <div class="stack">
      <PageHeader
        back={back}
        title={`Session of ${visitorName(session)}`}
        subtitle={
          session.user_id ? (
            <a href={href(`site/${site.id}/people/${encodeURIComponent(session.user_id)}`)} data-testid="profile-link">
              View profile of {session.user_name ?? session.user_id}
            </a>
          ) : (
            <span class="mono">Visitor id {session.visitor_id}</span>
          )
        }
        actions={
          <EraseButton
            site={site}
            subject={{ visitor: session.visitor_id }}
            who={visitorName(session)}
            onErased={() => navigate(back.href)}
          />
        }
      />
      <div class="session-layout">
        <Card title="Details">
          <Facts facts={facts} />
        </Card>
        <Card title="Timeline">
          <ol class="timeline" data-testid="session-timeline">
            {items.map((item, i) => (
              <TimelineEntry key={i} item={item} startedAt={session.started_at} site={site} />
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}
