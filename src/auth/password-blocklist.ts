// The most common passwords, as attackers try them first (NIST SP 800-63B 3.1.1.2: check new
// passwords against values known to be commonly used or compromised). The list is the 49,000
// passwords shipped with zxcvbn-ts (@zxcvbn-ts/language-common), read offline.
import { dictionary } from '@zxcvbn-ts/language-common';

let blocklist: Set<string> | null = null;

/** Built on first use, not at import time. Compared case-insensitively. */
function commonPasswords(): Set<string> {
  blocklist ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return blocklist;
}

export function isCommonPassword(normalisedPassword: string): boolean {
  return commonPasswords().has(normalisedPassword.toLowerCase());
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}
