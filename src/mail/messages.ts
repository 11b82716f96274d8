import type { MailMessage } from './mailer.ts';

export function passwordResetMessage(input: { to: string; resetUrl: string; token: string; ttlSeconds: number }): MailMessage {
  const link = new URL(input.resetUrl);
  link.searchParams.set('token', input.token);
  const minutes = Math.round(input.ttlSeconds / 60);
  return {
    to: input.to,
    subject: 'Reset your password',
    text: [
      'Someone asked to reset the password of the account for this address.',
      '',
      `To choose a new password, open this link within ${minutes} minutes:`,
      '',
      link.toString(),
      '',
      'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

/** Sent after any password change or reset, so a takeover does not go unnoticed. No secret in it. */
export function passwordChangedMessage(input: { to: string; how: 'changed' | 'reset'; at: Date }): MailMessage {
  return {
    to: input.to,
    subject: 'Your password was changed',
    text: [
      `The password of the account for this address was ${input.how} on ${input.at.toUTCString()}.`,
      'Every other session of the account has been logged out.',
      '',
      'If this was you, there is nothing to do.',
      'If it was not, request a password reset now: someone may have access to your account or your mail.',
    ].join('\n'),
  };
}

/** Second factor turned on or off (auth/mfa/): a takeover that removes it must not go unnoticed. No secret in it. */
export function mfaChangedMessage(input: { to: string; enabled: boolean; at: Date }): MailMessage {
  const what = input.enabled ? 'turned on' : 'turned off';
  return {
    to: input.to,
    subject: `Two-factor authentication was ${what}`,
    text: [
      `Two-factor authentication (an authenticator app) was ${what} for the account for this address on ${input.at.toUTCString()}.`,
      'Every other session of the account has been logged out.',
      '',
      'If this was you, there is nothing to do.',
      'If it was not, reset your password now and check the account: someone may have access to it.',
    ].join('\n'),
  };
}

/** A recovery code was used to log in or to change the second factor. */
export function recoveryCodeUsedMessage(input: { to: string; remaining: number; at: Date }): MailMessage {
  return {
    to: input.to,
    subject: 'A recovery code was used',
    text: [
      `A recovery code of the account for this address was used on ${input.at.toUTCString()}.`,
      `${input.remaining} unused recovery code${input.remaining === 1 ? '' : 's'} remain${input.remaining === 1 ? 's' : ''}.`,
      '',
      'If this was you, consider making a new set of recovery codes.',
      'If it was not, someone has your password and a recovery code: reset your password and turn two-factor authentication off and on again.',
    ].join('\n'),
  };
}
