// A real browser for tests: Debian's chromium driven by playwright-core (`npx playwright
// install` cannot download its own browsers here). npm test's pretest step installs chromium
// when missing (scripts/test-prerequisites.ts), and finds it the same way as here.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { findChromium, installAdvice } from '../../scripts/prerequisites/tools.ts';

/** Where tests leave screenshots for people to look at (gitignored). */
export const artifactsDir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium(process.env);
  if (executablePath === null) throw new Error(installAdvice(['chromium']));
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  onTestFinished(() => browser.close());
  mkdirSync(artifactsDir, { recursive: true });
  return browser;
}
