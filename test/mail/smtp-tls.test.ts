// SMTP_URL goes to nodemailer as it is; production accepts an smtp: URL only with requireTLS=true
// (src/production-settings.ts), so that query option must really reach the transport.
import { describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../src/mail/mailer.ts';
import { smtpUrlSecurityOf } from '../../src/mail/smtp-url.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const message = { to: 'ada@example.com', subject: 'Reset your password', text: 'a link with a token', html: '<p>a link with a token</p>' };

describe('SMTP_URL with requireTLS=true', () => {
  it('sends nothing to a server that offers no STARTTLS, where the plain URL sends in clear', async () => {
    const server = await startSmtpServer(); // STARTTLS disabled
    const strict = createSmtpMailer(`${server.url}?requireTLS=true`, 'no-reply@example.com');
    const plain = createSmtpMailer(server.url, 'no-reply@example.com');
    await expect(strict.send(message)).rejects.toThrow(/STARTTLS/);
    await expect(plain.send(message)).resolves.toBeUndefined();
    strict.close();
    plain.close();
    expect(server.received).toHaveLength(1);
  });

  it('is read by nodemailer as the start-up check reads it', () => {
    expect(smtpUrlSecurityOf('smtp://mail:587?requireTLS=true')).toEqual({ encrypted: true, verifiesCertificate: true });
    expect(smtpUrlSecurityOf('smtp://mail:587')).toEqual({ encrypted: false, verifiesCertificate: true });
    expect(smtpUrlSecurityOf('smtps://mail:465?tls.rejectUnauthorized=false')).toEqual({ encrypted: true, verifiesCertificate: false });
  });
});
