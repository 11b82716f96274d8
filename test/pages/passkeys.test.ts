// The passkeys demo page in a real browser (chromium) with a virtual authenticator (Chrome
// DevTools Protocol, WebAuthn domain): a person logs in with their password, adds a passkey,
// logs out, and logs in again with the passkey alone. WebAuthn needs a secure context and an
// origin on the RP ID: http://localhost:<port> is one, so the service listens on a port known
// before the app is made, and WEBAUTHN_ORIGINS names it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { artifactsDir, launchBrowser } from '../helpers/browser.ts';
import { Register, ada } from '../helpers/operations.ts';
import { startService } from '../helpers/service-process.ts';

const waitMs = 30_000;
const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The app on a loopback port, its WebAuthn origin http://localhost:<that port>. */
async function startPasskeyServer() {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://localhost:${port}`;
  const api = await createTestApp({ PORT: String(port) });
  server.on('request', api.yoga);
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { api, origin };
}

async function waitForText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  await page.locator(selector, { hasText: pattern }).waitFor({ timeout: waitMs });
}

describe('the passkeys page in a browser', () => {
  it('adds a passkey after a password login, then logs in with it alone', { timeout: 120_000 }, async () => {
    const { api, origin } = await startPasskeyServer();
    expect(api.config.webauthn.origins).toEqual([origin]);
    expect((await api.gql(Register, ada)).data).toBeTruthy();

    const browser = await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (entry) => {
      if (entry.type() === 'error') consoleErrors.push(entry.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    onTestFinished(async ({ task }) => {
      if (task.result?.state === 'fail') await page.screenshot({ path: join(artifactsDir, 'passkeys-failure.png') });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    const response = await page.goto(`${origin}/passkeys`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(STRICT_CSP);

    // A password login first: only a logged-in user adds a passkey.
    await page.getByRole('button', { name: 'Log in with a passkey' }).waitFor({ timeout: waitMs });
    await page.getByLabel('Email').fill(ada.email);
    await page.getByLabel('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Log in with a password' }).click();
    await waitForText(page, '#signed-in', new RegExp(`Logged in as ${ada.email}`));

    await page.getByLabel(/Name of the new passkey/).fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await waitForText(page, '#passkey-list', /Test laptop/);
    const stored = await api.prisma.passkey.findFirstOrThrow({ include: { user: { select: { email: true } } } });
    expect(stored).toMatchObject({ name: 'Test laptop', user: { email: ada.email } });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toEqual([expect.objectContaining({ isResidentCredential: true, rpId: 'localhost' })]);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#signed-out').waitFor({ state: 'visible', timeout: waitMs });
    expect((await context.cookies()).map((c) => c.name)).not.toContain('session');

    // No email, no password: the discoverable credential names the account.
    await page.getByRole('button', { name: 'Log in with a passkey' }).click();
    await waitForText(page, '#message', /Logged in with your passkey/);
    await waitForText(page, '#signed-in', new RegExp(`Logged in as ${ada.email}`));
    await waitForText(page, '#passkey-list', /last used (?!never)/);
    expect((await context.cookies()).find((c) => c.name === 'session')).toMatchObject({ httpOnly: true });
    await page.screenshot({ path: join(artifactsDir, 'passkeys.png'), fullPage: true });

    expect(consoleErrors).toEqual([]);
    expect(api.logs.lines.filter((l) => l.event === 'login').map((l) => [l.outcome, l.method ?? 'password'])).toEqual([
      ['success', 'password'],
      ['success', 'passkey'],
    ]);
  });

  it('serves the page and the WebAuthn bundle from the service, with no inline script', async () => {
    const { origin } = await startPasskeyServer();
    const html = await (await fetch(`${origin}/passkeys`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/gi)];
    expect(scripts.map(([, attributes, body]) => ({ src: /\bsrc="([^"]+)"/.exec(attributes!)?.[1], body: body!.trim() }))).toEqual([
      { src: '/pages/simplewebauthn-browser.js', body: '' },
      { src: '/pages/passkeys.js', body: '' },
    ]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|https?:\/\//i);
    const bundle = await fetch(`${origin}/pages/simplewebauthn-browser.js`);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await bundle.text()).toMatch(/^\/\* \[@simplewebauthn\/browser@14\.0\.0\] \*\//);
  });

  it('is served by the build alone, the WebAuthn bundle copied into dist/', async () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/pages/vendor/simplewebauthn-browser.umd.min.js', import.meta.url)))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'auth-api-passkeys-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const service = await startService({ DATABASE_URL: `file:${dir}/auth.db` });
    onTestFinished(async () => {
      await service.stop();
    });
    const origin = new URL(service.url).origin;
    expect((await fetch(`${origin}/passkeys`)).status).toBe(200);
    const bundle = await fetch(`${origin}/pages/simplewebauthn-browser.js`);
    expect(await bundle.text()).toMatch(/^\/\* \[@simplewebauthn\/browser@14\.0\.0\] \*\//);
  });
});
