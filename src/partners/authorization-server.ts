import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { errors, Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { fingerprintOfDer } from '../pki/certificate-authority';
import type { Database } from '../db/database';
import { OAuthAdapter } from './oauth-adapter';
import { oauthKeys } from './oauth-keys';
import { PartnerClients } from './partner-clients';
import { PARTNER_SCOPES } from './partner-scopes';
import { extend } from '../common/extend';

/** Where the authorization server lives on the API listener; the issuer is the listener's origin plus this. */
export const OAUTH_PATH = '/oauth';

/** The endpoints under OAUTH_PATH (the provider's names, our paths). */
const ROUTES = {
  authorization: '/authorize',
  pushed_authorization_request: '/par',
  token: '/token',
  revocation: '/revoke',
  jwks: '/jwks',
} as const;

/** The adapter model keeping which certificate's browser an interaction (a consent to give) belongs to. */
export const CONSENT_BROWSER = 'ConsentBrowser';

/** Lifetimes in seconds. FAPI 2.0 §5.3.2.1: codes at most 60 s. */
const TTL = {
  AuthorizationCode: 60,
  PushedAuthorizationRequest: 60,
  Interaction: 10 * 60,
  Session: 10 * 60,
  AccessToken: 5 * 60,
};

/**
 * The provider keeps a grant and its refresh tokens this long past the consent's own end
 * (PARTNER_CONSENT_DAYS, partner_grants): /graphql honours the consent alone, and a consent the
 * customer renews late works again without the partner asking anew.
 */
const GRACE_DAYS = 365;
const DAY_SECONDS = 24 * 3600;

/** The certificate of the TLS connection the request came on (verified against the bank CA at the handshake). */
function connectionCertificate(ctx: KoaContextWithOIDC): X509Certificate | undefined {
  const raw = (ctx.req.socket as TLSSocket).getPeerCertificate?.()?.raw;
  return raw ? new X509Certificate(raw) : undefined;
}

/** A subject DN as registered for a partner: Node's form, one RDN after another, joined by ', '. */
export function subjectDnOf(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * What the customer's browser sees when the authorization request cannot even be sent back to
 * the partner: in Japanese, the OAuth error code only (no description, no detail of the request).
 */
function renderError(ctx: KoaContextWithOIDC, out: { error: string }): void {
  const code = out.error.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
  ctx.type = 'html';
  ctx.body =
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>連携を開始できません</title></head><body>' +
    '<h1>連携を開始できません</h1><p>連携先のサービスに戻り、はじめからやり直してください。</p>' +
    `<p>エラーコード: <code>${code}</code></p></body></html>`;
}

/**
 * The FAPI 2.0 Security Profile as oidc-provider implements it (features.fapi '2.0'), and what
 * the profile leaves to us: PAR required, PKCE (S256 only, the provider offers no other), client
 * authentication by the partner's bank certificate (tls_client_auth) or its keys
 * (private_key_jwt), every access token bound to the certificate it was asked for on
 * (RFC 8705 cnf.x5t#S256), no CORS anywhere, refresh tokens for the client they were issued to.
 * self_signed_tls_client_auth needs a listener that lets unknown certificates through the
 * handshake, which the API listener never does: a partner's certificate comes from the bank CA.
 */
export function authorizationServerConfiguration(
  db: Database,
  secret: Buffer,
  issuer: string,
  resource: string,
  consentDays: number,
): Configuration {
  const keys = oauthKeys(secret);
  const aliases = {
    token_endpoint: ROUTES.token,
    pushed_authorization_request_endpoint: ROUTES.pushed_authorization_request,
    revocation_endpoint: ROUTES.revocation,
  };
  const clients = new PartnerClients(db);
  return {
    adapter: (model: string) => (model === 'Client' ? clients : new OAuthAdapter(db, model)),
    clientAuthMethods: ['tls_client_auth', 'private_key_jwt'],
    scopes: [...PARTNER_SCOPES],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    routes: ROUTES,
    ttl: extend(TTL, { Grant: (consentDays + GRACE_DAYS) * DAY_SECONDS, RefreshToken: (consentDays + GRACE_DAYS) * DAY_SECONDS }),
    pkce: { required: () => true },
    cookies: { keys: keys.cookieKeys, long: { signed: true, sameSite: 'lax' }, short: { signed: true, sameSite: 'lax' } },
    jwks: { keys: [keys.signingKey] },
    // The whole API listener is mutual TLS: the aliases are the endpoints themselves (RFC 8705 §5).
    discovery: { mtls_endpoint_aliases: Object.fromEntries(Object.entries(aliases).map(([name, path]) => [name, `${issuer}${path}`])) },
    clientBasedCORS: () => false,
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.size > 0,
    features: {
      fapi: { enabled: true, profile: '2.0' },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true, allowUnregisteredRedirectUris: false },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: false,
        getCertificate: connectionCertificate,
        certificateAuthorized: (ctx) => (ctx.req.socket as TLSSocket).authorized === true,
        certificateSubjectMatches: (ctx, property, expected) => {
          const certificate = connectionCertificate(ctx);
          return property === 'tls_client_auth_subject_dn' && certificate !== undefined && subjectDnOf(certificate) === expected;
        },
      },
      // A partner revokes its own tokens only (RFC 7009); doing so ends the whole consent (grant.revoked).
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
          return true;
        },
      },
      // One resource server, /graphql: access tokens for the partner scopes are for it alone.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, requested) => {
          if (requested !== resource) throw new errors.InvalidTarget();
          return { scope: PARTNER_SCOPES.join(' '), audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: TTL.AccessToken };
        },
      },
      devInteractions: { enabled: false },
      // Partners are registered by the bank (partners table), never by themselves.
      registration: { enabled: false },
    },
    renderError,
    interactions: {
      // The consent page in the web app. Which certificate's browser started the request is kept
      // with it: only that certificate's user may consent (partner-consent.service.ts).
      url: async (ctx, interaction) => {
        const certificate = connectionCertificate(ctx);
        await new OAuthAdapter(db, CONSENT_BROWSER).upsert(
          interaction.uid,
          { jti: interaction.uid, iss: certificate ? fingerprintOfDer(certificate.raw) : '' },
          TTL.Interaction,
        );
        return `/#/partners/consent/${interaction.uid}`;
      },
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  };
}

