// The form that adds or edits a site: name, domain, origins, privacy mode, exclusions, time zone.
import { useMemo, useState } from 'preact/hooks';
import { asBackendError, type BackendError } from '../api/backend';
import type { PrivacyMode, Site, SiteSettings } from '../api/types';
import { LOCALE } from '../lib/locale';

export const PRIVACY_MODES: Record<PrivacyMode, { title: string; text: string }> = {
  strict: {
    title: 'Strict',
    text: 'Counts daily unique visitors. The visitor id is a keyed hash of a salt that changes every day, the site, the IP address and the browser, so nobody can be recognised from one day to the next. Nothing is stored on the visitor’s device.',
  },
  network: {
    title: 'Network',
    text: 'Recognises returning visitors for about a month, approximately: the hash uses the visitor’s network (IPv4 /24, IPv6 /48) and a salt that changes every 30 days. People on one network may count as one visitor. Nothing is stored on their device.',
  },
  persistent: {
    title: 'Persistent',
    text: 'The tracking script keeps a random id in the visitor’s browser, so returning visitors and identified users are recognised across days. This stores an identifier on their device: ask for their consent first.',
  },
};

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);

/** Every IANA zone the browser knows (older engines lack the list: then this one and UTC). */
function timeZones(): string[] {
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [new Intl.DateTimeFormat(LOCALE).resolvedOptions().timeZone];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export function emptySettings(): SiteSettings {
  return {
    name: '',
    domain: '',
    allowed_origins: [],
    privacy_mode: 'strict',
    ip_exclusions: [],
    ignore_localhost: true,
    timezone: new Intl.DateTimeFormat(LOCALE).resolvedOptions().timeZone || 'UTC',
  };
}

/** What the owner edits of a site. */
export function settingsOf(site: Site): SiteSettings {
  const { name, domain, allowed_origins, privacy_mode, ip_exclusions, ignore_localhost, timezone } = site;
  return { name, domain, allowed_origins, privacy_mode, ip_exclusions, ignore_localhost, timezone };
}

export function SiteForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial: SiteSettings;
  submitLabel: string;
  onSubmit: (settings: SiteSettings) => Promise<void>;
}) {
  const [settings, setSettings] = useState(initial);
  const [origins, setOrigins] = useState(initial.allowed_origins.join('\n'));
  const [exclusions, setExclusions] = useState(initial.ip_exclusions.join('\n'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const zones = useMemo(timeZones, []);
  const set = (change: Partial<SiteSettings>) => setSettings({ ...settings, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({
        ...settings,
        name: settings.name.trim(),
        domain: settings.domain.trim(),
        allowed_origins: lines(origins),
        ip_exclusions: lines(exclusions),
      });
    } catch (caught) {
      setError(asBackendError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" data-testid="site-form" onSubmit={submit}>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Name</span>
          <input
            class="input"
            required
            maxLength={100}
            value={settings.name}
            placeholder="My blog"
            data-testid="site-name"
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span class="field-label">Domain</span>
          <input
            class="input"
            required
            value={settings.domain}
            placeholder="blog.example"
            data-testid="site-domain"
            onInput={(e) => set({ domain: e.currentTarget.value })}
          />
          <span class="field-help">The bare host; www. is accepted too.</span>
        </label>
      </div>
      <fieldset class="field">
        <legend class="field-label">Privacy mode</legend>
        <div class="choice-cards">
          {(Object.keys(PRIVACY_MODES) as PrivacyMode[]).map((mode) => (
            <label key={mode} class={settings.privacy_mode === mode ? 'choice-card selected' : 'choice-card'}>
              <input
                type="radio"
                name="privacy_mode"
                value={mode}
                checked={settings.privacy_mode === mode}
                data-testid={`privacy-${mode}`}
                onChange={() => set({ privacy_mode: mode })}
              />
              <strong>{PRIVACY_MODES[mode].title}</strong>
              <span>{PRIVACY_MODES[mode].text}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Other allowed origins</span>
          <textarea
            class="input"
            rows={3}
            value={origins}
            placeholder={'staging.blog.example\n*.blog.example\nlocalhost:3000'}
            data-testid="site-origins"
            onInput={(e) => setOrigins(e.currentTarget.value)}
          />
          <span class="field-help">One per line. Hosts or wildcard subdomains that may send visits besides the domain.</span>
        </label>
        <label class="field">
          <span class="field-label">Excluded IP networks</span>
          <textarea
            class="input mono"
            rows={3}
            value={exclusions}
            placeholder={'203.0.113.0/24\n2001:db8::/32'}
            data-testid="site-exclusions"
            onInput={(e) => setExclusions(e.currentTarget.value)}
          />
          <span class="field-help">One CIDR per line; visits from these networks (your office, say) are not counted.</span>
        </label>
      </div>
      <div class="form-row">
        <label class="field">
          <span class="field-label">Time zone</span>
          <select
            class="input"
            value={settings.timezone}
            data-testid="site-timezone"
            onChange={(e) => set({ timezone: e.currentTarget.value })}
          >
            {!zones.includes(settings.timezone) && <option value={settings.timezone}>{settings.timezone}</option>}
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <span class="field-help">“Today” and daily charts follow this zone.</span>
        </label>
        <label class="checkbox-field">
          <input
            type="checkbox"
            checked={settings.ignore_localhost}
            data-testid="site-ignore-localhost"
            onChange={(e) => set({ ignore_localhost: e.currentTarget.checked })}
          />
          <span>
            <strong>Ignore localhost</strong>
            <span class="field-help">Do not count pages served from localhost (development copies).</span>
          </span>
        </label>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy} data-testid="site-save">
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
