import * as oidc from 'openid-client';
import type { Role } from './roles.js';
import type { OidcConfig } from './security-config.js';
import type { Session, SessionStore } from './session-store.js';

/** A sign-in the hub refuses: the reason goes to the audit log and, in general words, to the person. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly subject = 'unknown',
  ) {
    super(message);
  }
}

interface PendingLogin {
  verifier: string;
  nonce: string;
  redirectUri: string;
  returnTo: string;
  until: number;
}

/**
 * OpenID Connect sign-in for the console: authorization code flow with PKCE (S256), state and nonce, against
 * the service's identity provider. The ID token's signature (the provider's JWKS), issuer, audience, expiry
 * and nonce are checked; a claim maps the person to a role. Tokens stay on the server in the session.
 */
export class OidcSignIn {
  private configuration: Promise<oidc.Configuration> | null = null;
  private readonly pending = new Map<string, PendingLogin>();

  constructor(
    readonly config: OidcConfig,
    readonly sessions: SessionStore,
    /** Replaces fetch for calls to the provider (a proxy, or tests altering answers in transit). */
    private readonly fetchImpl: typeof fetch | null = null,
    private readonly now = Date.now,
  ) {}

  /** Discovery, once; a failure is retried at the next sign-in. */
  provider(): Promise<oidc.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.config.issuer);
      const c = await oidc.discovery(
        issuer,
        this.config.clientId,
        this.config.clientSecret,
        undefined,
        issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
      );
      // The ID token's signature is checked against the provider's keys, not only trusted for coming over TLS.
      oidc.enableNonRepudiationChecks(c);
      if (this.fetchImpl) c[oidc.customFetch] = this.fetchImpl as never;
      return c;
    })().catch((err) => {
      this.configuration = null;
      throw new Error(`identity provider ${this.config.issuer} unreachable: ${(err as Error).message}`, { cause: err });
    });
    return this.configuration;
  }

  /** The provider URL to send the browser to, and the state that binds the callback to this browser. */
  async begin(redirectUri: string, returnTo = '/console'): Promise<{ url: string; state: string }> {
    const c = await this.provider();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    for (const [k, p] of this.pending) if (p.until < this.now()) this.pending.delete(k);
    if (this.pending.size > 10_000) throw new SignInError('too many sign-ins in progress; try again in a minute');
    this.pending.set(state, { verifier, nonce, redirectUri, returnTo, until: this.now() + 10 * 60_000 });
    const url = oidc.buildAuthorizationUrl(c, {
      redirect_uri: redirectUri,
      scope: this.config.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /** The provider sent the browser back: the code is exchanged and the ID token checked; a session starts. */
  async complete(callbackUrl: URL, boundState: string | undefined): Promise<{ cookie: string; session: Session; returnTo: string }> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    const login = this.pending.get(state);
    if (!login || login.until < this.now()) throw new SignInError('unknown or expired sign-in (state); start again');
    if (boundState !== state) throw new SignInError('the sign-in was started in another browser (state cookie does not match)');
    this.pending.delete(state);
    const c = await this.provider();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(c, callbackUrl, {
        pkceCodeVerifier: login.verifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new SignInError(`the identity provider's answer was refused: ${describe(err)}`);
    }
    const claims = tokens.claims();
    if (!claims) throw new SignInError("no ID token in the provider's answer");
    const subject = String(claims[this.config.subjectClaim] ?? claims.sub);
    const role = this.roleOf(claims);
    if (!role)
      throw new SignInError(
        `no role for ${subject}: claim '${this.config.roleClaim}' has none of ${this.config.roles.map((r) => r.claim).join(', ')}`,
        subject,
      );
    const { cookie, session } = this.sessions.create({
      subject,
      role,
      sub: String(claims.sub),
      expiresAt: this.now() + this.config.sessionTtlMs,
      idToken: tokens.id_token!,
      refreshToken: tokens.refresh_token ?? null,
    });
    return { cookie, session, returnTo: login.returnTo };
  }

  /** The first mapped claim value the person has decides the role. */
  roleOf(claims: Record<string, unknown>): Exclude<Role, 'machine'> | null {
    const raw = claims[this.config.roleClaim];
    const values = new Set((Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[ ,]+/) : []).map(String));
    return this.config.roles.find((r) => values.has(r.claim))?.role ?? null;
  }

  /**
   * The session of a cookie, refreshed at the provider when its short lifetime is over (the provider can
   * refuse: the person was signed out or disabled there). Null when there is none or it cannot go on.
   */
  async session(cookie: string): Promise<Session | null> {
    const s = this.sessions.get(cookie);
    if (!s) return null;
    if (s.expiresAt > this.now()) return s;
    if (!s.refreshToken) {
      this.sessions.delete(cookie);
      return null;
    }
    try {
      const tokens = await oidc.refreshTokenGrant(await this.provider(), s.refreshToken);
      const claims = tokens.claims();
      // A refreshed ID token must still name the same person with a role.
      if (claims && (String(claims.sub) !== s.sub || !this.roleOf(claims))) throw new Error('the refreshed identity differs');
      if (claims) s.role = this.roleOf(claims)!;
      s.refreshToken = tokens.refresh_token ?? s.refreshToken;
      if (tokens.id_token) s.idToken = tokens.id_token;
      s.expiresAt = this.now() + this.config.sessionTtlMs;
      return s;
    } catch {
      this.sessions.delete(cookie);
      return null;
    }
  }

  /** Ends the session here; the URL ends it at the provider too (RP-initiated logout). */
  async end(cookie: string, postLogoutRedirectUri: string): Promise<{ session: Session | null; url: string }> {
    const s = this.sessions.delete(cookie);
    const c = await this.provider();
    const url = c.serverMetadata().end_session_endpoint
      ? oidc.buildEndSessionUrl(c, { post_logout_redirect_uri: postLogoutRedirectUri, ...(s ? { id_token_hint: s.idToken } : {}) }).href
      : postLogoutRedirectUri;
    return { session: s, url };
  }
}

/** The error and its causes (the library's outer message is generic; the cause says which check failed). */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (
    let e = err as { message?: string; code?: string; error?: string; error_description?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    parts.push([e.code, e.error, e.error_description ?? e.message].filter(Boolean).join(': '));
  }
  return parts.join(' — ').slice(0, 400);
}
