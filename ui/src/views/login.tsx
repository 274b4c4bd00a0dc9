// Web only: the owner's login, or on first run the form that creates the owner account.
import { useEffect, useState } from 'preact/hooks';
import { asBackendError, type BackendError, type WebBackend } from '../api/backend';
import { Logo } from '../components/logo';

function message(error: BackendError, registering: boolean): string {
  switch (error.code) {
    case 'unauthorized':
      return 'Wrong user name or password.';
    case 'rate_limited':
      return error.retryAfterSeconds
        ? `Too many attempts. Try again in ${error.retryAfterSeconds} seconds.`
        : 'Too many attempts. Wait a moment and try again.';
    case 'conflict':
      return 'An owner account already exists. Log in instead.';
    default:
      return error.message || (registering ? 'Could not create the account.' : 'Could not log in.');
  }
}

export function Login({ backend, firstRun, onSignedIn }: { backend: WebBackend; firstRun: boolean; onSignedIn: (user: string) => void }) {
  const [registering, setRegistering] = useState(firstRun);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const [, tick] = useState(0);

  // Counts the lockout down so the button comes back by itself.
  useEffect(() => {
    if (waitUntil <= Date.now()) return;
    const timer = setInterval(() => (Date.now() >= waitUntil ? setWaitUntil(0) : tick((n) => n + 1)), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);
  const waiting = Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const credentials = { username: username.trim(), password };
      onSignedIn(await (registering ? backend.auth.register(credentials) : backend.auth.login(credentials)));
    } catch (caught) {
      const failure = asBackendError(caught);
      if (failure.code === 'conflict') setRegistering(false);
      if (failure.retryAfterSeconds) setWaitUntil(Date.now() + failure.retryAfterSeconds * 1000);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="center-page">
      <form class="auth-card" data-testid="auth-form" onSubmit={submit} aria-describedby={error ? 'auth-error' : undefined}>
        <div class="auth-brand">
          <Logo size={40} />
          <span>Skopos</span>
        </div>
        <h1>{registering ? 'Create the owner account' : 'Log in'}</h1>
        <p class="muted">
          {registering
            ? 'This is the first visit to this Skopos server. The account you create here is its only login.'
            : 'Your analytics stay on this server.'}
        </p>
        <label class="field">
          <span class="field-label">User name</span>
          <input
            class="input"
            name="username"
            autoComplete="username"
            required
            autoFocus
            value={username}
            data-testid="auth-username"
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            class="input"
            type="password"
            name="password"
            autoComplete={registering ? 'new-password' : 'current-password'}
            required
            minLength={registering ? 8 : undefined}
            value={password}
            data-testid="auth-password"
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          {registering && <span class="field-help">At least 8 characters.</span>}
        </label>
        {error && (
          <p class="form-error" id="auth-error" role="alert" data-testid="auth-error">
            {error.code === 'rate_limited' && waiting > 0
              ? `Too many attempts. Try again in ${waiting} seconds.`
              : message(error, registering)}
          </p>
        )}
        <button type="submit" class="button button-primary button-block" disabled={busy || waiting > 0} data-testid="auth-submit">
          {busy ? 'One moment…' : registering ? 'Create account' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
