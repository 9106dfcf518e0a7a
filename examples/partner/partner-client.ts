// A partner (連携先) of the bank as an accounting service would write it (docs/partners.md):
// openid-client 6 as a FAPI 2.0 client over undici, every connection presenting the partner's own
// certificate from the bank CA — to the authorization server at /oauth and to /graphql alike, since
// the access token is bound to that certificate (RFC 8705) and is refused from any other.
import crypto from 'node:crypto';
import * as oauth from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';

export interface PartnerClientOptions {
  /** The gateway's API listener, e.g. https://gateway.example-bank.jp:8443 */
  origin: string;
  /** The bank CA (PEM) that issued the gateway's server certificate and ours. */
  caPem: string;
  /** The partner's certificate from the bank CA and its private key (PEM). */
  certificatePem: string;
  privateKeyPem: string;
  /** The client_id the bank's operator got back from registerPartner. */
  clientId: string;
  /** One of the redirect URIs registered with the bank, exactly. */
  redirectUri: string;
  /** The server name in the gateway's certificate, when it differs from the origin's host. */
  servername?: string;
  log?: (line: string) => void;
}

/** What the partner keeps between pushing the request and the customer's return: never shown to anyone. */
export interface PendingAuthorization {
  /** Where to send the customer's browser. */
  url: URL;
  codeVerifier: string;
  state: string;
}

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; reason?: string; retryAfterSeconds?: number; [field: string]: unknown };
}

