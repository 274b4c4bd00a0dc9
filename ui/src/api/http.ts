// The web backend: commands as POST api/<name> with a CSRF header, live updates over SSE,
// and the owner's login.
import { BackendError, type FailureCode, type LiveConnection, type WebBackend } from './backend';
import { Listeners } from './listeners';
import type { AuthState, Credentials, LiveUpdate, LoggedIn } from './types';

/** Longest wait between two attempts to reopen the live stream. */
const MAX_RECONNECT_MS = 30_000;

async function failure(response: Response): Promise<BackendError> {
  const retryAfter = Number(response.headers.get('Retry-After'));
  const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  let body: { code?: string; message?: string } = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON: describe the status instead.
  }
  const message = body.message ?? `${response.status} ${response.statusText}`.trim();
  const byStatus: Record<number, FailureCode> = { 401: 'unauthorized', 429: 'rate_limited' };
  return new BackendError((body.code as FailureCode | undefined) ?? byStatus[response.status] ?? 'internal', message, seconds);
}

/** Copies through a hidden text area where the async clipboard is not allowed (plain HTTP). */
function copyWithSelection(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new BackendError('unavailable', 'The browser did not allow copying');
}

export function httpBackend(): WebBackend {
  let csrf: string | null = null;
  const unauthorized = new Listeners<void>();
  const live = new Listeners<LiveUpdate>();
  const connection = new Listeners<LiveConnection>();
  let connectionState: LiveConnection = 'connecting';
  let source: EventSource | null = null;
  let reconnectDelay = 1000;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const setConnection = (state: LiveConnection) => {
    connectionState = state;
    connection.emit(state);
  };

  async function send(path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (csrf) headers['X-Skopos-Csrf'] = csrf;
    try {
      return await fetch(path, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch {
      throw new BackendError('network', 'Cannot reach the Skopos server');
    }
  }

  async function json<T>(response: Response): Promise<T> {
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  function openStream(): void {
    source = new EventSource('api/live');
    source.addEventListener('open', () => {
      reconnectDelay = 1000;
      setConnection('open');
    });
    source.addEventListener('live', (event) => {
      live.emit(JSON.parse((event as MessageEvent<string>).data) as LiveUpdate);
    });
    source.addEventListener('error', () => {
      setConnection('reconnecting');
      // The browser retries by itself unless the server refused the stream, which it does
      // when the login is gone: then say so, else try again later.
      if (source?.readyState !== EventSource.CLOSED) return;
      closeStream();
      loginState().then((state) => (state.user ? scheduleReconnect() : unauthorized.emit()), scheduleReconnect);
    });
  }

  function scheduleReconnect(): void {
    reconnectTimer = setTimeout(openStream, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, MAX_RECONNECT_MS);
  }

  async function loginState(): Promise<AuthState> {
    let response: Response;
    try {
      response = await fetch('api/auth/state', { credentials: 'same-origin' });
    } catch {
      throw new BackendError('network', 'Cannot reach the Skopos server');
    }
    if (!response.ok) throw await failure(response);
    const state = await json<AuthState>(response);
    csrf = state.csrf;
    return state;
  }

  function closeStream(): void {
    source?.close();
    source = null;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
  }

  function signedIn(session: LoggedIn): string {
    csrf = session.csrf;
    return session.user;
  }

  async function authenticate(path: string, credentials: Credentials): Promise<string> {
    const response = await send(path, credentials);
    if (!response.ok) throw await failure(response);
    return signedIn(await json<LoggedIn>(response));
  }

  return {
    kind: 'web',
    async call(name, args) {
      const response = await send(`api/${name}`, args);
      if (response.ok) return json(response);
      const error = await failure(response);
      if (error.code === 'unauthorized') unauthorized.emit();
      throw error;
    },
    onLive(listener) {
      const remove = live.add(listener);
      if (!source && !reconnectTimer) openStream();
      return () => {
        remove();
        if (live.size === 0) closeStream();
      };
    },
    onLiveConnection(listener) {
      listener(connectionState);
      return connection.add(listener);
    },
    async copyText(text) {
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        copyWithSelection(text);
      }
    },
    auth: {
      state: loginState,
      register: (credentials) => authenticate('api/auth/register', credentials),
      login: (credentials) => authenticate('api/auth/login', credentials),
      async logout() {
        closeStream();
        const response = await send('api/auth/logout', {});
        csrf = null;
        if (!response.ok && response.status !== 401) throw await failure(response);
      },
      onUnauthorized: (listener) => unauthorized.add(listener),
    },
  };
}
