// One site: its header (live visitors, range, filters), the tabs, and the tab's view.
import type { Site } from '../../api/types';
import { FilterBar } from '../../components/filter-bar';
import { Icon, type IconName } from '../../components/icons';
import { RangePicker } from '../../components/range-picker';
import { Empty, Loading } from '../../components/states';
import { useApp } from '../../lib/app-context';
import { formatNumber } from '../../lib/format';
import { useLiveCount, usePeriodic } from '../../lib/live';
import { readReportState, reportQuery, reportStateQuery, type ReportState } from '../../lib/report-state';
import { href, navigate, withQuery, type Route } from '../../lib/router';
import { useFetch } from '../../lib/use-fetch';
import { Dashboard } from './dashboard';
import { ErrorDetail } from './error-detail';
import { Errors } from './errors';
import { People } from './people';
import { Profile } from './profile';
import { SessionTimelineView } from './session-timeline';
import { Sessions } from './sessions';

type Tab = 'dashboard' | 'sessions' | 'people' | 'errors';

const TABS: { key: Tab; label: string; icon: IconName }[] = [
  { key: 'dashboard', label: 'Dashboard', icon: 'overview' },
  { key: 'sessions', label: 'Sessions', icon: 'list' },
  { key: 'people', label: 'People', icon: 'users' },
  { key: 'errors', label: 'JS errors', icon: 'bug' },
];

/** Seeds the header's live count with today's report, again every minute. */
function LiveVisitors({ site }: { site: Site }) {
  const { backend, live } = useApp();
  const today = useFetch(async () => {
    const summary = await backend.call('summary', { site_id: site.id, filters: [], period: 'today' });
    live.record(site.id, summary.live_visitors);
    return summary;
  }, [backend, site.id]);
  usePeriodic(today.reload, 60_000);
  const count = useLiveCount(site.id);
  return (
    <span class={count ? 'live-pill' : 'live-pill idle'} title="Visitors seen in the last five minutes" aria-live="polite">
      <span class="live-dot" aria-hidden="true" />
      <span data-testid="live-visitors">{count == null ? '–' : formatNumber(count)}</span> live
    </span>
  );
}

export interface SiteTabProps {
  site: Site;
  state: ReportState;
  setState: (state: ReportState) => void;
  route: Route;
}

export function SiteView({ siteId, rest, route }: { siteId: number; rest: string[]; route: Route }) {
  const { sites, sitesLoaded } = useApp();
  const site = sites.find((s) => s.id === siteId);
  if (!site) {
    return sitesLoaded ? (
      <Empty title="This site does not exist">
        <a href="#/sites">See all sites</a>
      </Empty>
    ) : (
      <Loading />
    );
  }
  const state = readReportState(route.query);
  const setState = (next: ReportState) => navigate(withQuery(route, reportStateQuery(next)));
  const [segment, detail] = rest;
  const tab: Tab = TABS.some((t) => t.key === segment) ? (segment as Tab) : 'dashboard';
  const props: SiteTabProps = { site, state, setState, route };
  // Sessions and people open one at a time are not about a range.
  const showRange = tab === 'dashboard' || tab === 'errors' || (tab === 'sessions' && !detail);
  const showFilters = tab === 'dashboard' || (tab === 'sessions' && !detail);
  const linkQuery = reportStateQuery(state);

  return (
    <div class="page" data-testid="site-view">
      <header class="site-header">
        <div class="site-title">
          <h1>{site.name}</h1>
          <a class="muted site-domain" href={`https://${site.domain}`} target="_blank" rel="noreferrer">
            {site.domain}
            <Icon name="external" size={12} />
          </a>
          {site.archived_at_ms != null ? <span class="badge">Archived</span> : <LiveVisitors site={site} />}
        </div>
        {showRange && <RangePicker range={state.range} timeZone={site.timezone} onChange={(range) => setState({ ...state, range })} />}
      </header>
      <nav class="site-tabs" aria-label={`${site.name} sections`}>
        {TABS.map((t) => (
          <a
            key={t.key}
            class={t.key === tab ? 'site-tab active' : 'site-tab'}
            aria-current={t.key === tab ? 'page' : undefined}
            href={href(t.key === 'dashboard' ? `site/${site.id}` : `site/${site.id}/${t.key}`, linkQuery)}
            data-testid={`tab-${t.key}`}
          >
            <Icon name={t.icon} size={14} />
            {t.label}
          </a>
        ))}
      </nav>
      {showFilters && (
        <FilterBar filters={state.filters} onChange={(filters) => setState({ ...state, filters })} query={reportQuery(site.id, state)} />
      )}
      {tab === 'dashboard' && <Dashboard {...props} />}
      {tab === 'sessions' && (detail ? <SessionTimelineView {...props} sessionId={Number(detail)} /> : <Sessions {...props} />)}
      {tab === 'people' && (detail ? <Profile {...props} userId={detail} /> : <People {...props} />)}
      {tab === 'errors' && (detail ? <ErrorDetail {...props} groupId={Number(detail)} /> : <Errors {...props} />)}
    </div>
  );
}
