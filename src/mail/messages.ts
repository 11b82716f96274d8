// Every mail the service sends: plain text for every client, and the same words as HTML for
// the ones that show it. Each says why it was sent; a mail with a link names how long the link
// lives. Only the link carries a secret, and only in the mail itself (never in a log line in
// production: mailer.ts).
import type { MailMessage } from './mailer.ts';

/** One block of a mail: a paragraph, or the link (its own line in text, a link in HTML). */
type Block = string | { link: URL };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function compose(to: string, subject: string, blocks: Block[]): MailMessage {
  const text = blocks.map((block) => (typeof block === 'string' ? block : block.link.toString())).join('\n\n');
  const body = blocks
    .map((block) => {
      if (typeof block === 'string') return `<p>${escapeHtml(block)}</p>`;
      const href = escapeHtml(block.link.toString());
      return `<p><a href="${href}">${href}</a></p>`;
    })
    .join('\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${body}\n</body></html>`;
  return { to, subject, text, html };
}

function linkWithToken(base: string, token: string): URL {
  const link = new URL(base);
  link.searchParams.set('token', token);
  return link;
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function passwordResetMessage(input: { to: string; resetUrl: string; token: string; ttlSeconds: number }): MailMessage {
  return compose(input.to, 'Reset your password', [
    'Someone asked to reset the password of the account for this address.',
    `To choose a new password, open this link within ${duration(input.ttlSeconds)}:`,
    { link: linkWithToken(input.resetUrl, input.token) },
    'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
  ]);
}

/** Sent after any password change or reset, so a takeover does not go unnoticed. No secret in it. */
export function passwordChangedMessage(input: { to: string; how: 'changed' | 'reset'; at: Date }): MailMessage {
  return compose(input.to, 'Your password was changed', [
    `The password of the account for this address was ${input.how} on ${input.at.toUTCString()}. Every other session of the account has been logged out.`,
    'If this was you, there is nothing to do.',
    'If it was not, request a password reset now: someone may have access to your account or your mail.',
  ]);
}

/**
 * The link that proves an address: after register or on request (`change` false), or the new
 * address a changeEmail asked for (`change` true), which takes effect only when it is used.
 */
export function verifyEmailMessage(input: {
  to: string;
  verifyUrl: string;
  token: string;
  ttlSeconds: number;
  change: boolean;
}): MailMessage {
  const why = input.change
    ? 'Someone asked to make this the address of their account. The address changes only when this link is used.'
    : 'An account was created with this address, or a new confirmation link was asked for.';
  return compose(input.to, input.change ? 'Confirm your new email address' : 'Confirm your email address', [
    why,
    `To confirm that this address is yours, open this link within ${duration(input.ttlSeconds)} and press the button:`,
    { link: linkWithToken(input.verifyUrl, input.token) },
    'The link works once. If you did not ask for it, ignore this mail: nothing changes.',
  ]);
}

/** To the current address when a change to another is asked for: the owner learns of it before it happens. */
export function emailChangeRequestedMessage(input: { to: string; at: Date }): MailMessage {
  return compose(input.to, 'A change of your email address was asked for', [
    `On ${input.at.toUTCString()}, someone logged in to the account for this address asked to move it to another address. A confirmation link went to that address; the change happens only if it is used.`,
    'If this was you, there is nothing to do here.',
    'If it was not, someone knows your password: change it now, which also ends every other session.',
  ]);
}

export function accountDeletedMessage(input: { to: string; at: Date }): MailMessage {
  return compose(input.to, 'Your account was deleted', [
    `The account for this address was deleted on ${input.at.toUTCString()}, with its sessions and everything kept for it.`,
    'If this was you, there is nothing to do. The address can be used to register again.',
    'If it was not, someone knew your password: register again, and change that password wherever else you use it.',
  ]);
}

/** Second factor turned on or off (auth/mfa/): a takeover that removes it must not go unnoticed. No secret in it. */
export function mfaChangedMessage(input: { to: string; enabled: boolean; at: Date }): MailMessage {
  const what = input.enabled ? 'turned on' : 'turned off';
  return compose(input.to, `Two-factor authentication was ${what}`, [
    `Two-factor authentication (an authenticator app) was ${what} for the account for this address on ${input.at.toUTCString()}. Every other session of the account has been logged out.`,
    'If this was you, there is nothing to do.',
    'If it was not, reset your password now and check the account: someone may have access to it.',
  ]);
}

/** A recovery code was used to log in or to change the second factor. */
export function recoveryCodeUsedMessage(input: { to: string; remaining: number; at: Date }): MailMessage {
  const left = `${input.remaining} unused recovery code${input.remaining === 1 ? '' : 's'} remain${input.remaining === 1 ? 's' : ''}.`;
  return compose(input.to, 'A recovery code was used', [
    `A recovery code of the account for this address was used on ${input.at.toUTCString()}. ${left}`,
    'If this was you, consider making a new set of recovery codes.',
    'If it was not, someone has your password and a recovery code: reset your password and turn two-factor authentication off and on again.',
  ]);
}
