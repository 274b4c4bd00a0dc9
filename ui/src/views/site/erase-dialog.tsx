// Erasing a visitor or an identified user, after a confirmation that says what goes.
import { useState } from 'preact/hooks';
import { asBackendError, type BackendError } from '../../api/backend';
import type { Erased, Site, Subject } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { useBackend } from '../../lib/app-context';
import { formatNumber } from '../../lib/format';

export function EraseButton({ site, subject, who, onErased }: { site: Site; subject: Subject; who: string; onErased: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="button button-danger" data-testid="erase" onClick={() => setOpen(true)}>
        <Icon name="trash" size={14} />
        {'user' in subject ? 'Erase user' : 'Erase visitor'}
      </button>
      {open && <EraseDialog site={site} subject={subject} who={who} onClose={() => setOpen(false)} onErased={onErased} />}
    </>
  );
}

function EraseDialog({
  site,
  subject,
  who,
  onClose,
  onErased,
}: {
  site: Site;
  subject: Subject;
  who: string;
  onClose: () => void;
  onErased: () => void;
}) {
  const backend = useBackend();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const [erased, setErased] = useState<Erased | null>(null);
  const isUser = 'user' in subject;
  const erase = async () => {
    setBusy(true);
    setError(null);
    try {
      setErased(await backend.call('erase', { site_id: site.id, subject }));
    } catch (caught) {
      setError(asBackendError(caught));
    } finally {
      setBusy(false);
    }
  };
  if (erased) {
    return (
      <Dialog
        title="Erased"
        onClose={onErased}
        testId="erase-done"
        actions={
          <button type="button" class="button button-primary" onClick={onErased}>
            Done
          </button>
        }
      >
        <p>
          Deleted {formatNumber(erased.sessions)} sessions, {formatNumber(erased.events)} events and {formatNumber(erased.error_reports)}{' '}
          error reports of {formatNumber(erased.visitors)} visitor ids. The site's totals no longer count them.
        </p>
      </Dialog>
    );
  }
  return (
    <Dialog
      title={isUser ? `Erase user ${who}?` : `Erase ${who}?`}
      onClose={onClose}
      testId="erase-dialog"
      actions={
        <>
          <button type="button" class="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" class="button button-danger" onClick={erase} disabled={busy} data-testid="confirm-erase">
            {busy ? 'Erasing…' : 'Erase permanently'}
          </button>
        </>
      }
    >
      <p>
        {isUser
          ? `Everything ${site.name} stored about the identified user ${who} is deleted: their profile (name, email, phone, metadata), every visitor id they were seen with, and all sessions, pageviews, events and JavaScript error reports of those visitors.`
          : `Everything ${site.name} stored about this visitor is deleted: all their sessions, pageviews, events and JavaScript error reports, and their profile if they were identified.`}
      </p>
      <p class="muted">Totals and charts are recomputed without them. This cannot be undone.</p>
      {error && (
        <p class="form-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
