// Loading, empty and error states, the same everywhere.
import type { ComponentChildren } from 'preact';
import type { BackendError } from '../api/backend';
import { Icon } from './icons';

export function Loading({ label = 'Loading…', compact = false }: { label?: string; compact?: boolean }) {
  return (
    <div class={compact ? 'state state-compact' : 'state'} data-testid="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children, compact = false }: { title: string; children?: ComponentChildren; compact?: boolean }) {
  return (
    <div class={compact ? 'state state-compact' : 'state'} data-testid="empty">
      <strong class="state-title">{title}</strong>
      {children && <div class="state-body">{children}</div>}
    </div>
  );
}

const ERROR_TITLES: Partial<Record<BackendError['code'], string>> = {
  not_found: 'Not found',
  unavailable: 'Not available right now',
  network: 'Cannot reach Skopos',
  invalid: 'That did not work',
};

export function ErrorState({ error, retry, compact = false }: { error: BackendError; retry?: () => void; compact?: boolean }) {
  return (
    <div class={compact ? 'state state-compact state-error' : 'state state-error'} data-testid="error-state" role="alert">
      <Icon name="alert" size={compact ? 16 : 20} />
      <strong class="state-title">{ERROR_TITLES[error.code] ?? 'Something went wrong'}</strong>
      <div class="state-body">{error.message}</div>
      {retry && (
        <button type="button" class="button button-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
