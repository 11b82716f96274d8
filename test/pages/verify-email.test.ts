// The verify page in a real browser (chromium), served by the service on a real port: a person
// follows the mailed link, presses the one button and the address is proved. Also what the page
// must never do: use the token on a GET (mail scanners open links) or run inline code; and what
// it says when the server refuses.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { artifactsDir, launchBrowser } from '../helpers/browser.ts';
import { errorOf } from '../helpers/errors.ts';
import { ChangeEmail, Login, Me, Register, VerifyEmail, ada, bob } from '../helpers/operations.ts';
import { verificationTokenFrom } from '../helpers/smtp.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const waitMs = 30_000;
const BUTTON = 'Confirm my email address';
const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const INVALID_LINK = /invalid, has expired, was already used or was replaced by a newer one/;

/** The link in a verification mail, checked to be the configured page's. */
function linkIn(server: TestServer, mail: { text: string }): string {
  const link = /https?:\/\/\S+[?&]token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(link).toBeDefined();
  expect(link!.startsWith(`${server.config.emailVerificationUrl}?token=`)).toBe(true);
  return link!;
}

/** The mailed link on the test server's port (the mail names the configured default, port 4000). */
function onServer(server: TestServer, link: string): string {
  const url = new URL(link);
  return `${server.origin}${url.pathname}${url.search}`;
}

function tokenOf(link: string): string {
  return verificationTokenFrom({ text: link } as never);
}

/** ada registered through the API; the verification link mailed to her. */
async function registeredWithLink(server: TestServer): Promise<string> {
  expect(errorOf(await server.gql(Register, ada))).toBeNull();
  return linkIn(server, await server.verificationMailTo(ada.email));
}

async function adaVerified(server: TestServer): Promise<boolean | undefined> {
  const agent = server.agent();
  expect(errorOf(await agent.gql(Login, ada))).toBeNull();
  return (await agent.gql(Me)).data?.me?.emailVerified;
}

interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  graphqlPosts: unknown[];
}

/** Opens `url` and waits until the page's script has run (it shows the button or a message). */
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
    if (task.result?.state === 'fail') await page.screenshot({ path: join(artifactsDir, 'verify-email-failure.png') });
  });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  await page.locator('#confirm:visible, #message:visible').first().waitFor({ timeout: waitMs });
  return { page, consoleErrors, graphqlPosts };
}

async function messageText(page: Page, pattern: RegExp): Promise<string> {
  const message = page.locator('#message', { hasText: pattern });
  await message.waitFor({ timeout: waitMs });
  return message.innerText();
}

/** Chromium logs a refused fetch's 4xx status as a console error; anything else is a fault. */
function unexpected(consoleErrors: string[]): string[] {
  return consoleErrors.filter((text) => !/status of 4\d\d/.test(text));
}

