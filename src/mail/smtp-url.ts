// How SMTP_URL protects the mail on its way, as nodemailer will read it: the URL goes to
// nodemailer.createTransport as it is (mailer.ts), and this asks nodemailer's own parser, so the
// check at start-up cannot disagree with the transport that is built from the same string.
import { parseConnectionUrl } from 'nodemailer/lib/shared';

export interface SmtpUrlSecurity {
  /** smtps: (TLS from the first byte), or smtp: with `requireTLS=true` (STARTTLS or no mail). */
  encrypted: boolean;
  /** False when `tls.rejectUnauthorized=false` makes any certificate do. */
  verifiesCertificate: boolean;
}

export function smtpUrlSecurityOf(smtpUrl: string): SmtpUrlSecurity {
  const options = parseConnectionUrl(smtpUrl) as { secure?: unknown; requireTLS?: unknown; tls?: { rejectUnauthorized?: unknown } };
  return {
    // Only a plain `true`: `requireTLS=1` or a repeated key would work by accident, not by intent.
    encrypted: options.secure === true || options.requireTLS === true,
    verifiesCertificate: options.tls?.rejectUnauthorized !== false,
  };
}
