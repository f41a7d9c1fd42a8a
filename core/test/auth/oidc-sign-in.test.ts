import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { freePort } from '@customs-hub/sdk/testing';
import { createHub } from '../../src/bootstrap.js';
import type { Hub } from '../../src/hub.js';
import { parseConfig } from '../../src/config/load-config.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { Browser, startProvider, type TestProvider } from './oidc-provider.js';

const SECRET = 'hub-client-secret-for-the-test-provider-0123456789';
const OTHER_SECRET = 'another-application-secret-0123456789abcdef';
const CONSOLE = 'customs-hub-console';

/** What the provider's token endpoint answers may be changed in transit, as an attacker between them would. */
let alterTokenResponse: ((body: Record<string, any>) => Promise<Record<string, any>> | Record<string, any>) | null = null;
const oidcFetch = (async (url: string, init: RequestInit) => {
  const res = await fetch(url, init);
  if (!alterTokenResponse || !url.endsWith('/token')) return res;
  const body = await alterTokenResponse((await res.json()) as Record<string, any>);
  return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}) as typeof fetch;

describe('console sign-in with OpenID Connect (a real provider in process)', function () {
  this.timeout(60000);
  let op: TestProvider;
  let hub: Hub;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'hub-oidc-'));

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    op = await startProvider([
      {
        client_id: 'customs-hub',
        client_secret: SECRET,
        redirect_uris: [`${base}/auth/callback`],
        post_logout_redirect_uris: [`${base}/console`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: 'other-app',
        client_secret: OTHER_SECRET,
        redirect_uris: ['http://127.0.0.1:9/other/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ]);
    const yaml = `checkpoint: { id: OIDC-1 }\ndataDir: ${dir}\nhttp: { host: 127.0.0.1, port: ${port} }\nlogging: { level: silent }
security:
  signIn: oidc
  oidc:
    issuer: ${op.issuer}
    clientId: customs-hub
    clientSecret: \${OIDC_CLIENT_SECRET}
    scopes: openid profile roles
    roleClaim: roles
    roles: { customs-supervisor: supervisor, customs-officer: officer }
    sessionTtlS: 1
`;
    hub = (await createHub(parseConfig(yaml, join(dir, 'hub.yaml'), { OIDC_CLIENT_SECRET: SECRET }).config, { workspaceDir: null, oidcFetch })).hub;
    await hub.start();
  });
  after(async () => {
    await hub?.stop();
    await op?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    alterTokenResponse = null;
  });

  async function signIn(who: string): Promise<{ browser: Browser; res: Response; url: string }> {
    op.login.next = who;
    const browser = new Browser();
    const { res, url } = await browser.follow(`${base}/auth/login`, (u) => u === `${base}/console`);
    return { browser, res, url };
  }
  const auditEntries = async (action: string) => await hub.audit.log.list({ action, limit: 1000 });

  it('signs an officer in (code + PKCE at the provider) with a session cookie, and the API knows them by it', async () => {
    const { browser, url } = await signIn('petrov');
    assert.equal(url, `${base}/console`, 'back at the console');
    const cookie = browser.setCookies.find((c) => c.startsWith('chub_session='))!;
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.doesNotMatch(cookie, /Secure/i, 'Secure only under TLS');
    const cases = await browser.request(`${base}/api/v1/cases`);
    assert.equal(cases.status, 200);
    assert.equal((await browser.request(`${base}/api/v1/audit`)).status, 403, 'an officer is not an auditor');
    const noHeader = await browser.request(`${base}/api/v1/declarations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(noHeader.status, 403, "a change by cookie needs the console's header (no cross-site form can send it)");
    const refer = await browser.request(`${base}/api/v1/cases/01900000-0000-7000-8000-000000000000/referral`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': CONSOLE },
      body: JSON.stringify({ reason: 'x' }),
    });
    assert.equal(refer.status, 404, 'authenticated and authorized: only the case is unknown');
    const [entry] = (await auditEntries('signin')).filter((e) => e.actor.subject === 'petrov');
    assert.ok(entry);
    assert.equal(entry.actor.role, 'officer');
    assert.match(entry.actor.client, /^session:/);
    assert.ok(!JSON.stringify(await hub.audit.log.list({ limit: 1000 })).includes(browser.cookies(base).get('chub_session')!), 'the cookie is never logged');
  });

  it('maps the role claim: the first mapped value decides; someone with no mapped role is refused and it is audited', async () => {
    const { browser } = await signIn('ivanova');
    assert.equal((await browser.request(`${base}/api/v1/approvals`)).status, 200);
    assert.equal((await auditEntries('signin')).at(-1)!.actor.role, 'supervisor');
    const refused = await signIn('sidorov');
    assert.equal(refused.res.status, 403);
    assert.match(await refused.res.text(), /no role for sidorov: claim 'roles' has none of customs-supervisor, customs-officer/);
    assert.ok(!refused.browser.cookies(base).has('chub_session'));
    const failed = (await auditEntries('signin.failed')).at(-1)!;
    assert.equal(failed.actor.subject, 'sidorov');
    assert.match((failed.details as { reason: string }).reason, /no role/);
  });

  it('refreshes an expired session at the provider, and ends it when the provider no longer does', async () => {
    const { browser } = await signIn('petrov');
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal((await browser.request(`${base}/api/v1/cases`)).status, 200, 'expired after 1 s, refreshed');
    // The provider withdraws the grant (the person was disabled): the next refresh fails, the session ends.
    for (const id of op.grants) await (await op.provider.Grant.find(id))?.destroy();
    await new Promise((r) => setTimeout(r, 1300));
    const ended = await browser.request(`${base}/api/v1/cases`);
    assert.equal(ended.status, 401);
    assert.match(((await ended.json()) as { message: string }).message, /session has ended/);
  });

  it('refuses an ID token issued to another application (wrong audience)', async () => {
    op.login.next = 'petrov';
    const browser = new Browser();
    const start = await browser.request(`${base}/auth/login`);
    const authorize = new URL(start.headers.get('location')!);
    // A genuine ID token of the same provider, for the client `other-app`, even with this sign-in's nonce.
    const other = await oidc.discovery(new URL(op.issuer), 'other-app', OTHER_SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = authorize.searchParams.get('nonce')!;
    const authUrl = oidc.buildAuthorizationUrl(other, {
      redirect_uri: 'http://127.0.0.1:9/other/callback',
      scope: 'openid profile roles',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'st',
      nonce,
    });
    const { url } = await new Browser().follow(authUrl.href, (u) => u.startsWith('http://127.0.0.1:9/'));
    const foreign = (await oidc.authorizationCodeGrant(other, new URL(url), { pkceCodeVerifier: verifier, expectedState: 'st', expectedNonce: nonce }))
      .id_token!;
    assert.equal(JSON.parse(Buffer.from(foreign.split('.')[1]!, 'base64url').toString()).aud, 'other-app');
    alterTokenResponse = (body) => ({ ...body, id_token: foreign });
    const { res } = await browser.follow(authorize.href, (u) => u === `${base}/console`);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /answer was refused: .*aud/);
    assert.ok(!browser.cookies(base).has('chub_session'));
  });

  it('refuses a tampered ID token (the payload changed, the signature not)', async () => {
    alterTokenResponse = (body) => {
      const [h, p, s] = String(body.id_token).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.roles = ['customs-supervisor'];
      return { ...body, id_token: [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.') };
    };
    const { res, browser } = await signIn('petrov');
    assert.equal(res.status, 401);
    assert.ok(!browser.cookies(base).has('chub_session'));
    assert.match(((await auditEntries('signin.failed')).at(-1)!.details as { reason: string }).reason, /refused: .*signature/i);
  });

  it('signs out here and at the provider', async () => {
    const { browser } = await signIn('petrov');
    const logout = await browser.request(`${base}/auth/logout`);
    assert.equal(logout.status, 302);
    const endSession = new URL(logout.headers.get('location')!);
    assert.equal(endSession.origin, op.issuer, "to the provider's end-session endpoint");
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal((await browser.request(`${base}/api/v1/cases`)).status, 401, 'the hub session is over');
    // The provider asks to confirm (its own form); confirming ends its session and sends the browser back.
    const page = await (await browser.request(endSession.href)).text();
    const action = /action="([^"]+)"/.exec(page)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1]!;
    const { url } = await browser.follow(new URL(action, op.issuer).href, (u) => u.startsWith(`${base}/console`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `xsrf=${xsrf}&logout=yes`,
    });
    assert.equal(url, `${base}/console`);
    // Signing in again, the provider asks who it is: its session ended too.
    op.prompts.length = 0;
    await browser.follow(`${base}/auth/login`, (u) => u === `${base}/console`);
    assert.equal(op.prompts[0], 'login');
    assert.ok((await auditEntries('signout')).some((e) => e.actor.subject === 'petrov'));
  });

  it('keeps bearer tokens for machines beside the sessions', async () => {
    const { token } = await new TokenStore(hub.db, 'OIDC-1').create('central', ['cases:read']);
    assert.equal((await fetch(`${base}/api/v1/cases`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await fetch(`${base}/api/v1/cases`)).status, 401);
  });
});