describe('the verify page in a browser', () => {
  it('proves the address from the mailed link only when the button is pressed', { timeout: 120_000 }, async () => {
    const statements: string[] = [];
    const server = await startTestServer({}, { smtp: true, onQuery: (event) => statements.push(event.query) });
    const link = await registeredWithLink(server);

    // A mail scanner's GET: the same static page, the database not even asked.
    statements.length = 0;
    const scanned = await fetch(onServer(server, link));
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toContain(BUTTON);
    expect(statements).toEqual([]);

    const browser = await launchBrowser();
    const { page, consoleErrors, graphqlPosts } = await openPage(browser, onServer(server, link));
    await expect(page.getByRole('button', { name: BUTTON }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').isHidden()).resolves.toBe(true);
    // Opened, not used: the token is still stored and the address still unverified.
    expect(graphqlPosts).toEqual([]);
    expect(await server.prisma.emailVerificationToken.count()).toBe(1);
    expect(await adaVerified(server)).toBe(false);
    await page.screenshot({ path: join(artifactsDir, 'verify-email-opened.png') });

    await page.getByRole('button', { name: BUTTON }).click();
    expect(await messageText(page, /confirmed/)).toMatch(/^Your email address is confirmed\./);
    await expect(page.locator('#message').getAttribute('class')).resolves.toBe('success');
    await expect(page.getByRole('button', { name: BUTTON }).isHidden()).resolves.toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'verify-email.png') });

    expect(graphqlPosts).toEqual([{ query: expect.stringContaining('verifyEmail('), variables: { token: tokenOf(link) } }]);
    expect(await adaVerified(server)).toBe(true);
    expect(await server.prisma.emailVerificationToken.count()).toBe(0);
    // No CSP violation, no script error: the page runs with nothing inline.
    expect(consoleErrors).toEqual([]);
  });

  it('tells the person to ask for a new link when the link was already used', { timeout: 120_000 }, async () => {
    const server = await startTestServer({}, { smtp: true });
    const link = await registeredWithLink(server);
    expect((await server.gql(VerifyEmail, { token: tokenOf(link) })).data).toEqual({ verifyEmail: true });

    const browser = await launchBrowser();
    const { page, consoleErrors } = await openPage(browser, onServer(server, link));
    await page.getByRole('button', { name: BUTTON }).click();
    expect(await messageText(page, INVALID_LINK)).toMatch(/Ask for a new verification link\.$/);
    await expect(page.locator('#message').getAttribute('class')).resolves.toBe('error');
    // Pressing again cannot help: the button is gone.
    await expect(page.getByRole('button', { name: BUTTON }).isHidden()).resolves.toBe(true);
    expect(unexpected(consoleErrors)).toEqual([]);
  });

  it('says the new address has an account now when a changeEmail link comes too late', { timeout: 120_000 }, async () => {
    const server = await startTestServer({}, { smtp: true });
    const newEmail = 'ada@new.example.com';
    const laptop = await server.signedIn();
    expect((await laptop.gql(ChangeEmail, { newEmail, currentPassword: ada.password })).data).toEqual({ changeEmail: true });
    const link = linkIn(server, await server.verificationMailTo(newEmail));
    expect(errorOf(await server.gql(Register, { email: newEmail, password: bob.password }))).toBeNull();

    const browser = await launchBrowser();
    const { page, consoleErrors } = await openPage(browser, onServer(server, link));
    await page.getByRole('button', { name: BUTTON }).click();
    expect(await messageText(page, /belongs to another account/)).toMatch(/keeps its current address/);
    expect((await laptop.gql(Me)).data?.me).toMatchObject({ email: ada.email });
    expect(unexpected(consoleErrors)).toEqual([]);
  });

  it('tells the person to wait when the attempts are RATE_LIMITED, and keeps the button', { timeout: 120_000 }, async () => {
    const server = await startTestServer({ RATE_LIMIT_VERIFY_EMAIL_PER_IP: '1/3600' });
    const browser = await launchBrowser();
    const url = `${server.origin}/verify-email?token=${'A'.repeat(43)}`;
    const first = await openPage(browser, url);
    await first.page.getByRole('button', { name: BUTTON }).click();
    await messageText(first.page, INVALID_LINK);

    const second = await openPage(browser, url);
    await second.page.getByRole('button', { name: BUTTON }).click();
    expect(await messageText(second.page, /Too many attempts/)).toMatch(/^Too many attempts\. Try again in \d+ minute\(s\)\.$/);
    await expect(second.page.getByRole('button', { name: BUTTON }).isEnabled()).resolves.toBe(true);
  });

  it('explains a link without a token, with no button and no request', { timeout: 120_000 }, async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const { page, consoleErrors, graphqlPosts } = await openPage(browser, `${server.origin}/verify-email`);
    expect(await messageText(page, /no token/)).toMatch(/Open the link from the mail again/);
    await expect(page.getByRole('button', { name: BUTTON }).isHidden()).resolves.toBe(true);
    expect(graphqlPosts).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('says so when the service cannot be reached or fails, and lets the person try again', { timeout: 120_000 }, async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const { page } = await openPage(browser, `${server.origin}/verify-email?token=${'A'.repeat(43)}`);

    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: BUTTON }).click();
    expect(await messageText(page, /could not be reached/)).toMatch(/Check your connection and try again/);

    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
      }),
    );
    await page.getByRole('button', { name: BUTTON }).click();
    expect(await messageText(page, /could not be confirmed/)).toBe('The address could not be confirmed. Try again later.');
    await expect(page.getByRole('button', { name: BUTTON }).isEnabled()).resolves.toBe(true);
  });
});

describe('GET /verify-email', () => {
  it('answers with the strict CSP, no referrer, no caching and no inline script or style', async () => {
    const server = await startTestServer();
    const response = await fetch(`${server.origin}/verify-email?token=abc`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(STRICT_CSP);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/gi)];
    expect(scripts.map(([, attributes, body]) => ({ src: /\bsrc="([^"]+)"/.exec(attributes!)?.[1], body: body!.trim() }))).toEqual([
      { src: '/pages/verify-email.js', body: '' },
    ]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('href="/pages/pages.css"');

    for (const [path, type] of [
      ['/pages/verify-email.js', 'text/javascript; charset=utf-8'],
      ['/pages/pages.css', 'text/css; charset=utf-8'],
    ] as const) {
      const asset = await fetch(`${server.origin}${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe(type);
      expect(asset.headers.get('content-security-policy')).toBe(STRICT_CSP);
      expect((await asset.text()).length).toBeGreaterThan(100);
    }
  });
});
