// The service sends mail through this interface; main.ts picks the transport from SMTP_URL.
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same words as `text`, for clients that show HTML (messages.ts). */
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Real delivery through an SMTP server (nodemailer). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

/**
 * Development transport: the mail, link included, is written to the log instead of being sent,
 * marked as such (API.md: "SMTP_URL unset: the mail is written to the log"). In production the
 * body is left out, because it carries a live reset token and logs are not a place for secrets.
 */
export function createLogMailer(log: Logger, options: { redactBody: boolean }): Mailer {
  return {
    async send(message) {
      log.warn(
        {
          mailTransport: 'log',
          mail: { to: message.to, subject: message.subject, text: options.redactBody ? '[not logged in production]' : message.text },
        },
        'mail not sent: development transport (set SMTP_URL to deliver mail)',
      );
    },
    close: () => {},
  };
}

export interface MailObserver {
  sent(): void;
  failed(): void;
}

/** The same mailer, telling `observer` how each send ended (metrics); failures still reach the caller. */
export function observeMailer(mailer: Mailer, observer: MailObserver): Mailer {
  return {
    async send(message) {
      try {
        await mailer.send(message);
      } catch (error) {
        observer.failed();
        throw error;
      }
      observer.sent();
    },
    close: () => mailer.close(),
  };
}
