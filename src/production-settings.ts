// Settings that are fine on a developer's machine and unsafe in production, refused when
// NODE_ENV=production (loadConfig reports them with every other bad value). Values are never
// echoed: SMTP_URL may carry credentials.
import { smtpUrlSecurityOf } from './mail/smtp-url.ts';

export interface ProductionSettings {
  isProduction: boolean;
  bcryptCost: string | undefined;
  /** With its default applied: the default is a development address. */
  passwordResetUrl: string;
  /** With its default applied, likewise. */
  emailVerificationUrl: string;
  smtpUrl: string | undefined;
  /** As set, unset meaning the development default (localhost, Auth API, http://localhost:<PORT>). */
  webauthn: { rpId: string | undefined; rpName: string | undefined; origins: string | undefined };
  /** Presence only: its format is MFA_ENCRYPTION_KEY's own check. */
  mfaEncryptionKey: string | undefined;
}

export function productionProblems(settings: ProductionSettings): string[] {
  if (!settings.isProduction) return [];
  return [
    ...bcryptCostProblems(settings.bcryptCost),
    ...httpsLinkProblems('PASSWORD_RESET_URL', settings.passwordResetUrl, true),
    ...httpsLinkProblems('EMAIL_VERIFICATION_URL', settings.emailVerificationUrl, true),
    ...smtpUrlProblems(settings.smtpUrl),
    ...webAuthnProblems(settings.webauthn),
    ...(settings.mfaEncryptionKey === undefined ? [MFA_KEY_REQUIRED] : []),
  ];
}

/**
 * Passkeys are bound to the RP ID for good: made on a development default they would never
 * work on the real domain, and a localhost RP ID or an http: origin is a development setup.
 * The name is what the user's authenticator shows; it must be the service's own.
 */
function webAuthnProblems(webauthn: ProductionSettings['webauthn']): string[] {
  const problems: string[] = [];
  if (webauthn.rpId === undefined || webauthn.rpId.toLowerCase() === 'localhost') {
    problems.push('WEBAUTHN_RP_ID: must be set to the domain of the service when NODE_ENV=production (the default is localhost)');
  }
  if (webauthn.rpName === undefined) {
    problems.push('WEBAUTHN_RP_NAME: must be set to the name users know the service by when NODE_ENV=production');
  }
  if (webauthn.origins === undefined) {
    problems.push('WEBAUTHN_ORIGINS: must list the https:// origins of the pages that use passkeys when NODE_ENV=production');
  } else if (webauthn.origins.split(',').some((origin) => protocolOf(origin.trim()) !== 'https:')) {
    problems.push('WEBAUTHN_ORIGINS: every origin must be https:// when NODE_ENV=production');
  }
  return problems;
}

/**
 * Without it, production would have to generate a key of its own: one per instance (secrets one
 * instance sealed would not open on another) and lost with the container. Refused instead.
 */
const MFA_KEY_REQUIRED =
  'MFA_ENCRYPTION_KEY: required when NODE_ENV=production (32 random bytes in base64, the same on every instance: openssl rand -base64 32)';

function bcryptCostProblems(raw: string | undefined): string[] {
  const cost = Number(raw ?? '12');
  return Number.isInteger(cost) && cost < 10 ? ['BCRYPT_COST: must be at least 10 when NODE_ENV=production'] : [];
}

/**
 * The one rule for every link the service mails (PASSWORD_RESET_URL, EMAIL_VERIFICATION_URL): the link carries a live token, and over http: anyone on the path reads it and uses it
 * first. Loopback hosts get no exception: a mailed link is opened on the user's machine, where
 * localhost is not this service. A value that is no URL at all is left to the variable's own
 * check, so it is reported once.
 */
export function httpsLinkProblems(variable: string, value: string, isProduction: boolean): string[] {
  if (!isProduction || protocolOf(value) !== 'http:') return [];
  return [
    `${variable}: must be an https: URL when NODE_ENV=production (the mailed link carries a token that anyone on an http path could read): set it to the https:// address of the page`,
  ];
}

function smtpUrlProblems(smtpUrl: string | undefined): string[] {
  if (smtpUrl === undefined || protocolOf(smtpUrl) === null) return [];
  const security = smtpUrlSecurityOf(smtpUrl);
  const problems: string[] = [];
  if (!security.encrypted) {
    // Without requireTLS nodemailer uses STARTTLS only when the server offers it, and whoever
    // sits on the path can strip the offer: reset tokens and SMTP credentials then go in clear.
    problems.push('SMTP_URL: must be encrypted when NODE_ENV=production: use smtps://host:465, or add ?requireTLS=true to an smtp:// URL');
  }
  if (!security.verifiesCertificate) {
    problems.push('SMTP_URL: tls.rejectUnauthorized=false accepts any certificate: remove it when NODE_ENV=production');
  }
  return problems;
}

function protocolOf(value: string): string | null {
  try {
    return new URL(value).protocol;
  } catch {
    return null;
  }
}
