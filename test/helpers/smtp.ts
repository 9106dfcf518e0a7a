import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A message the server accepted (answered 250 to, on a connection still open). */
export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  /** The session had switched to TLS (STARTTLS) before the message. */
  overTls: boolean;
}

/**
 * A real SMTP server (npm smtp-server) for the tests: STARTTLS with a certificate of the test CA,
 * no authentication. A message counts as received only when its 250 reaches a live connection,
 * as an MTA takes responsibility for a message only with that answer. `holdMessage(n)` keeps the
 * answer to the n-th message back, so a test can kill the sender while it waits.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private seen = 0;
  private holdAt: number | null = null;
  private held: { mail: ReceivedMail; answer: (error?: Error) => void } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: SMTPServer) {}

  port = 0;

  get url(): string {
    return `smtp://localhost:${this.port}`;
  }

  static async start(tls: { key: string; cert: string }, options: Partial<SMTPServerOptions> = {}): Promise<TestSmtpServer> {
    const server = new SMTPServer({
      key: tls.key,
      cert: tls.cert,
      authOptional: true,
      disabledCommands: ['AUTH'],
      logger: false,
      ...options,
    });
    const self = new TestSmtpServer(server);
    server.onData = (stream, session, callback) => {
      simpleParser(stream).then(
        (parsed) => self.arrived(parsed, session.secure, callback),
        (error: Error) => callback(error),
      );
    };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self.port = (server.server.address() as { port: number }).port;
    return self;
  }

  private arrived(parsed: Awaited<ReturnType<typeof simpleParser>>, overTls: boolean, answer: (error?: Error) => void) {
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    const mail: ReceivedMail = {
      messageId: parsed.messageId ?? '',
      to: to?.value[0]?.address ?? '',
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      overTls,
    };
    this.seen++;
    if (this.seen === this.holdAt) {
      this.held = { mail, answer };
      this.notify();
      return;
    }
    this.received.push(mail);
    answer();
    this.notify();
  }

  /** Keeps back the answer to the n-th message from now on (1: the next one). */
  holdMessage(n: number): void {
    this.holdAt = this.seen + n;
  }

  /** Resolves once a message is being held. */
  async whileHolding(): Promise<ReceivedMail> {
    await this.until(() => this.held !== null);
    return this.held!.mail;
  }

  /** Ends a held message unanswered: its sender is gone, so it was never accepted. */
  async dropHeld(): Promise<void> {
    const held = this.held!;
    this.held = null;
    held.answer(new Error('the client went away before the answer'));
  }

  async untilReceived(count: number, timeoutMs = 60_000): Promise<ReceivedMail[]> {
    await this.until(() => this.received.length >= count, timeoutMs);
    return this.received;
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`the SMTP server gave up waiting (received ${this.received.length})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
