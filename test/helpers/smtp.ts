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
  /** The Subject header (every subject the service writes is ASCII). */
  subject: string;
}

export type SmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;

/** How long a test waits for a mail before it fails naming the address, well inside testTimeout. */
const MAIL_WAIT_MS = 15_000;

export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters: Array<{ wants: (mail: ReceivedMail) => boolean; deliver: (mail: ReceivedMail) => void }> = [];

  /** Hands a mail to the first waiter that wants it; a mail no one wants waits to be taken. */
  function arrive(mail: ReceivedMail): void {
    received.push(mail);
    const index = waiters.findIndex((waiter) => waiter.wants(mail));
    if (index === -1) return;
    const [waiter] = waiters.splice(index, 1);
    taken.add(mail);
    waiter!.deliver(mail);
  }

  /** The first mail no one has taken that `wants` accepts, now or when it arrives. */
  function take(wants: (mail: ReceivedMail) => boolean, what: string): Promise<ReceivedMail> {
    const waiting = received.find((mail) => !taken.has(mail) && wants(mail));
    if (waiting) {
      taken.add(waiting);
      return Promise.resolve(waiting);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        wants,
        deliver: (mail: ReceivedMail) => {
          clearTimeout(timer);
          resolve(mail);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no ${what} arrived within ${MAIL_WAIT_MS / 1000} s`));
      }, MAIL_WAIT_MS);
      timer.unref();
      waiters.push(waiter);
    });
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
        arrive({ to: session.envelope.rcptTo.map((r) => r.address), raw, subject, text: raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=') });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Every mail received so far, in order, taken or not. */
    received,
    /** The next mail to arrive (or one already here that no one has taken). */
    nextMail: (): Promise<ReceivedMail> => take(() => true, 'mail'),
    /**
     * The next mail addressed to `email` that no one has taken (addresses compared without case),
     * and whose subject matches `subject` when given.
     */
    nextMailTo: (email: string, subject?: RegExp): Promise<ReceivedMail> =>
      take(
        (mail) => mail.to.some((to) => to.toLowerCase() === email.toLowerCase()) && (subject === undefined || subject.test(mail.subject)),
        subject === undefined ? `mail to ${email}` : `mail to ${email} with subject ${subject}`,
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function resetTokenFrom(mail: ReceivedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error('no link with a token in the mail');
  return match[1]!;
}

/** The token of a verification link; the same shape as a reset link's. */
export const verificationTokenFrom = resetTokenFrom;

export const RESET_MAIL = /^Reset your password$/;
export const VERIFICATION_MAIL = /^Confirm your (new )?email address$/;
