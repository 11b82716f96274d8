// The only module that reads process.env or exits: config → database → migrations → app → listen.
// On PostgreSQL the migrations may still be running (or waiting for the server) when it listens.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { sqliteDirectory } from './db/database-url.ts';
import { migrationLayout } from './db/migrate/layout.ts';
import { migrateOnStart } from './db/migrate/migrate-on-start.ts';
import { scheduleHousekeeping } from './housekeeping/schedule.ts';
import { createLogger, type Logger } from './logger.ts';
import { createLogMailer, createSmtpMailer, type Mailer } from './mail/mailer.ts';
import { loadOrCreateDevelopmentKey } from './mfa-development-key.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Tracing } from './tracing/tracing.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const SHUTDOWN_GRACE_MS = 10_000;

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function createMailer(config: Config, log: Logger): Mailer {
  if (config.smtpUrl !== null) return createSmtpMailer(config.smtpUrl, config.mailFrom);
  log.warn('SMTP_URL is not set: mail is written to the log instead of being sent');
  return createLogMailer(log, { redactBody: config.isProduction });
}

/**
 * MFA_ENCRYPTION_KEY, or in development a key kept in the data directory (the SQLite file's, or
 * ./data for PostgreSQL): see mfa-development-key.ts. Production cannot get here without one.
 */
function mfaEncryptionKey(config: Config, database: Database, log: Logger): Buffer {
  if (config.mfaEncryptionKey !== null) return config.mfaEncryptionKey;
  const dir = database.target.provider === 'sqlite' ? sqliteDirectory(database.target) : 'data';
  const { path, key, created } = loadOrCreateDevelopmentKey(dir);
  log.warn(
    { path, created },
    'MFA_ENCRYPTION_KEY is not set: TOTP secrets are sealed with a development key kept in the data directory. Instances sharing a database must share one MFA_ENCRYPTION_KEY (README)',
  );
  return key;
}

/** Imported only when asked for: without METRICS_PORT, prom-client is never loaded. */
async function loadMetrics(config: Config): Promise<Metrics | null> {
  if (config.metricsPort === null) return null;
  const { createMetrics } = await import('./metrics/metrics.ts');
  return createMetrics();
}

/** Imported only when an OTLP endpoint is set: without one, no OpenTelemetry package is loaded. */
async function loadTracing(config: Config): Promise<Tracing | null> {
  if (config.tracing === null) return null;
  const { startTracing } = await import('./tracing/tracing.ts');
  return startTracing(config.tracing);
}

/** The database as opened, with a span per session lookup when tracing (Prisma's queries have theirs). */
function tracedDatabase(database: Database, tracing: Tracing | null): Database {
  return tracing === null ? database : { ...database, sessions: tracing.traceSessionLookup(database.sessions) };
}

function listenOrExit(server: Server, port: number, host: string, log: Logger, onListening: (port: number) => void): void {
  server.once('error', (error: NodeJS.ErrnoException) => {
    const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
    log.fatal({ host, port, code: error.code }, `cannot listen on ${host}:${port}: ${reason}`);
    process.exit(1);
  });
  server.listen(port, host, () => onListening((server.address() as AddressInfo).port));
}

/** What the log shows for a URL on `host`: the wildcard addresses are reached as localhost. */
function shownHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const tracing = await loadTracing(config);
  const database = openDatabase(config);
  const migrations = await migrateOnStart(database, migrationLayout(database.target.provider, repoRoot), {
    connectTimeoutMs: config.databaseConnectTimeoutSeconds * 1000,
    log,
  });

  const mailer = createMailer(config, log);
  const metrics = await loadMetrics(config);
  const { yoga, background, housekeeping } = createApp({
    config,
    database: tracedDatabase(database, tracing),
    mailer,
    clock: systemClock,
    log,
    mfaEncryptionKey: mfaEncryptionKey(config, database, log),
    isDatabaseMigrated: migrations.isMigrated,
    metrics,
    tracing,
  });

  const housekeepingSchedule = scheduleHousekeeping(housekeeping, {
    intervalMs: config.housekeepingIntervalSeconds * 1000,
    isReady: migrations.isMigrated,
    log,
  });

  let metricsServer: Server | null = null;
  if (metrics !== null && config.metricsPort !== null) {
    const { createMetricsServer } = await import('./metrics/server.ts');
    metricsServer = createMetricsServer(metrics.registry, log);
    listenOrExit(metricsServer, config.metricsPort, config.host, log, (port) => {
      const metricsUrl = `http://${shownHost(config.host)}:${port}/metrics`;
      log.info({ metricsUrl }, `Prometheus metrics on ${metricsUrl}`);
    });
  }

  const server = createServer(yoga);
  listenOrExit(server, config.port, config.host, log, (port) => {
    const url = `http://${shownHost(config.host)}:${port}/graphql`;
    log.info({ url }, `Auth API listening on ${url}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    migrations.stop();
    // Scrapes stop with the API: a stopping instance is no longer one to watch.
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    // Ends a running sweep at its next batch; what it left, the next start sweeps.
    const housekeepingStopped = housekeepingSchedule.stop();
    const force = setTimeout(() => {
      log.warn('grace period over: closing remaining connections');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      await Promise.all([background.drain(), housekeepingStopped]);
      await database.close();
      mailer.close();
      await tracing?.shutdown();
      log.info('stopped');
      process.exitCode = 0;
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
