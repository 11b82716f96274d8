// The reset page in a real browser (chromium), served by the service on a real port: a person
// follows the mailed link, chooses a new password and the API then takes it. Also what the page
// must never do: use the token on a GET (mail scanners open links), run inline code, or send a
// mistyped confirmation.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { artifactsDir, launchBrowser } from '../helpers/browser.ts';
import { errorOf } from '../helpers/errors.ts';
import { Login, Register, RequestPasswordReset, ResetPassword, ada } from '../helpers/operations.ts';
import { resetTokenFrom } from '../helpers/smtp.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const waitMs = 30_000;
const newPassword = 'a brand new passphrase';
const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A registered ada with a reset requested; returns the link mailed to her. */
async function mailedResetLink(server: TestServer): Promise<string> {
  expect((await server.gql(Register, ada)).data).toBeTruthy();
  expect((await server.gql(RequestPasswordReset, { email: ada.email })).data).toEqual({ requestPasswordReset: true });
  const mail = await server.resetMailTo(ada.email);
  const link = /https?:\/\/\S+[?&]token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(link).toBeDefined();
  expect(link!.startsWith(`${server.config.passwordResetUrl}?token=`)).toBe(true);
  return link!;
}

/** The mailed link on the test server's port (the mail names the configured default, port 4000). */
function onServer(server: TestServer, link: string): string {
  const url = new URL(link);
  return `${server.origin}${url.pathname}${url.search}`;
}

interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  graphqlPosts: unknown[];
}

async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await (await browser.newContext()).newPage();
  const consoleErrors: string[] = [];
  const graphqlPosts: unknown[] = [];
  page.on('console', (entry) => {
    if (entry.type() === 'error') consoleErrors.push(entry.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql') graphqlPosts.push(request.postDataJSON());
  });
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail') await page.screenshot({ path: join(artifactsDir, 'reset-password-failure.png') });
  });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  await page.locator('#reset-form').waitFor({ timeout: waitMs });
  return { page, consoleErrors, graphqlPosts };
}

async function fillAndSubmit(page: Page, password: string, confirmation: string): Promise<void> {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm the new password').fill(confirmation);
  await page.getByRole('button', { name: 'Set the new password' }).click();
}

async function messageText(page: Page, pattern: RegExp): Promise<string> {
  const message = page.locator('#message', { hasText: pattern });
  await message.waitFor({ timeout: waitMs });
  return message.innerText();
}