/**
 * The authorization server on the API listener. Its issuer is the listener's public origin,
 * known only once the listener is bound, so the provider is made then; until it is, /oauth answers 503.
 */
export class AuthorizationServer {
  private handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  private provider: Provider | null = null;

  constructor(
    private readonly db: Database,
    private readonly secret: Buffer,
    private readonly consentDays: number,
  ) {}

  start(origin: string): void {
    const issuer = `${origin}${OAUTH_PATH}`;
    this.resource = `${origin}/graphql`;
    this.provider = new Provider(issuer, authorizationServerConfiguration(this.db, this.secret, issuer, this.resource, this.consentDays));
    // The provider itself ends a grant when the partner revokes a token of it, or a code is replayed.
    this.provider.on('grant.revoked', (_ctx: unknown, grantId: string) => {
      for (const listener of this.grantRevokedListeners) listener(grantId);
    });
    this.handler = this.provider.callback();
  }

  private readonly grantRevokedListeners: Array<(grantId: string) => void> = [];

  /** Called with the id of each grant the provider ends by itself (not those the bank's code drops). */
  onGrantRevoked(listener: (grantId: string) => void): void {
    this.grantRevokedListeners.push(listener);
  }

  /** The resource server partners' tokens are for: /graphql on this listener. */
  resource = '';

  get issuer(): string | null {
    return this.provider?.issuer ?? null;
  }

  /** The provider, for the consent and the resource server; it exists once the listener is bound. */
  get oidc(): Provider {
    if (!this.provider) throw new Error('the authorization server is not started');
    return this.provider;
  }

  /** For express, mounted at OAUTH_PATH (express takes the path off req.url, as the provider expects). */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (!this.handler) {
      res.writeHead(503, { 'retry-after': '5' }).end();
      return;
    }
    // Partners call from their servers and customers arrive by navigation: nothing here is for
    // scripts of another origin, so no answer carries a CORS grant (the provider gives some before
    // it knows the client) and a preflight is answered without one.
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { allow: 'GET, POST' }).end();
      return;
    }
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name, value) => (/^access-control-/i.test(name) ? res : setHeader(name, value));
    this.handler(req, res);
  }
}
