// The pages the mails link to, served by the service itself so the default link of a fresh
// `npm start` works without any front end: GET /reset-password (a form that calls
// resetPassword), GET /verify-email (a button that calls verifyEmail), GET /passkeys (a demo of
// both WebAuthn ceremonies with @simplewebauthn/browser, whose bundle the service serves too: no
// CDN), and their assets at fixed paths. The files are read once, when the app is built; a GET
// never reads, checks or consumes the token in the query string (mail scanners follow links): a
// page's script sends it only when the person submits the form or presses the button.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/**
 * The pages' own Content-Security-Policy, set on their responses here (security-headers.ts keeps
 * a CSP a response already has): only this service's script, style and API, no inline code.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

interface Asset {
  body: string;
  contentType: string;
  /** Pages carry the token in their URL: never stored. Assets hold nothing secret. */
  cacheControl: string;
}

/** @simplewebauthn/browser's UMD bundle (global SimpleWebAuthnBrowser), as scripts/build.ts copies it. */
const BROWSER_BUNDLE = 'vendor/simplewebauthn-browser.umd.min.js';

/**
 * The bundle in the build (dist/pages/vendor/), or in the installed package when running from the
 * sources; the package's version is pinned to the server library's (package.json).
 */
function browserBundlePath(dir: string): string {
  if (existsSync(`${dir}${BROWSER_BUNDLE}`)) return `${dir}${BROWSER_BUNDLE}`;
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser'); // <package>/script/index.js
  return join(dirname(dirname(entry)), 'dist', 'bundle', 'index.umd.min.js');
}

const FILES: Record<string, { file: string; contentType: string; cacheControl: string }> = {
  '/reset-password': { file: 'reset-password.html', contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' },
  '/pages/reset-password.js': { file: 'reset-password.js', contentType: 'text/javascript; charset=utf-8', cacheControl: 'no-cache' },
  '/verify-email': { file: 'verify-email.html', contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' },
  '/pages/verify-email.js': { file: 'verify-email.js', contentType: 'text/javascript; charset=utf-8', cacheControl: 'no-cache' },
  '/pages/pages.css': { file: 'pages.css', contentType: 'text/css; charset=utf-8', cacheControl: 'no-cache' },
  '/passkeys': { file: 'passkeys.html', contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' },
  '/pages/passkeys.js': { file: 'passkeys.js', contentType: 'text/javascript; charset=utf-8', cacheControl: 'no-cache' },
  '/pages/passkeys.css': { file: 'passkeys.css', contentType: 'text/css; charset=utf-8', cacheControl: 'no-cache' },
  '/pages/simplewebauthn-browser.js': { file: BROWSER_BUNDLE, contentType: 'text/javascript; charset=utf-8', cacheControl: 'no-cache' },
};

/**
 * src/pages/ when running from the sources (this file is src/http/pages.ts); dist/pages/ in a
 * build, where this code is bundled into dist/main.js and scripts/build.ts copies the files.
 */
function pagesDirectory(): string {
  for (const candidate of ['../pages/', './pages/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}reset-password.html`)) return dir;
  }
  throw new Error('the pages (src/pages/ or dist/pages/) are missing: run npm run build');
}

function loadAssets(): Map<string, Asset> {
  const dir = pagesDirectory();
  return new Map(
    Object.entries(FILES).map(([path, { file, ...rest }]) => {
      const source = file === BROWSER_BUNDLE ? browserBundlePath(dir) : `${dir}${file}`;
      return [path, { body: readFileSync(source, 'utf8'), ...rest }];
    }),
  );
}

export function usePages(): Plugin {
  const assets = loadAssets();
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const asset = assets.get(url.pathname);
      if (asset === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : asset.body, {
          status: 200,
          headers: { 'content-type': asset.contentType, 'cache-control': asset.cacheControl, 'content-security-policy': PAGE_CSP },
        }),
      );
    },
  };
}
