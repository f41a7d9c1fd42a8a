import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';

// oidc-provider is ESM; Node ≥ 20.19 requires it from CommonJS.
const Provider = (require('oidc-provider') as { default: new (issuer: string, config: Record<string, unknown>) => any }).default;

export interface TestProvider {
  issuer: string;
  provider: any;
  /** Who the next login interaction signs in as. */
  login: { next: string };
  /** The prompts the provider asked for, in order (login, consent). */
  prompts: string[];
  /** Refresh tokens the provider saved, with their grant ids. */
  grants: string[];
  close(): Promise<void>;
}

/** The people of the test provider and the `roles` claim it gives them. */
export const PEOPLE: Record<string, string[]> = {
  petrov: ['customs-officer'],
  ivanova: ['customs-supervisor', 'customs-officer'],
  sidorov: ['canteen-staff'],
};

/**
 * A real OpenID provider (node-oidc-provider) on a free port, in process: discovery, JWKS, authorization
 * with PKCE, token, refresh, end-session. Its login and consent screens are replaced by an interaction
 * handler that signs in `login.next` at once — the rest of the protocol is the provider's own.
 */
export async function startProvider(clients: Array<Record<string, unknown>>): Promise<TestProvider> {
  const prompts: string[] = [];
  const grants: string[] = [];
  const login = { next: 'petrov' };
  // eslint-disable-next-line prefer-const -- assigned once the server listens: the issuer is its address
  let provider: any;
  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      void interaction(req, res);
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients,
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, name: id, roles: PEOPLE[id] ?? [] }),
    }),
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], roles: ['roles'] },
    scopes: ['openid', 'offline_access', 'profile', 'roles'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx: unknown, client: any) => client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: any, form: string) => {
          ctx.body = `<!DOCTYPE html><html><body>${form}<button form="op.logoutForm" name="logout" value="yes">Sign out</button></body></html>`;
        },
      },
    },
    cookies: { keys: ['test-provider-cookie-key'] },
    jwks: {
      keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }],
    },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, RefreshToken: 3600, IdToken: 600 },
  });
  provider.on('refresh_token.saved', (t: { grantId: string }) => grants.push(t.grantId));

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const details = await provider.interactionDetails(req, res);
      prompts.push(details.prompt.name);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: login.next } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const d = details.prompt.details;
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries((d.missingResourceScopes ?? {}) as Record<string, string[]>))
        grant.addResourceScope(indicator, scopes.join(' '));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  }

  return {
    issuer,
    provider,
    login,
    prompts,
    grants,
    close: () =>
      new Promise((r) => {
        http.closeAllConnections();
        http.close(() => r());
      }),
  };
}

/** A browser as far as redirects and cookies go (cookies per host:port; the test needs no more). */
export class Browser {
  readonly jar = new Map<string, Map<string, string>>();
  /** Set-Cookie headers seen, raw, for checking their attributes. */
  readonly setCookies: string[] = [];

  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    return this.jar.get(host)!;
  }

  /** One request, no redirect following. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const jar = this.cookies(url);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      this.setCookies.push(c);
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects until a page answers or `stopAt` is reached; returns the last response and its URL. */
  async follow(url: string, stopAt?: (url: string) => boolean, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 30; hops++) {
      current = new URL(res.headers.get('location')!, current).href;
      if (stopAt?.(current)) return { res, url: current };
      res = await this.request(current);
    }
    return { res, url: current };
  }
}
