// The app: in a browser the owner logs in first; then the dashboard with its shared state.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Backend, DesktopBackend, WebBackend } from './api/backend';
import type { AuthState, CollectorStatus, UpdateInfo } from './api/types';
import { Loading, ErrorState } from './components/states';
import { AppContext, type AppContextValue } from './lib/app-context';
import { LiveCounts } from './lib/live';
import { navigate } from './lib/router';
import { useFetch } from './lib/use-fetch';
import { Login } from './views/login';
import { Shell } from './views/shell';

export function App({ backend }: { backend: Backend }) {
  return backend.kind === 'web' ? <WebApp backend={backend} /> : <Dashboard backend={backend} onLogout={null} />;
}

/** Web: the auth state decides between the login card and the dashboard. */
function WebApp({ backend }: { backend: WebBackend }) {
  const auth = useFetch<AuthState>(() => backend.auth.state(), [backend]);
  const [user, setUser] = useState<string | null | undefined>(undefined);
  useEffect(() => backend.auth.onUnauthorized(() => setUser(null)), [backend]);

  if (!auth.data) {
    return <div class="center-page">{auth.error ? <ErrorState error={auth.error} retry={auth.reload} /> : <Loading />}</div>;
  }
  const signedIn = user === undefined ? auth.data.user : user;
  if (!signedIn) {
    return <Login backend={backend} firstRun={!auth.data.has_user && user === undefined} onSignedIn={setUser} />;
  }
  const logout = async () => {
    await backend.auth.logout().catch(() => {});
    setUser(null);
  };
  return <Dashboard backend={backend} onLogout={logout} user={signedIn} />;
}

/** Desktop events that change shared state; the rest of the app only calls commands. */
function useDesktopEvents(backend: Backend, setCollector: (status: CollectorStatus) => void, setUpdate: (update: UpdateInfo) => void) {
  useEffect(() => {
    if (backend.kind !== 'desktop') return;
    const desktop: DesktopBackend = backend;
    const stops = [
      desktop.onEvent('update-available', setUpdate),
      desktop.onEvent('collector-status', setCollector),
      desktop.onEvent('navigate', (route) => navigate(route.startsWith('#') ? route : `#${route}`)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [backend]);
}

function Dashboard({ backend, onLogout, user }: { backend: Backend; onLogout: (() => void) | null; user?: string }) {
  const info = useFetch(() => backend.call('app_info', {}), [backend]);
  const sites = useFetch(() => backend.call('list_sites', {}), [backend]);
  const [collector, setCollector] = useState<CollectorStatus | null>(null);
  const [update, setUpdate] = useState<UpdateInfo | null>(null);
  const live = useMemo(() => new LiveCounts(), [backend]);

  useEffect(() => backend.onLive((u) => live.record(u.site_id, u.live_visitors)), [backend, live]);
  useDesktopEvents(backend, setCollector, setUpdate);

  const context: AppContextValue = {
    backend,
    live,
    info: info.data ? { ...info.data, collector: collector ?? info.data.collector } : null,
    reloadInfo: info.reload,
    sites: sites.data ?? [],
    sitesLoaded: sites.data != null,
    reloadSites: sites.reload,
    update,
    setUpdate,
  };
  return (
    <AppContext.Provider value={context}>
      <Shell user={user ?? null} onLogout={onLogout} sitesError={sites.data ? null : sites.error} retrySites={sites.reload} />
    </AppContext.Provider>
  );
}
