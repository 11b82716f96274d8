// GraphiQL in a real browser (chromium), served by the service on a real port: a person
// runs register, login and me from the first example tab and sees themself, which proves
// that the page renders from this service alone and that the browser keeps the cookie.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { artifactsDir, launchBrowser } from '../helpers/browser.ts';
import { startTestServer } from '../helpers/server.ts';

const email = 'ada@example.com'; // the one in the example tab (src/http/graphiql-examples.ts)
const waitMs = 30_000;

/** Picks an operation from ▶'s menu, as a person does, and waits for the server's answer. */
async function runOperation(page: Page, name: string): Promise<unknown> {
  await page.locator('.graphiql-execute-button').click();
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().postDataJSON()?.operationName === name, {
    timeout: waitMs,
  });
  await page.getByRole('menuitem', { name, exact: true }).click();
  return (await answered).json();
}

/** Waits until the result pane shows text matching `pattern` (whitespace as Monaco renders it). */
async function resultPaneShows(page: Page, pattern: RegExp): Promise<void> {
  await page.locator('.graphiql-response', { hasText: pattern }).waitFor({ timeout: waitMs });
}

describe('GraphiQL in a browser', () => {
  it('runs register, login and me from the example tab and shows the logged-in user', { timeout: 120_000 }, async () => {
    const server = await startTestServer();
    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const requested: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    onTestFinished(async ({ task }) => {
      if (task.result?.state === 'fail') await page.screenshot({ path: join(artifactsDir, 'graphiql-failure.png') });
    });

    await page.goto(server.url);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: waitMs });
    await expect(page.title()).resolves.toBe('Auth API');
    expect(await page.locator('.graphiql-tab-button').allInnerTexts()).toEqual([
      'Register',
      'Sessions',
      'ChangePassword',
      'VerifyEmail',
      'Users',
      'Passkeys',
      'StartTotpEnrollment',
    ]);

    const registered = await runOperation(page, 'Register');
    expect(registered).toMatchObject({ data: { register: { email } } });
    await resultPaneShows(page, /"register":\s*\{/);
    await resultPaneShows(page, new RegExp(`"email":\\s*"${email}"`));

    const loggedIn = await runOperation(page, 'Login');
    expect(loggedIn).toMatchObject({ data: { login: { email } } });
    await resultPaneShows(page, /"login":\s*\{/);
    const cookies = await context.cookies(server.origin);
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'session', httpOnly: true, sameSite: 'Lax', path: '/' }),
      expect.objectContaining({ name: 'device', httpOnly: true, sameSite: 'Strict', path: '/' }),
    ]);

    const me = await runOperation(page, 'Me');
    const user = await server.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(me).toEqual({ data: { me: { id: user.id, email, createdAt: user.createdAt.toISOString(), emailVerified: false } } });
    await resultPaneShows(page, new RegExp(`"me":\\s*\\{\\s*"id":\\s*"${user.id}",\\s*"email":\\s*"${email}"`));
    await page.screenshot({ path: join(artifactsDir, 'graphiql.png') });

    // Everything the page loaded came from the service itself (no CDN), or from blobs it made.
    expect(requested.filter((url) => !url.startsWith(`${server.origin}/`) && !url.startsWith('blob:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