describe('the reset page in a browser', () => {
  it('sets the new password from the mailed link: the API then takes the new one and refuses the old', { timeout: 120_000 }, async () => {
    const server = await startTestServer({}, { smtp: true });
    const link = await mailedResetLink(server);
    const browser = await launchBrowser();
    const { page, consoleErrors, graphqlPosts } = await openPage(browser, onServer(server, link));

    await fillAndSubmit(page, newPassword, newPassword);
    expect(await messageText(page, /password has been changed/)).toMatch(/log in with the new password/);
    await expect(page.locator('#message').getAttribute('class')).resolves.toBe('success');
    await expect(page.locator('#reset-form').isHidden()).resolves.toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'reset-password.png') });

    expect(graphqlPosts).toEqual([
      { query: expect.stringContaining('resetPassword('), variables: { token: resetTokenFrom({ text: link } as never), newPassword } },
    ]);
    expect(errorOf(await server.agent().gql(Login, ada))).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect((await server.agent().gql(Login, { email: ada.email, password: newPassword })).data?.login).toMatchObject({ email: ada.email });
    // No CSP violation, no script error: the page runs with nothing inline.
    expect(consoleErrors).toEqual([]);
  });

  it('says so when the confirmation differs, and sends nothing', { timeout: 120_000 }, async () => {
    const server = await startTestServer({}, { smtp: true });
    const link = await mailedResetLink(server);
    const browser = await launchBrowser();
    const { page, consoleErrors, graphqlPosts } = await openPage(browser, onServer(server, link));

    await fillAndSubmit(page, newPassword, `${newPassword}!`);
    expect(await messageText(page, /do not match/)).toBe('The two passwords do not match.');
    expect(graphqlPosts).toEqual([]);
    // The token is still good: nothing used it.
    expect((await server.gql(ResetPassword, { token: resetTokenFrom({ text: link } as never), newPassword })).data).toEqual({
      resetPassword: true,
    });
    expect(consoleErrors).toEqual([]);
  });

  it('shows the INVALID_TOKEN message for an unknown token, and the server message for a refused password', {
    timeout: 120_000,
  }, async () => {
    const server = await startTestServer({}, { smtp: true });
    const link = await mailedResetLink(server);
    const browser = await launchBrowser();

    const unknown = await openPage(browser, `${server.origin}/reset-password?token=${'A'.repeat(43)}`);
    await fillAndSubmit(unknown.page, newPassword, newPassword);
    expect(await messageText(unknown.page, /invalid, has expired or was already used/)).toMatch(/Ask for a new one/);
    expect(unknown.consoleErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);

    const valid = await openPage(browser, onServer(server, link));
    const answered = valid.page.waitForResponse((r) => new URL(r.url()).pathname === '/graphql', { timeout: waitMs });
    await fillAndSubmit(valid.page, 'short', 'short');
    const body = (await (await answered).json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    const refusal = body.errors?.[0];
    expect(refusal?.extensions?.code).toBe('BAD_USER_INPUT');
    await messageText(valid.page, /\w/);
    await expect(valid.page.locator('#message').getAttribute('class')).resolves.toBe('error');
    expect(await valid.page.locator('#message').innerText()).toBe(refusal?.message);
  });

  it('tells the person to wait when the attempts are RATE_LIMITED', { timeout: 120_000 }, async () => {
    const server = await startTestServer({ RATE_LIMIT_RESET_PER_IP: '1/3600' });
    const browser = await launchBrowser();
    const { page } = await openPage(browser, `${server.origin}/reset-password?token=${'A'.repeat(43)}`);
    await fillAndSubmit(page, newPassword, newPassword);
    await messageText(page, /invalid, has expired or was already used/);
    await fillAndSubmit(page, newPassword, newPassword);
    expect(await messageText(page, /Too many attempts/)).toMatch(/^Too many attempts\. Try again in \d+ minute\(s\)\.$/);
  });
});

describe('GET /reset-password', () => {
  it('leaves the token usable: opening the link neither reads nor consumes it', async () => {
    const statements: string[] = [];
    const server = await startTestServer({}, { smtp: true, onQuery: (event) => statements.push(event.query) });
    const link = await mailedResetLink(server);
    statements.length = 0;
    for (let i = 0; i < 2; i++) {
      const opened = await fetch(onServer(server, link));
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain('<form id="reset-form"');
    }
    expect(statements).toEqual([]); // not even looked up
    const token = resetTokenFrom({ text: link } as never);
    expect((await server.gql(ResetPassword, { token, newPassword })).data).toEqual({ resetPassword: true });
  });

  it('answers with the strict CSP, no referrer, no caching and no inline script or style', async () => {
    const server = await startTestServer();
    const response = await fetch(`${server.origin}/reset-password?token=abc`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(STRICT_CSP);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/gi)];
    expect(scripts.map(([, attributes, body]) => ({ src: /\bsrc="([^"]+)"/.exec(attributes!)?.[1], body: body!.trim() }))).toEqual([
      { src: '/pages/reset-password.js', body: '' },
    ]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);

    for (const [path, type] of [
      ['/pages/reset-password.js', 'text/javascript; charset=utf-8'],
      ['/pages/pages.css', 'text/css; charset=utf-8'],
    ] as const) {
      const asset = await fetch(`${server.origin}${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe(type);
      expect((await asset.text()).length).toBeGreaterThan(100);
    }
  });
});
