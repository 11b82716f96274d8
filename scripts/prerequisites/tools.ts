// The programs the test suite runs besides node: a Chromium for the browser tests
// (playwright-core drives it; it cannot download a browser of its own here), curl for the
// README's shell session, and oathtool, the independent TOTP generator the second-factor tests
// compute their expected codes with. What is missing, and what `npm test` can do about it.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of an executable file, or null. */
function executableAt(path: string): string | null {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/** Where the shell would find `name` on this PATH, or null. */
export function findExecutable(name: string, pathVariable: string | undefined): string | null {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    const found = dir === '' ? null : executableAt(join(dir, name));
    if (found !== null) return found;
  }
  return null;
}

/** The browser the tests drive: CHROMIUM_PATH when set, else Debian's `chromium` on PATH. */
export function findChromium(env: Record<string, string | undefined>): string | null {
  if (env.CHROMIUM_PATH) return executableAt(env.CHROMIUM_PATH);
  return findExecutable('chromium', env.PATH);
}

export interface ToolFacts {
  /** CHROMIUM_PATH as set, or null: a browser the user chose is never replaced by an install. */
  chromiumOverride: string | null;
  chromium: string | null;
  curl: string | null;
  oathtool: string | null;
  isRoot: boolean;
  aptGet: string | null;
}

export type ToolPlan = { action: 'none' } | { action: 'install'; packages: string[] } | { action: 'stop'; message: string };

/** Debian package names of what is missing, in the order the tests need them. */
export function missingPackages(facts: Pick<ToolFacts, 'chromium' | 'curl' | 'oathtool' | 'chromiumOverride'>): string[] {
  return [
    ...(facts.chromium === null && facts.chromiumOverride === null ? ['chromium'] : []),
    ...(facts.curl === null ? ['curl'] : []),
    ...(facts.oathtool === null ? ['oathtool'] : []),
  ];
}

/** One line that says what to install; `npm test` stops with it when it cannot install itself. */
export function installAdvice(packages: string[]): string {
  const named = packages.length > 1 ? `${packages.slice(0, -1).join(', ')} and ${packages.at(-1)}` : packages[0];
  return `npm test needs ${named}: install ${packages.length > 1 ? 'them' : 'it'} (Debian: apt-get install -y ${packages.join(' ')})${packages.includes('chromium') ? ', or set CHROMIUM_PATH to a Chromium binary' : ''}, then run npm test again.`;
}

export function planTools(facts: ToolFacts): ToolPlan {
  if (facts.chromiumOverride !== null && facts.chromium === null) {
    return {
      action: 'stop',
      message: `CHROMIUM_PATH=${facts.chromiumOverride} is not an executable file: point it at a Chromium binary, or unset it to use Debian's chromium.`,
    };
  }
  const packages = missingPackages(facts);
  if (packages.length === 0) return { action: 'none' };
  // Installing takes root and apt-get; anything else is the user's to do, and the line says what.
  if (facts.isRoot && facts.aptGet !== null) return { action: 'install', packages };
  return { action: 'stop', message: installAdvice(packages) };
}
