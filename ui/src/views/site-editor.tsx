// Adding a site, or one site's settings with its tracking snippet and archive/restore.
import { useState } from 'preact/hooks';
import { asBackendError, type BackendError } from '../api/backend';
import type { Site } from '../api/types';
import { Card } from '../components/card';
import { CopyButton } from '../components/copy-button';
import { Dialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PublicUrlCheck } from '../components/public-url-check';
import { Empty, ErrorState, Loading } from '../components/states';
import { useApp } from '../lib/app-context';
import { formatDate } from '../lib/format';
import { href, navigate } from '../lib/router';
import { useFetch } from '../lib/use-fetch';
import { SiteForm, emptySettings, settingsOf } from './site-form';

function Snippet({ site }: { site: Site }) {
  const { backend, info } = useApp();
  const snippet = useFetch(() => backend.call('tracking_snippet', { site_id: site.id }), [backend, site.id]);
  return (
    <Card title="Tracking snippet" testId="snippet">
      <p class="muted">
        Paste this into the <code>&lt;head&gt;</code> of every page of {site.domain}. It sets no cookies and respects Do Not Track when
        asked to.
      </p>
      {!snippet.data ? (
        snippet.error ? (
          <ErrorState error={snippet.error} retry={snippet.reload} compact />
        ) : (
          <Loading compact />
        )
      ) : (
        <>
          <div class="code-with-action">
            <pre class="code-block" data-testid="snippet-code">
              {snippet.data.html}
            </pre>
            <CopyButton text={snippet.data.html} testId="copy-snippet" />
          </div>
          <p class="field-help">
            The script loads from <span class="mono">{snippet.data.script_url}</span>.{' '}
            {info?.public_url
              ? 'Check that visitors’ browsers can reach it:'
              : 'No public URL is set, so only this computer can reach the collector. Set one in Settings once a tunnel is running.'}
          </p>
          <PublicUrlCheck url={info?.public_url ?? null} />
        </>
      )}
    </Card>
  );
}

function ArchiveCard({ site }: { site: Site }) {
  const { backend, reloadSites } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const archived = site.archived_at_ms != null;
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await backend.call('archive_site', { site_id: site.id, archived: !archived });
      setConfirming(false);
      reloadSites();
    } catch (caught) {
      setError(asBackendError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={archived ? 'Archived' : 'Archive'}>
      <p class="muted">
        {archived
          ? `Collection stopped on ${formatDate(site.archived_at_ms!)}. The data is kept; restoring resumes collection.`
          : 'Archiving stops collecting visits for this site. Its data is kept and stays in reports; you can restore it at any time.'}
      </p>
      <button
        type="button"
        class={archived ? 'button' : 'button button-danger-outline'}
        data-testid="site-archive"
        disabled={busy}
        onClick={() => (archived ? apply() : setConfirming(true))}
      >
        <Icon name="archive" size={14} />
        {archived ? 'Restore site' : 'Archive site'}
      </button>
      {error && !confirming && (
        <p class="form-error" role="alert">
          {error.message}
        </p>
      )}
      {confirming && (
        <Dialog
          title={`Archive ${site.name}?`}
          onClose={() => setConfirming(false)}
          actions={
            <>
              <button type="button" class="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" class="button button-danger" disabled={busy} onClick={apply} data-testid="confirm-archive">
                Archive
              </button>
            </>
          }
        >
          <p>Visits to {site.domain} will no longer be collected. Everything collected so far is kept.</p>
          {error && (
            <p class="form-error" role="alert">
              {error.message}
            </p>
          )}
        </Dialog>
      )}
    </Card>
  );
}

export function SiteEditor({ siteId }: { siteId: number | null }) {
  const { backend, sites, sitesLoaded, reloadSites } = useApp();
  const [saved, setSaved] = useState(false);
  const back = { href: '#/sites', label: 'Sites' };
  if (siteId == null) {
    return (
      <div class="page narrow">
        <PageHeader back={back} title="Add a site" subtitle="You get its tracking snippet next." />
        <Card>
          <SiteForm
            initial={emptySettings()}
            submitLabel="Add site"
            onSubmit={async (settings) => {
              const site = await backend.call('create_site', { settings });
              reloadSites();
              navigate(href(`sites/${site.id}`));
            }}
          />
        </Card>
      </div>
    );
  }
  const site = sites.find((s) => s.id === siteId);
  if (!site) return sitesLoaded ? <Empty title="This site does not exist" /> : <Loading />;
  return (
    <div class="page narrow">
      <PageHeader
        back={back}
        title={site.name}
        subtitle={
          <>
            Tracking id <span class="mono">{site.tracking_id}</span>
          </>
        }
        actions={
          <a class="button" href={href(`site/${site.id}`)}>
            Open dashboard
          </a>
        }
      />
      <Snippet site={site} />
      <Card title="Settings">
        <SiteForm
          key={site.id}
          initial={settingsOf(site)}
          submitLabel={saved ? 'Saved' : 'Save changes'}
          onSubmit={async (next) => {
            await backend.call('update_site', { site_id: site.id, settings: next });
            reloadSites();
            setSaved(true);
            setTimeout(() => setSaved(false), 2000);
          }}
        />
      </Card>
      <ArchiveCard site={site} />
    </div>
  );
}
