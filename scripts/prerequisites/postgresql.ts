// The postgresql test project needs a server. A machine of this kind may have PostgreSQL
// installed but stopped (after a reboot, say): `npm test` starts it, as CI always did. Where it
// is not installed, nothing is done here: the suite skips those tests and says why
// (test/helpers/global-setup-postgresql.ts), or fails under REQUIRE_POSTGRESQL=1.
import { readdirSync } from 'node:fs';

export interface PostgresqlFacts {
  /** The server the tests use is this machine's default cluster port (TEST_POSTGRESQL_URL). */
  isLocalServer: boolean;
  isAnswering: boolean;
  /** Installed server versions (directories of /etc/postgresql). */
  versions: string[];
  pgCtlcluster: string | null;
  isRoot: boolean;
}

export type PostgresqlPlan =
  | { action: 'none'; reason: string }
  | { action: 'start'; version: string }
  | { action: 'advise'; message: string };

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalServerUrl(serverUrl: string): boolean {
  const url = new URL(serverUrl);
  return LOCAL_HOSTS.has(url.hostname) && (url.port === '' || url.port === '5432');
}

/** Versions as /etc/postgresql lists them, newest first (15 before 9.6). */
export function installedVersions(configDir = '/etc/postgresql'): string[] {
  try {
    return readdirSync(configDir).sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  } catch {
    return [];
  }
}

export function planPostgresql(facts: PostgresqlFacts): PostgresqlPlan {
  if (facts.isAnswering) return { action: 'none', reason: 'answering' };
  // Another machine's server, named by TEST_POSTGRESQL_URL, is not ours to start.
  if (!facts.isLocalServer) return { action: 'none', reason: 'not local' };
  const newest = facts.versions[0];
  if (newest === undefined || facts.pgCtlcluster === null) return { action: 'none', reason: 'not installed' };
  if (!facts.isRoot) {
    return {
      action: 'advise',
      message: `PostgreSQL ${newest} is installed but not running; its tests will be skipped unless you start it (as root: pg_ctlcluster ${newest} main start).`,
    };
  }
  return { action: 'start', version: newest };
}
