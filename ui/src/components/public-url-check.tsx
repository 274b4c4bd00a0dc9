// "Does my tunnel URL reach this collector?": asks the backend to fetch the URL's /health.
import { useState } from 'preact/hooks';
import { asBackendError } from '../api/backend';
import type { PublicUrlCheck as CheckResult } from '../api/types';
import { useBackend } from '../lib/app-context';
import { Icon } from './icons';

export function PublicUrlCheck({ url }: { url: string | null }) {
  const backend = useBackend();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CheckResult | null>(null);
  const check = async () => {
    setBusy(true);
    try {
      setResult(await backend.call('check_public_url', { url: url?.trim() || null }));
    } catch (caught) {
      setResult({ url: url ?? '', ok: false, message: asBackendError(caught).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="url-check">
      <button type="button" class="button button-small" onClick={check} disabled={busy} data-testid="check-public-url">
        <Icon name="refresh" size={14} />
        {busy ? 'Checking…' : 'Check public URL'}
      </button>
      {result && (
        <span class={result.ok ? 'url-check-result ok' : 'url-check-result failed'} role="status" data-testid="public-url-result">
          <Icon name={result.ok ? 'check' : 'alert'} size={14} />
          {result.message}
        </span>
      )}
    </div>
  );
}
