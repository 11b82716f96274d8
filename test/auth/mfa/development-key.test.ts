import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEVELOPMENT_KEY_FILE, loadOrCreateDevelopmentKey } from '../../../src/mfa-development-key.ts';

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'auth-api-mfa-key-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the development MFA key', () => {
  it('is created once in the data directory, owner-only, and read back on the next start', () => {
    const dir = join(scratchDir(), 'data');
    const first = loadOrCreateDevelopmentKey(dir);
    expect(first).toMatchObject({ created: true, path: join(dir, DEVELOPMENT_KEY_FILE) });
    expect(first.key).toHaveLength(32);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const again = loadOrCreateDevelopmentKey(dir);
    expect(again).toMatchObject({ created: false });
    expect(again.key).toEqual(first.key);
    expect(readdirSync(dir)).toEqual([DEVELOPMENT_KEY_FILE]); // no temporary file left behind
  });
});
