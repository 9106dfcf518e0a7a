import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface NoticeMail {
  /** Stable per outbox row, so a resend after a crash is recognisably the same message. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

/** Where notices go: an SMTP server, or (no SMTP_URL: development) the log. */
export interface NoticeTransport {
  /** False when nothing leaves the gateway: rows are then marked LOGGED, not SENT. */
  readonly delivers: boolean;
  send(mail: NoticeMail): Promise<void>;
  close(): void;
}

export interface SmtpSettings {
  url: string;
  /** smtp:// only: refuse to send unless the server offers STARTTLS (true unless explicitly relaxed). */
  requireStartTls: boolean;
  /** PEM of the CA that issued the SMTP server's certificate; null: the system's roots. */
  caPath: string | null;
  from: string;
  /** No SMTP conversation may outlive the lease of the row it sends. */
  timeoutMs: number;
}

export function smtpTransport(settings: SmtpSettings): NoticeTransport {
  const transporter = nodemailer.createTransport({
    url: settings.url,
    requireTLS: settings.requireStartTls,
    tls: { minVersion: 'TLSv1.2', ...(settings.caPath ? { ca: fs.readFileSync(settings.caPath, 'utf8') } : {}) },
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  return {
    delivers: true,
    async send(mail) {
      await transporter.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
    },
    close: () => transporter.close(),
  };
}

/** Development: the notice is shown in the console log and kept in the outbox; nothing is sent. */
export function logTransport(logger: Logger): NoticeTransport {
  return {
    delivers: false,
    async send(mail) {
      logger.info({ notice: mail }, 'notice not sent (no SMTP_URL): shown here and kept in the outbox');
    },
    close: () => undefined,
  };
}
