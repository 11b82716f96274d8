// The second factor's steps most of its tests begin with: an account with MFA on, and the code
// its authenticator app would show now. Codes come from oathtool (oathtool.ts), at the instant
// of the app's TestClock.
import { ScureBase32Plugin } from 'otplib';
import type { Agent, TestApp } from './app.ts';
import { errorOf } from './errors.ts';
import { oathtoolCode } from './oathtool.ts';
import { ConfirmTotpEnrollment, Login, StartTotpEnrollment, VerifyMfa, ada } from './operations.ts';

/** The code the user's app shows at the app's current (test) time. */
export function currentCode(api: TestApp, secret: string): string {
  return oathtoolCode(secret, api.clock.now());
}

/** The raw key behind a base32 secret, to look for it in the database. */
export function secretBytes(secret: string): Buffer {
  return Buffer.from(new ScureBase32Plugin().decode(secret));
}

/**
 * Ada signed in on a new agent, with TOTP enrolled and confirmed. The clock is then moved to the
 * next time step, so the test's first code is not the one confirmation used up.
 */
export async function enrolled(api: TestApp, options: { email?: string; password?: string } = {}) {
  const credentials = { email: options.email ?? ada.email, password: options.password ?? ada.password };
  const browser = await api.signedIn(credentials);
  const started = await browser.gql(StartTotpEnrollment, { currentPassword: credentials.password });
  const enrollment = started.data?.startTotpEnrollment;
  if (!enrollment) throw new Error(`enrolled: startTotpEnrollment refused: ${JSON.stringify(errorOf(started))}`);
  const confirmed = await browser.gql(ConfirmTotpEnrollment, { code: currentCode(api, enrollment.secret) });
  const recoveryCodes = confirmed.data?.confirmTotpEnrollment;
  if (!recoveryCodes) throw new Error(`enrolled: confirmTotpEnrollment refused: ${JSON.stringify(errorOf(confirmed))}`);
  api.clock.advanceSeconds(30);
  return { browser, secret: enrollment.secret, uri: enrollment.uri, recoveryCodes, credentials };
}

/** A new agent that gave the right password and holds only the challenge cookie. */
export async function challenged(api: TestApp, credentials: { email: string; password: string } = ada): Promise<Agent> {
  const browser = api.agent('second-step');
  const login = await browser.gql(Login, credentials);
  if (errorOf(login)?.code !== 'MFA_REQUIRED') throw new Error(`challenged: login answered ${JSON.stringify(errorOf(login))}`);
  return browser;
}

/** A new agent through both steps of a login with a code (default: the current TOTP code). */
export async function loggedInWithMfa(api: TestApp, secret: string, code = currentCode(api, secret)): Promise<Agent> {
  const browser = await challenged(api);
  const verified = await browser.gql(VerifyMfa, { code });
  if (errorOf(verified) !== null) throw new Error(`loggedInWithMfa: verifyMfa answered ${JSON.stringify(errorOf(verified))}`);
  return browser;
}
