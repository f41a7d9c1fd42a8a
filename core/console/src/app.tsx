import { useEffect, useMemo, useState } from 'preact/hooks';
import { JumpLink } from './components/jump-link.js';
import { CaseView } from './pages/case-view.js';
import { CasesPage } from './pages/cases.js';
import { DevicesPage } from './pages/devices.js';
import { LanesPage } from './pages/lanes.js';
import { LoginPage } from './pages/login.js';
import { api, setUnauthorizedHandler } from './api.js';
import { clearToken, getToken } from './session.js';
import { Store, useStore } from './store.js';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

const NAV: Array<[string, string]> = [
  ['#/lanes', 'Lanes'],
  ['#/cases', 'Cases'],
  ['#/devices', 'Devices'],
];

function Shell({ onLogout }: { onLogout: () => void }) {
  const store = useMemo(() => new Store(), []);
  useEffect(() => {
    void store.load();
    return () => store.stop();
  }, [store]);
  useStore(store);
  const hash = useHash() || '#/lanes';
  const caseId = /^#\/cases\/(.+)$/.exec(hash)?.[1];
  const section = caseId ? '#/cases' : (NAV.find(([h]) => hash.startsWith(h))?.[0] ?? '#/lanes');
  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [hash]);
  const red = [...store.cases.values()].filter((c) => (c.channel ?? c.risk?.channel) === 'red' && !['inspected', 'released'].includes(c.state)).length;
  const bad = [...store.devices.values()].filter((d) => d.state === 'faulted' || d.state === 'offline').length;
  return (
    <>
      <JumpLink class="skip" to="content">
        Skip to content
      </JumpLink>
      <header class="top">
        <span class="brand">
          customs-hub <span class="muted">{store.checkpoint?.checkpoint.name ?? store.checkpoint?.checkpoint.id ?? ''}</span>
        </span>
        <nav aria-label="Sections">
          {NAV.map(([h, label]) => (
            <a key={h} href={h} aria-current={section === h ? 'page' : undefined}>
              {label}
              {h === '#/cases' && red > 0 && (
                <span class="count count-red" aria-label={`${red} open red cases`}>
                  {red}
                </span>
              )}
              {h === '#/devices' && bad > 0 && (
                <span class="count count-bad" aria-label={`${bad} devices faulted or offline`}>
                  {bad}
                </span>
              )}
            </a>
          ))}
        </nav>
        <span class={`feed feed-${store.feedState}`} role="status">
          feed: {store.feedState}
        </span>
        <button type="button" class="link" onClick={onLogout}>
          Sign out
        </button>
      </header>
      {store.error && (
        <p class="banner banner-bad" role="alert">
          {store.error}
        </p>
      )}
      <div id="content" tabIndex={-1}>
        {caseId ? (
          <CaseView id={decodeURIComponent(caseId)} store={store} />
        ) : section === '#/cases' ? (
          <CasesPage store={store} />
        ) : section === '#/devices' ? (
          <DevicesPage store={store} />
        ) : (
          <LanesPage store={store} />
        )}
      </div>
    </>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(getToken() !== null);
  // After the identity provider's sign-in the browser holds a session cookie instead of a token.
  const [session, setSession] = useState(false);
  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        setSignedIn(false);
        setSession(false);
      }),
    [],
  );
  useEffect(() => {
    if (signedIn) return;
    void api.signInMethods().then(async (m) => {
      if (m.includes('oidc') && (await api.hasSession())) {
        setSession(true);
        setSignedIn(true);
      }
    });
  }, []);
  if (!signedIn) return <LoginPage onLogin={() => setSignedIn(true)} />;
  // Signing out of a session ends it at the identity provider too (the hub redirects there).
  return (
    <Shell
      onLogout={() => {
        if (session) {
          window.location.href = '/auth/logout';
          return;
        }
        clearToken();
        setSignedIn(false);
      }}
    />
  );
}
