import { dirname, isAbsolute, resolve } from 'node:path';

export type DatabaseTarget = { provider: 'sqlite'; url: string; filePath: string } | { provider: 'postgresql'; url: string };

/** `file:./data/auth.db` is relative to the working directory, as for the prisma CLI. */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    const filePath = isAbsolute(path) ? path : resolve(cwd, path);
    return { provider: 'sqlite', url: `file:${filePath}`, filePath };
  }
  return { provider: 'postgresql', url };
}

export function sqliteDirectory(target: { filePath: string }): string {
  return dirname(target.filePath);
}
