// The frame around every view: the sidebar (navigation, live status, theme, logout) and the update banner.
import type { ComponentChildren } from 'preact';
import type { BackendError } from '../api/backend';
import type { Site } from '../api/types';
import { Icon, type IconName } from '../components/icons';
import { Logo } from '../components/logo';
import { ErrorState } from '../components/states';
import { useApp } from '../lib/app-context';
import { formatNumber } from '../lib/format';
import { useLiveConnection, useLiveCount } from '../lib/live';
import { href, useRoute } from '../lib/router';
import { setThemeChoice, useTheme, type ThemeChoice } from '../lib/theme';
import { Routes } from './routes';
import { CollectorBanner } from './collector-banner';
import { UpdateBanner } from './update-banner';

function NavLink({
  to,
  icon,
  label,
  active,
  testId,
  children,
}: {
  to: string;
  icon: IconName;
  label: string;
  active: boolean;
  testId: string;
  children?: ComponentChildren;
}) {
  return (
    <a href={to} class={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined} data-testid={testId}>
      <Icon name={icon} />
      <span class="nav-label">{label}</span>
      {children}
    </a>
  );
}

function SiteLink({ site, active }: { site: Site; active: boolean }) {
  const live = useLiveCount(site.id);
  return (
    <NavLink to={href(`site/${site.id}`)} icon="site" label={site.name} active={active} testId={`nav-site-${site.tracking_id}`}>
      {live ? (
        <span class="nav-live" title={`${live} live visitors`}>
          <span class="live-dot" aria-hidden="true" />
          {formatNumber(live)}
        </span>
      ) : null}
    </NavLink>
  );
}

const THEME_NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_ICON: Record<ThemeChoice, IconName> = { system: 'system', light: 'sun', dark: 'moon' };
const THEME_LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };

function LiveStatus() {
  const connection = useLiveConnection();
  const total = useLiveCount(null);
  if (connection === 'reconnecting') {
    return (
      <span class="live-status reconnecting" role="status">
        <span class="live-dot" aria-hidden="true" />
        Reconnecting…
      </span>
    );
  }
  return (
    <span class="live-status" title="Visitors seen in the last five minutes, all sites">
      <span class="live-dot" aria-hidden="true" />
      {total == null ? 'Live' : `${formatNumber(total)} live now`}
    </span>
  );
}

export function Shell({
  user,
  onLogout,
  sitesError,
  retrySites,
}: {
  user: string | null;
  onLogout: (() => void) | null;
  sitesError: BackendError | null;
  retrySites: () => void;
}) {
  const { sites, info } = useApp();
  const route = useRoute();
  const { choice } = useTheme();
  const [section, id] = route.segments;
  const activeSites = sites.filter((site) => site.archived_at_ms == null);
  const collector = info?.collector;
  return (
    <div class="shell">
      <aside class="sidebar">
        <a class="brand" href="#/" aria-label="Skopos overview">
          <Logo />
          <span>Skopos</span>
        </a>
        <nav class="nav" aria-label="Main">
          <NavLink to="#/" icon="overview" label="Overview" active={section == null} testId="nav-overview" />
          {activeSites.length > 0 && <div class="nav-heading">Sites</div>}
          {activeSites.map((site) => (
            <SiteLink key={site.id} site={site} active={section === 'site' && id === String(site.id)} />
          ))}
          <div class="nav-heading">Manage</div>
          <NavLink to="#/sites" icon="sites" label="Sites" active={section === 'sites'} testId="nav-sites" />
          <NavLink to="#/compare" icon="compare" label="Compare" active={section === 'compare'} testId="nav-compare" />
          <NavLink to="#/settings" icon="settings" label="Settings" active={section === 'settings'} testId="nav-settings" />
        </nav>
        <div class="sidebar-foot">
          <LiveStatus />
          {collector && (
            <span
              class={collector.running ? 'collector-status' : 'collector-status down'}
              title={collector.error ?? `Collector on ${collector.address}`}
            >
              {collector.running ? `Collector · ${collector.address}` : 'Collector stopped'}
            </span>
          )}
          <div class="sidebar-actions">
            <button
              type="button"
              class="icon-button"
              title={`${THEME_LABEL[choice]} (switch to ${THEME_LABEL[THEME_NEXT[choice]].toLowerCase()})`}
              aria-label={`${THEME_LABEL[choice]}; switch to ${THEME_LABEL[THEME_NEXT[choice]].toLowerCase()}`}
              data-testid="theme-toggle"
              onClick={() => setThemeChoice(THEME_NEXT[choice])}
            >
              <Icon name={THEME_ICON[choice]} />
            </button>
            {onLogout && (
              <button
                type="button"
                class="button button-small button-ghost"
                data-testid="logout"
                onClick={onLogout}
                title={user ? `Logged in as ${user}` : undefined}
              >
                <Icon name="logout" size={14} />
                Log out
              </button>
            )}
          </div>
        </div>
      </aside>
      <main class="main" id="main">
        <CollectorBanner collector={collector} />
        <UpdateBanner />
        {sitesError ? <ErrorState error={sitesError} retry={retrySites} /> : <Routes route={route} />}
      </main>
    </div>
  );
}