/** A refusal from /graphql, with the code (docs/errors.md) and, for UNAUTHENTICATED, the reason. */
export class PartnerApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphqlError[],
  ) {
    super(
      errors
        .map((e) => `${e.extensions?.code ?? 'ERROR'}${e.extensions?.reason ? `/${e.extensions.reason}` : ''}: ${e.message}`)
        .join('; '),
    );
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PartnerClient {
  private readonly agent: Agent;
  private readonly fetch: typeof undiciFetch;
  private configuration: oauth.Configuration | null = null;
  private tokens: { accessToken: string; refreshToken: string | null; expiresAt: number; scope: string } | null = null;

  constructor(private readonly options: PartnerClientOptions) {
    // One agent, one certificate: the token is usable only on connections presenting it.
    this.agent = new Agent({
      connect: {
        ca: options.caPem,
        cert: options.certificatePem,
        key: options.privateKeyPem,
        servername: options.servername ?? new URL(options.origin).hostname,
      },
    });
    this.fetch = ((url: string, init: Parameters<typeof undiciFetch>[1]) =>
      undiciFetch(url, { ...init, dispatcher: this.agent })) as typeof undiciFetch;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /**
   * Discovery at /oauth/.well-known/openid-configuration. The client authenticates with its
   * certificate (tls_client_auth) and uses the mtls_endpoint_aliases, as FAPI 2.0 asks.
   */
  async discover(): Promise<oauth.Configuration> {
    this.configuration ??= await oauth.discovery(
      new URL(`${this.options.origin}/oauth`),
      this.options.clientId,
      { use_mtls_endpoint_aliases: true, tls_client_certificate_bound_access_tokens: true },
      oauth.TlsClientAuth(),
      { [oauth.customFetch]: this.fetch as unknown as oauth.CustomFetch },
    );
    return this.configuration;
  }

  /**
   * Pushes the authorization request (PAR, with PKCE S256 and a state) and returns the short URL
   * for the customer's browser: /oauth/authorize?client_id=…&request_uri=… (valid 60 s).
   */
  async startAuthorization(scopes: string[]): Promise<PendingAuthorization> {
    const config = await this.discover();
    const codeVerifier = oauth.randomPKCECodeVerifier();
    const state = oauth.randomState();
    const url = await oauth.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: this.options.redirectUri,
      scope: scopes.join(' '),
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
    });
    return { url, codeVerifier, state };
  }

  /**
   * The customer's browser came back to the redirect URI: checks `iss` and `state`, then exchanges
   * the code (valid 60 s, once) at /oauth/token with the certificate. An `error` in the callback
   * (e.g. access_denied) is thrown as openid-client's AuthorizationResponseError.
   */
  async finishAuthorization(callback: URL, pending: PendingAuthorization): Promise<{ scope: string; expiresIn: number | undefined }> {
    const config = await this.discover();
    const tokens = await oauth.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
    });
    this.keep(tokens);
    return { scope: tokens.scope ?? '', expiresIn: tokens.expiresIn() };
  }

  /** A new access token (5 minutes) from the refresh token, from the same certificate. */
  async refresh(): Promise<void> {
    if (!this.tokens?.refreshToken) throw new Error('no refresh token: the customer must consent again');
    const tokens = await oauth.refreshTokenGrant(await this.discover(), this.tokens.refreshToken);
    this.keep(tokens);
    this.log('access token refreshed');
  }

  /** Ends the partner's side: revoking the refresh token at /oauth/revoke. */
  async revoke(): Promise<void> {
    if (this.tokens?.refreshToken) await oauth.tokenRevocation(await this.discover(), this.tokens.refreshToken);
    this.tokens = null;
  }

  private keep(tokens: oauth.TokenEndpointResponse & oauth.TokenEndpointResponseHelpers): void {
    this.tokens = {
      accessToken: tokens.access_token,
      // The server may rotate the refresh token; keep the one it last gave.
      refreshToken: tokens.refresh_token ?? this.tokens?.refreshToken ?? null,
      expiresAt: Date.now() + (tokens.expiresIn() ?? 0) * 1000,
      scope: tokens.scope ?? '',
    };
  }

  /**
   * One GraphQL operation as the partner: `Authorization: Bearer` on the partner's own TLS
   * connection. The token is refreshed shortly before it expires, and once more when /graphql
   * answers 401 `invalid_token` (e.g. it expired in flight); RATE_LIMITED waits as asked.
   */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    if (!this.tokens) throw new Error('no access token yet: run the authorization first');
    if (this.tokens.expiresAt - Date.now() < 15_000) await this.refresh();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const response = await this.fetch(`${this.options.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.tokens.accessToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: GraphqlError[] };
      const errors = body.errors ?? [];
      const challenge = response.headers.get('www-authenticate') ?? '';
      if (response.status === 401 && challenge.includes('invalid_token') && !refreshed && this.tokens.refreshToken) {
        this.log(`401 ${errors[0]?.extensions?.reason ?? ''}: refreshing the access token once`);
        refreshed = true;
        await this.refresh();
        continue;
      }
      const limited = errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
      if (limited && attempt < 5) {
        const seconds = Number(limited.extensions?.retryAfterSeconds ?? 1);
        this.log(`rate-limited: waiting ${seconds} s as the gateway asks`);
        await sleep(seconds * 1000);
        continue;
      }
      if (errors.length) throw new PartnerApiError(response.status, errors);
      return body.data as T;
    }
  }

  /** The accounts the customer chose on the consent page, with their balances. */
  async accounts(): Promise<Array<{ id: number; branchName: string; accountType: string; accountNumber: string; balance: number }>> {
    const data = await this.graphql<{
      accounts: Array<{ id: number; branchName: string; accountType: string; accountNumber: string; balance: number }>;
    }>('query Accounts { accounts { id branchName accountType accountNumber balance } }');
    return data.accounts;
  }

  /** Every line of an account's statement (入出金明細) in a period, newest first, page by page. */
  async statement(
    accountId: number,
    from: string,
    to: string,
  ): Promise<Array<{ id: number; businessDate: string; amount: number; direction: string; description: string }>> {
    type Line = { id: number; businessDate: string; amount: number; direction: string; description: string };
    const lines: Line[] = [];
    let before: number | null = null;
    do {
      const data: { statement: { items: Line[]; nextCursor: number | null } } = await this.graphql(
        'query Statement($id: Int!, $from: String, $to: String, $before: Int) { statement(accountId: $id, from: $from, to: $to, first: 100, before: $before) { items { id businessDate amount direction description } nextCursor } }',
        { id: accountId, from, to, before },
      );
      lines.push(...data.statement.items);
      before = data.statement.nextCursor;
    } while (before !== null);
    return lines;
  }

  /**
   * A transfer order (payment_initiation). It always waits for a person's approval in the web app
   * (PENDING_APPROVAL); the partner holds no confirmation password and sends "". The idempotency
   * key makes a retry after a lost answer safe.
   */
  async createTransfer(
    input: {
      fromAccountId: number;
      amount: number;
      destinationBankCode: string;
      destinationBranchCode: string;
      destinationAccountType: string;
      destinationAccountNumber: string;
      payeeName: string;
    },
    idempotencyKey: string = crypto.randomUUID(),
  ): Promise<{ id: number; status: string; amount: number; idempotencyKey: string }> {
    const data = await this.graphql<{ createTransfer: { id: number; status: string; amount: number } }>(
      'mutation CreateTransfer($input: CreateTransferInput!, $key: String) { createTransfer(input: $input, confirmationPassword: "", idempotencyKey: $key) { id status amount } }',
      { input, key: idempotencyKey },
    );
    return { ...data.createTransfer, idempotencyKey };
  }

  get grantedScope(): string {
    return this.tokens?.scope ?? '';
  }

  /** The current access token, for a caller that sends its own requests (over this certificate only). */
  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
