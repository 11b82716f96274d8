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
