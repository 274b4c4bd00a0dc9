// Settings: the collector's address, public URL, trusted proxies and data folder; on the desktop
// also launch at login and updates; the theme everywhere.
import { useEffect, useState } from 'preact/hooks';
import { asBackendError, type BackendError, type DesktopBackend } from '../api/backend';
import type { SettingsChange, SettingsView } from '../api/types';
import { Card } from '../components/card';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PublicUrlCheck } from '../components/public-url-check';
import { ErrorState, Loading } from '../components/states';
import { useApp } from '../lib/app-context';
import { setThemeChoice, useTheme, type ThemeChoice } from '../lib/theme';
import { useFetch } from '../lib/use-fetch';

/** The forwarding headers the collector can believe, as `trusted_proxy` names them. */
const TRUSTED_PROXIES: { value: string; label: string }[] = [
  { value: 'none', label: 'None: visitors connect directly' },
  { value: 'cloudflare', label: 'Cloudflare (CF-Connecting-IP, for cloudflared)' },
  { value: 'x-forwarded-for', label: 'X-Forwarded-For (ngrok, Tailscale Funnel, most proxies)' },
  { value: 'x-real-ip', label: 'X-Real-IP' },
];

function changeOf(settings: SettingsView): SettingsChange {
  const { collector_address, public_url, trusted_proxy, data_dir } = settings;
  return { collector_address, public_url, trusted_proxy, data_dir };
}

function CollectorForm({ settings, onSaved }: { settings: SettingsView; onSaved: (settings: SettingsView) => void }) {
  const { backend, reloadInfo } = useApp();
  const [form, setForm] = useState(changeOf(settings));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const readOnly = !settings.editable;
  const set = (change: Partial<SettingsChange>) => {
    setForm({ ...form, ...change });
    setNotice(null);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = { ...form, public_url: form.public_url?.trim() || null };
      const saved = await backend.call('save_settings', { settings: next });
      onSaved(saved);
      reloadInfo();
      setNotice('Saved. The collector restarted with these settings.');
    } catch (caught) {
      setError(asBackendError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" data-testid="settings-form" onSubmit={submit}>
      {readOnly && (
        <p class="notice">
          <Icon name="info" size={14} />
          These values come from the server’s command-line flags, environment or config file; change them there and restart skopos-server.
        </p>
      )}
      <div class="form-row">
        <label class="field">
          <span class="field-label">Collector address</span>
          <input
            class="input mono"
            value={form.collector_address}
            readOnly={readOnly}
            data-testid="settings-collector-address"
            onInput={(e) => set({ collector_address: e.currentTarget.value })}
          />
          <span class="field-help">
            IP:port the collector listens on, e.g. 127.0.0.1:8787.
          </span>
        </label>
        <label class="field">
          <span class="field-label">Public URL</span>
          <input
            class="input mono"
            type="url"
            value={form.public_url ?? ''}
            placeholder="https://analytics.example.com"
            readOnly={readOnly}
            data-testid="settings-public-url"
            onInput={(e) => set({ public_url: e.currentTarget.value })}
          />
          <span class="field-help">Where visitors’ browsers reach the collector (your tunnel); tracking snippets use it.</span>
        </label>
      </div>
      <PublicUrlCheck url={form.public_url} />
      <div class="form-row">
        <label class="field">
          <span class="field-label">Trusted proxy</span>
          <select
            class="input"
            value={form.trusted_proxy}
            disabled={readOnly}
            data-testid="settings-trusted-proxy"
            onChange={(e) => set({ trusted_proxy: e.currentTarget.value })}
          >
            {!TRUSTED_PROXIES.some((p) => p.value === form.trusted_proxy) && (
              <option value={form.trusted_proxy}>{form.trusted_proxy}</option>
            )}
            {TRUSTED_PROXIES.map((proxy) => (
              <option key={proxy.value} value={proxy.value}>
                {proxy.label}
              </option>
            ))}
          </select>
          <span class="field-help">
            The header a tunnel or reverse proxy in front of the collector names the visitor with. Believed only from loopback or private
            addresses.
          </span>
        </label>
        <label class="field">
          <span class="field-label">Data folder</span>
          <input
            class="input mono"
            value={form.data_dir}
            readOnly={readOnly}
            data-testid="settings-data-dir"
            onInput={(e) => set({ data_dir: e.currentTarget.value })}
          />
          <span class="field-help">Holds skopos.db (shared with skopos-server).</span>
        </label>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error.message}
        </p>
      )}
      {settings.editable && (
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy} data-testid="settings-save">
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          {notice && (
            <span class="form-notice" role="status">
              {notice}
            </span>
          )}
        </div>
      )}
    </form>
  );
}

