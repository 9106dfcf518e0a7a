// A small client for the gateway, as an accounting/ERP integration would write it: mutual TLS with
// the certificate the bank issued for this PC, a PIN session sent as a bearer token, GraphQL over
// undici, and the error fields a program acts on (docs/errors.md).
import crypto from 'node:crypto';
import { Agent, request } from 'undici';

export interface GatewayClientOptions {
  /** e.g. https://gateway.example-bank.jp:8443 */
  origin: string;
  /** The bank CA (PEM) that issued the gateway's server certificate and ours. */
  caPem: string;
  certificatePem: string;
  privateKeyPem: string;
  /** The server name in the gateway's certificate, when it differs from the origin's host. */
  servername?: string;
  /** How often to try again after RATE_LIMITED or a lost connection before giving up. */
  maxAttempts?: number;
  log?: (line: string) => void;
}

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; retryAfterSeconds?: number; [field: string]: unknown };
}

/** A refusal the program should not retry blindly: it names the code and keeps the fields. */
export class GatewayError extends Error {
  constructor(readonly errors: GraphqlError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GatewayClient {
  private readonly agent: Agent;
  private token: string | null = null;

  constructor(private readonly options: GatewayClientOptions) {
    this.agent = new Agent({
      connect: {
        ca: options.caPem,
        cert: options.certificatePem,
        key: options.privateKeyPem,
        servername: options.servername ?? new URL(options.origin).hostname,
      },
    });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /**
   * One GraphQL call. RATE_LIMITED is retried after the `retryAfterSeconds` the gateway asks for
   * (also sent as HTTP 429 + Retry-After); a lost connection is retried only when the caller says
   * the operation is safe to repeat (reads, or writes carrying an idempotency key).
   */
  async call<T>(query: string, variables: Record<string, unknown> = {}, { retrySafe = true } = {}): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      let body: { data?: T; errors?: GraphqlError[] };
      try {
        const response = await request(`${this.options.origin}/graphql`, {
          method: 'POST',
          dispatcher: this.agent,
          headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        body = (await response.body.json()) as typeof body;
      } catch (error) {
        if (!retrySafe || attempt >= maxAttempts) throw error;
        this.log(`connection lost (${(error as Error).message}); trying again`);
        await sleep(250 * attempt);
        continue;
      }
      const errors = body.errors ?? [];
      const limited = errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
      if (limited && attempt < maxAttempts) {
        const seconds = Number(limited.extensions?.retryAfterSeconds ?? 1);
        this.log(`rate-limited: waiting ${seconds} s as the gateway asks`);
        await sleep(seconds * 1000);
        continue;
      }
      if (errors.length) throw new GatewayError(errors);
      return body.data as T;
    }
  }

  /** certificate + PIN: the token is sent as a bearer from now on. A PIN check is never retried blindly. */
  async login(pin: string): Promise<{ mustChangePassword: boolean }> {
    const data = await this.call<{ login: { token: string; mustChangePassword: boolean } }>(
      'mutation Login($pin: String!) { login(pin: $pin) { token mustChangePassword } }',
      { pin },
      { retrySafe: false },
    );
    this.token = data.login.token;
    return { mustChangePassword: data.login.mustChangePassword };
  }

  async logout(): Promise<void> {
    if (this.token) await this.call('mutation Logout { logout }');
    this.token = null;
    await this.agent.close();
  }

  /** Every line of an account's statement (入出金明細) in a period, newest first, page by page. */
  async statement(
    accountId: number,
    from: string,
    to: string,
  ): Promise<Array<{ id: number; amount: number; direction: string; balanceAfter: number }>> {
    const lines = [];
    let before: number | null = null;
    do {
      const data: {
        statement: { items: Array<{ id: number; amount: number; direction: string; balanceAfter: number }>; nextCursor: number | null };
      } = await this.call(
        'query Statement($id: Int!, $from: String, $to: String, $before: Int) { statement(accountId: $id, from: $from, to: $to, first: 100, before: $before) { items { id amount direction balanceAfter } nextCursor } }',
        { id: accountId, from, to, before },
      );
      lines.push(...data.statement.items);
      before = data.statement.nextCursor;
    } while (before !== null);
    return lines;
  }

  /**
   * Submits a Zengin 総合振込 file. The idempotency key makes a retry after a lost answer safe: the
   * gateway returns the bulk transfer it already made instead of making a second one.
   */
  async importZenginFile(file: Buffer, fromAccountId: number, confirmationPassword: string, idempotencyKey = crypto.randomUUID()) {
    const data = await this.call<{
      importBulkTransfer: { id: number; status: string; lineCount: number; totalAmount: number; executionDate: string };
    }>(
      'mutation Import($file: String!, $account: Int!, $pw: String!, $key: String) { importBulkTransfer(fileBase64: $file, fromAccountId: $account, confirmationPassword: $pw, idempotencyKey: $key) { id status lineCount totalAmount executionDate } }',
      { file: file.toString('base64'), account: fromAccountId, pw: confirmationPassword, key: idempotencyKey },
      { retrySafe: true },
    );
    return { ...data.importBulkTransfer, idempotencyKey };
  }

  /**
   * A bulk transfer's result as its CSV file (a header row in Japanese, one row per line with
   * its outcome), asked for in UTF-8 (the default is Shift_JIS, for accounting software): a plain
   * HTTPS download, with the same certificate and bearer token as GraphQL. A text cell that a
   * spreadsheet would take for a formula starts with a single quote.
   */
  async bulkTransferResult(id: number): Promise<{ fileName: string | null; csv: string }> {
    const response = await request(`${this.options.origin}/downloads/bulk-transfer/${id}/result?encoding=utf-8`, {
      method: 'GET',
      dispatcher: this.agent,
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    if (response.statusCode !== 200) {
      const body = (await response.body.json()) as { errors?: GraphqlError[] };
      throw new GatewayError(body.errors ?? [{ message: `HTTP ${response.statusCode}` }]);
    }
    const disposition = String(response.headers['content-disposition'] ?? '');
    return { fileName: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null, csv: await response.body.text() };
  }

  /** Polls a bulk transfer by id until it leaves `waitingFor` (or the attempts run out). */
  async waitForBulkTransfer(id: number, waitingFor: string[], { intervalMs = 1000, attempts = 60 } = {}) {
    for (let i = 0; ; i++) {
      const data = await this.call<{ bulkTransfer: { id: number; status: string; failureCode: string | null } }>(
        'query Bulk($id: Int!) { bulkTransfer(id: $id) { id status failureCode } }',
        { id },
      );
      if (!waitingFor.includes(data.bulkTransfer.status) || i + 1 >= attempts) return data.bulkTransfer;
      await sleep(intervalMs);
    }
  }
}
