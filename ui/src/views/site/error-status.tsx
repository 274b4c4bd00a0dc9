// A JS error group's status and regression badges, and the buttons that triage it.
import { useState } from 'preact/hooks';
import { asBackendError, type BackendError } from '../../api/backend';
import type { ErrorStatus } from '../../api/types';
import { useBackend } from '../../lib/app-context';

export const STATUS_LABELS: Record<ErrorStatus, string> = { open: 'Open', resolved: 'Resolved', ignored: 'Ignored' };

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span class={`badge status-${status}`} data-testid={testId}>
      {STATUS_LABELS[status as ErrorStatus] ?? status}
    </span>
  );
}

export function RegressionBadge({ regressedAt }: { regressedAt: number | null }) {
  return regressedAt == null ? null : (
    <span class="badge badge-danger" title="It was resolved and happened again">
      Regression
    </span>
  );
}

/** Resolve / Ignore for open groups, Reopen for the others. */
export function TriageButtons({
  siteId,
  groupId,
  status,
  onChanged,
}: {
  siteId: number;
  groupId: number;
  status: string;
  onChanged: () => void;
}) {
  const backend = useBackend();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const set = async (next: ErrorStatus) => {
    setBusy(true);
    setError(null);
    try {
      await backend.call('set_error_status', { site_id: siteId, group_id: groupId, status: next });
      onChanged();
    } catch (caught) {
      setError(asBackendError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="button-row">
      {status === 'open' ? (
        <>
          <button type="button" class="button button-primary" disabled={busy} data-testid="error-resolve" onClick={() => set('resolved')}>
            Resolve
          </button>
          <button type="button" class="button" disabled={busy} data-testid="error-ignore" onClick={() => set('ignored')}>
            Ignore
          </button>
        </>
      ) : (
        <button type="button" class="button" disabled={busy} data-testid="error-reopen" onClick={() => set('open')}>
          Reopen
        </button>
      )}
      {error && (
        <span class="form-error" role="alert">
          {error.message}
        </span>
      )}
    </div>
  );
}