function LaunchAtLogin({ backend, enabled }: { backend: DesktopBackend; enabled: boolean }) {
  const [value, setValue] = useState(enabled);
  const [error, setError] = useState<BackendError | null>(null);
  const toggle = async (next: boolean) => {
    setError(null);
    try {
      setValue(await backend.call('set_launch_at_login', { enabled: next }));
    } catch (caught) {
      setError(asBackendError(caught));
    }
  };
  return (
    <label class="checkbox-field">
      <input type="checkbox" checked={value} data-testid="launch-at-login" onChange={(e) => toggle(e.currentTarget.checked)} />
      <span>
        <strong>Open Skopos when I log in</strong>
        <span class="field-help">The collector keeps running in the tray when the window is closed.</span>
        {error && <span class="form-error">{error.message}</span>}
      </span>
    </label>
  );
}

function Updates({ backend }: { backend: DesktopBackend }) {
  const { info, setUpdate } = useApp();
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: BackendError | null }>({
    busy: false,
    message: null,
    error: null,
  });
  const check = async () => {
    setState({ busy: true, message: null, error: null });
    try {
      const update = await backend.call('check_update', {});
      setUpdate(update);
      setState({ busy: false, message: update ? `Version ${update.version} is available.` : 'Skopos is up to date.', error: null });
    } catch (caught) {
      setState({ busy: false, message: null, error: asBackendError(caught) });
    }
  };
  return (
    <div class="settings-line">
      <span>
        You have Skopos <strong>{info?.version ?? '…'}</strong>. Updates are signed and installed only when you say so.
      </span>
      <button type="button" class="button button-small" disabled={state.busy} data-testid="check-update" onClick={check}>
        {state.busy ? 'Checking…' : 'Check for updates'}
      </button>
      {state.message && <span role="status">{state.message}</span>}
      {state.error && <span class="form-error">{state.error.message}</span>}
    </div>
  );
}

const THEMES: { key: ThemeChoice; label: string }[] = [
  { key: 'system', label: 'System' },
  { key: 'light', label: 'Light' },
  { key: 'dark', label: 'Dark' },
];

export function Settings() {
  const { backend, info } = useApp();
  const loaded = useFetch(() => backend.call('settings', {}), [backend]);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  useEffect(() => setSettings(loaded.data ?? null), [loaded.data]);
  const { choice } = useTheme();
  return (
    <div class="page narrow">
      <PageHeader title="Settings" />
      <Card title="Collector">
        {!settings ? (
          loaded.error ? (
            <ErrorState error={loaded.error} retry={loaded.reload} />
          ) : (
            <Loading />
          )
        ) : (
          <CollectorForm settings={settings} onSaved={setSettings} />
        )}
      </Card>
      {backend.kind === 'desktop' && (
        <Card title="This computer">
          {settings?.launch_at_login != null && <LaunchAtLogin backend={backend} enabled={settings.launch_at_login} />}
          <Updates backend={backend} />
        </Card>
      )}
      <Card title="Appearance">
        <div class="segmented" role="group" aria-label="Theme">
          {THEMES.map((theme) => (
            <button
              key={theme.key}
              type="button"
              class={choice === theme.key ? 'segment active' : 'segment'}
              aria-pressed={choice === theme.key}
              onClick={() => setThemeChoice(theme.key)}
            >
              {theme.label}
            </button>
          ))}
        </div>
      </Card>
      {info && (
        <Card title="About">
          <dl class="facts">
            <div>
              <dt>Version</dt>
              <dd>{info.version}</dd>
            </div>
            <div>
              <dt>Running as</dt>
              <dd>{info.mode === 'desktop' ? 'Desktop app' : 'Web dashboard of skopos-server'}</dd>
            </div>
            <div>
              <dt>Collector</dt>
              <dd>
                {info.collector.running
                  ? `Listening on ${info.collector.address}`
                  : `Stopped${info.collector.error ? `: ${info.collector.error}` : ''}`}
              </dd>
            </div>
            <div>
              <dt>Data folder</dt>
              <dd class="mono">{info.collector.data_dir}</dd>
            </div>
          </dl>
        </Card>
      )}
    </div>
  );
}
