// Start-up on PostgreSQL, with real processes: migrating a fresh database, several processes
// starting at once, and a database that is down at start or goes away and comes back (through
// a proxy the test cuts, since the server itself is shared).
import pg from 'pg';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { migrationLayout } from '../../src/db/migrate/layout.ts';
import { readMigrationList } from '../../src/db/migrate/migrations.ts';
import { MIGRATION_LOCK_KEY } from '../../src/db/migrate/postgresql.ts';
import { repoRoot } from '../../scripts/paths.ts';
import { emptyPostgresqlDatabaseUrl, freshDatabaseUrl, queryPostgresql, withPort } from '../helpers/db.ts';
import { errorOf } from '../helpers/errors.ts';
import { eventually, httpAgent, readyStatus } from '../helpers/http-agent.ts';
import { Login, Me, Register, ada } from '../helpers/operations.ts';
import { startService, type RunningService } from '../helpers/service-process.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const running: RunningService[] = [];
const postgresqlMigrations = readMigrationList(migrationLayout('postgresql', repoRoot).migrationsDir).migrationDirectories.map(
  (d) => d.path,
);
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function start(databaseUrl: string, env: Record<string, string> = {}) {
  const service = await startService({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '3', ...env });
  running.push(service);
  return service;
}

const migrationOutcome = (line: Record<string, unknown>) => line.msg === 'database migrated' || line.msg === 'database up to date';
const retries = (service: RunningService) => service.lines.filter((l) => l.msg === 'database not ready: cannot migrate yet, retrying');

/** The database through a proxy, for tests that take it away. */
async function proxied(databaseUrl: string, initially: 'up' | 'down' = 'up') {
  const server = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) }, initially);
  return { proxy, url: withPort(databaseUrl, proxy.port) };
}

describe('start-up on PostgreSQL', () => {
  it('migrates a fresh database, then serves', async () => {
    const url = await emptyPostgresqlDatabaseUrl();
    const service = await start(url);
    expect(await service.waitForLine(migrationOutcome)).toMatchObject({
      msg: 'database migrated',
      provider: 'postgresql',
      applied: postgresqlMigrations,
    });
    expect(await readyStatus(service.url)).toBe(200);
    expect((await httpAgent().gql(service.url, Register, ada)).data?.register.email).toBe(ada.email);
    const tables = await queryPostgresql<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['User', 'Session', 'PasswordResetToken', '_prisma_migrations']));
  });

  it('changes nothing on an up-to-date database', async () => {
    const url = await freshDatabaseUrl();
    const before = await queryPostgresql(
      url,
      'SELECT id, checksum, migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    const service = await start(url);
    expect(await service.waitForLine(migrationOutcome)).toMatchObject({ msg: 'database up to date', applied: [] });
    expect(
      await queryPostgresql(url, 'SELECT id, checksum, migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name'),
    ).toEqual(before);
  });

  it('brings up three processes started at the same moment on one fresh database, one migrating', async () => {
    const url = await emptyPostgresqlDatabaseUrl();
    const services = await Promise.all([start(url), start(url), start(url)]);
    const outcomes = await Promise.all(services.map((s) => s.waitForLine(migrationOutcome)));
    expect(outcomes.map((o) => o.msg).sort()).toEqual(['database migrated', 'database up to date', 'database up to date']);
    expect(outcomes.flatMap((o) => o.applied as string[])).toEqual(postgresqlMigrations);
    // They took turns: none tripped over another's half-applied migration.
    expect(services.flatMap(retries)).toEqual([]);
    expect(await queryPostgresql(url, 'SELECT migration_name FROM _prisma_migrations')).toHaveLength(postgresqlMigrations.length);
    for (const service of services) expect(await readyStatus(service.url)).toBe(200);
  });
});

/** An empty database whose migration lock another connection holds, as a migrating process would. */
async function databaseLockedByAnotherProcess() {
  const url = await emptyPostgresqlDatabaseUrl();
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  onTestFinished(() => other.end());
  await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  return { url, other };
}

