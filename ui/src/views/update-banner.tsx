// Desktop only: "Version X is available — Install and restart / Later", installing only after consent.
import { useState } from 'preact/hooks';
import { asBackendError, type BackendError } from '../api/backend';
import { Dialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { useApp } from '../lib/app-context';

export function UpdateBanner() {
  const { backend, update, setUpdate } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [stage, setStage] = useState<'asking' | 'installing' | 'restarting'>('asking');
  const [error, setError] = useState<BackendError | null>(null);
  if (backend.kind !== 'desktop' || !update) return null;

  const install = async () => {
    setStage('installing');
    setError(null);
    try {
      await backend.call('install_update', {});
      setStage('restarting');
    } catch (caught) {
      setError(asBackendError(caught));
      setStage('asking');
    }
  };
  const installing = stage === 'installing';

  return (
    <div class="update-banner" role="status" data-testid="update-banner">
      <Icon name="download" />
      <span>
        <strong>Version {update.version} is available.</strong> You have {update.current_version}.
      </span>
      <span class="update-banner-actions">
        <button type="button" class="button button-small button-primary" data-testid="update-install" onClick={() => setConfirming(true)}>
          Install and restart
        </button>
        <button type="button" class="button button-small button-ghost" data-testid="update-later" onClick={() => setUpdate(null)}>
          Later
        </button>
      </span>
      {confirming && (
        <Dialog
          title={`Install Skopos ${update.version}?`}
          onClose={() => !installing && setConfirming(false)}
          testId="update-dialog"
          actions={
            <>
              <button type="button" class="button" disabled={installing} onClick={() => setConfirming(false)}>
                Not now
              </button>
              <button
                type="button"
                class="button button-primary"
                disabled={stage !== 'asking'}
                data-testid="update-confirm"
                onClick={install}
              >
                {stage === 'asking' ? 'Install and restart' : stage === 'installing' ? 'Installing…' : 'Restarting…'}
              </button>
            </>
          }
        >
          <p>
            Skopos downloads version {update.version}, checks its signature, installs it and restarts. The collector pauses for a few
            seconds; visitors' browsers retry what they could not send.
          </p>
          {update.notes && (
            <>
              <h3 class="subheading">What's new</h3>
              <pre class="release-notes">{update.notes}</pre>
            </>
          )}
          {stage === 'restarting' && <p role="status">Installed. Skopos restarts in a moment.</p>}
          {error && (
            <p class="form-error" role="alert">
              {error.message}
            </p>
          )}
        </Dialog>
      )}
    </div>
  );
}
