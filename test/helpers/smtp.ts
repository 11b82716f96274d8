// A real SMTP server in the test process (smtp-server), so mail goes over a real socket
// through nodemailer exactly as in production.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onTestFinished } from 'vitest';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The body with quoted-printable soft line breaks undone. */
  text: string;
}

export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const waiters: Array<(mail: ReceivedMail) => void> = [];
  let taken = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
        };
        received.push(mail);
        const waiter = waiters.shift();
        if (waiter) {
          taken += 1;
          waiter(mail);
        }
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The next mail to arrive (or one already here that no one has taken). */
    nextMail(): Promise<ReceivedMail> {
      return new Promise((resolve) => {
        const waiting = received[taken];
        if (waiting) {
          taken += 1;
          resolve(waiting);
        } else {
          waiters.push(resolve);
        }
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function resetTokenFrom(mail: ReceivedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error('no reset link in the mail');
  return match[1]!;
}