describe('PostgreSQL being migrated by another process', () => {
  it('stays not-ready and refuses requests until that migration ends, then takes its turn', async () => {
    const { url, other } = await databaseLockedByAnotherProcess();

    const service = await start(url);
    // The database answers, but its tables are not there yet: no traffic for this instance.
    expect(await readyStatus(service.url)).toBe(503);
    expect(errorOf(await httpAgent().gql(service.url, Me))).toEqual({ code: 'INTERNAL_SERVER_ERROR' });

    await other.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    expect(await service.waitForLine(migrationOutcome)).toMatchObject({ msg: 'database migrated' });
    expect(await readyStatus(service.url)).toBe(200);
    expect(retries(service)).toEqual([]);
  });

  it('stops promptly on SIGTERM while waiting for that migration', async () => {
    const { url } = await databaseLockedByAnotherProcess();

    const service = await start(url);
    await eventually('the service waits for the migration lock', async () => {
      const waiting = await queryPostgresql(url, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
      return waiting.length > 0;
    });
    const started = performance.now();
    expect(await service.stop()).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('PostgreSQL down at start', () => {
  it('comes up not-ready, fails requests fast, and migrates and serves once the database comes', async () => {
    const { proxy, url } = await proxied(await emptyPostgresqlDatabaseUrl(), 'down');
    const service = await start(url);

    expect(await readyStatus(service.url)).toBe(503);
    const early = await httpAgent().gql(service.url, Register, ada);
    expect(errorOf(early)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(early.elapsedMs).toBeLessThan(2000);
    await service.waitForLine((l) => l.msg === 'database not ready: cannot migrate yet, retrying');

    await proxy.up();
    expect(await service.waitForLine(migrationOutcome)).toMatchObject({ msg: 'database migrated' });
    expect(await readyStatus(service.url)).toBe(200);
    expect((await httpAgent().gql(service.url, Register, ada)).data?.register.email).toBe(ada.email);
    expect(service.child.exitCode).toBeNull();
  });
});

describe('PostgreSQL going away while serving', () => {
  it('reports not-ready, fails requests fast, keeps running, and recovers by itself', async () => {
    const { proxy, url } = await proxied(await freshDatabaseUrl());
    const service = await start(url);
    await service.waitForLine(migrationOutcome);
    const agent = httpAgent();
    await agent.gql(service.url, Register, ada);
    await agent.gql(service.url, Login, ada);

    await proxy.down();
    expect(await readyStatus(service.url)).toBe(503);
    const during = await agent.gql(service.url, Me);
    expect(errorOf(during)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(during.elapsedMs).toBeLessThan(2000);
    expect(service.child.exitCode).toBeNull();

    await proxy.up();
    await eventually('the instance is ready again', async () => (await readyStatus(service.url)) === 200);
    // The session written before the outage is still there.
    expect((await agent.gql(service.url, Me)).data?.me?.email).toBe(ada.email);
  });

  it('fails requests within the configured timeouts when the database stops answering, instead of hanging', async () => {
    const { proxy, url } = await proxied(await freshDatabaseUrl());
    const service = await start(url, { DATABASE_CONNECT_TIMEOUT_SECONDS: '1', DATABASE_STATEMENT_TIMEOUT_SECONDS: '1' });
    await service.waitForLine(migrationOutcome);
    const agent = httpAgent();
    await agent.gql(service.url, Register, ada);
    await agent.gql(service.url, Login, ada);

    // Packets vanish, nothing is refused or reset: only the service's own timeouts end the wait
    // (statement 1 s + 2 s of client grace on open connections, 1 s for new ones).
    await proxy.blackhole();
    const during = await Promise.all([agent.gql(service.url, Me), agent.gql(service.url, Me), agent.gql(service.url, Me)]);
    for (const result of during) {
      expect(errorOf(result)).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(result.elapsedMs).toBeLessThan(6000);
    }
    expect(service.child.exitCode).toBeNull();

    await proxy.up();
    await eventually('the instance is ready again', async () => (await readyStatus(service.url)) === 200);
    expect((await agent.gql(service.url, Me)).data?.me?.email).toBe(ada.email);
  });
});
