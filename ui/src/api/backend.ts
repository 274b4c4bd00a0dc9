// The one interface the dashboard talks to, whichever transport carries it (Tauri IPC or HTTP).
import type { Commands } from './commands';
import type { AuthState, CollectorStatus, Credentials, ErrorCode, LiveUpdate, UpdateInfo } from './types';

export type CommandName = keyof Commands;
export type CommandArgs<K extends CommandName> = Commands[K]['args'];
export type CommandResult<K extends CommandName> = Commands[K]['result'];

/** Why a call failed: the backend's own codes, or that it could not be reached. */
export type FailureCode = ErrorCode | 'network';

export class BackendError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    /** Seconds to wait before trying again (`rate_limited`: too many login attempts). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** Turns anything a call rejected with into a [`BackendError`]. */
export function asBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message } = error as { code: unknown; message: unknown };
    return new BackendError(code as FailureCode, String(message));
  }
  return new BackendError('internal', error instanceof Error ? error.message : String(error));
}

/** The state of the live-update stream, for the "reconnecting" indicator. */
export type LiveConnection = 'connecting' | 'open' | 'reconnecting';

interface BackendBase {
  call<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<CommandResult<K>>;
  /** Subscribes to live updates of every site; returns the unsubscribe function. */
  onLive(listener: (update: LiveUpdate) => void): () => void;
  onLiveConnection(listener: (state: LiveConnection) => void): () => void;
  copyText(text: string): Promise<void>;
}

/** Events only the desktop shell sends. */
export interface DesktopEvents {
  'update-available': UpdateInfo;
  'collector-status': CollectorStatus;
  /** A hash route to show, e.g. from the tray menu. */
  navigate: string;
}

export interface DesktopBackend extends BackendBase {
  kind: 'desktop';
  onEvent<E extends keyof DesktopEvents>(name: E, listener: (payload: DesktopEvents[E]) => void): () => void;
}

export interface WebAuth {
  state(): Promise<AuthState>;
  /** Creates the owner account; offered only while no user exists. */
  register(credentials: Credentials): Promise<string>;
  /** Logs in; resolves to the user name. */
  login(credentials: Credentials): Promise<string>;
  logout(): Promise<void>;
  /** Called whenever the server says the session is gone (HTTP 401). */
  onUnauthorized(listener: () => void): () => void;
}

export interface WebBackend extends BackendBase {
  kind: 'web';
  auth: WebAuth;
}

export type Backend = DesktopBackend | WebBackend;
