import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { setToken } from '../session.js';

/** The officer pastes a token (`customs-hub tokens create`); the hub checks it before the console opens. */
export function LoginPage({ onLogin }: { onLogin: () => void }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState(false);
  useEffect(() => {
    void api.signInMethods().then((m) => setSso(m.includes('oidc')));
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setError('Enter a token.');
      return;
    }
    setBusy(true);
    try {
      await api.check(t);
      setToken(t);
      onLogin();
    } catch (err) {
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 403)
          ? 'The hub refused this token (unknown, expired or revoked, or without read scope).'
          : `Could not reach the hub: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form class="panel login-form" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 tabIndex={-1} id="login-title">
          customs-hub console
        </h1>
        {sso && (
          <p>
            <a class="button" href="/auth/login" data-testid="sso">
              Sign in with the service's identity provider
            </a>
          </p>
        )}
        <p class="muted">
          Sign in with your access token. An administrator creates one with <code>customs-hub tokens create</code>; the demo prints one at start.
        </p>
        <label for="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          autoFocus
          value={token}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby="login-error"
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p id="login-error" class="error" role="alert">
          {error ?? ''}
        </p>
      </form>
    </main>
  );
}
