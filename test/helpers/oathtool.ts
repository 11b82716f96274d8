// Expected TOTP codes come from Debian's oathtool (liboath's RFC 6238), an implementation
// independent of otplib, so a mistake shared by otplib and our use of it cannot pass unseen.
// npm test installs it (scripts/prerequisites/tools.ts).
import { execFileSync } from 'node:child_process';
import { findExecutable } from '../../scripts/prerequisites/tools.ts';

/** `oathtool --totp -b --now '<UTC time>' SECRET`: the code for `secretBase32` at `at`. */
export function oathtoolCode(secretBase32: string, at: Date): string {
  if (findExecutable('oathtool', process.env.PATH) === null) {
    throw new Error('oathtool is missing: apt-get install -y oathtool (npm test installs it)');
  }
  const now = `${at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
  return execFileSync('oathtool', ['--totp', '-b', '--now', now, secretBase32], { encoding: 'utf8' }).trim();
}
