// The only module that reads process.env or exits: config → database → migrations → app → listen.
// On PostgreSQL the migrations may still be running (or waiting for the server) when it listens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { migrationLayout } from './db/migrate/layout.ts';
import { migrateOnStart } from './db/migrate/migrate-on-start.ts';
import { scheduleHousekeeping } from './housekeeping/schedule.ts';
import { createLogger, type Logger } from './logger.ts';
import { createLogMailer, createSmtpMailer, type Mailer } from './mail/mailer.ts';

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

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const database = openDatabase(config);
  const migrations = await migrateOnStart(database, migrationLayout(database.target.provider, repoRoot), {
    connectTimeoutMs: config.databaseConnectTimeoutSeconds * 1000,
    log,
  });

  const mailer = createMailer(config, log);
  const { yoga, background, housekeeping } = createApp({
    config,
    database,
    mailer,
    clock: systemClock,
    log,
    isDatabaseMigrated: migrations.isMigrated,
  });

  const housekeepingSchedule = scheduleHousekeeping(housekeeping, {
    intervalMs: config.housekeepingIntervalSeconds * 1000,
    isReady: migrations.isMigrated,
    log,
  });

  const server = createServer(yoga);
  server.once('error', (error: NodeJS.ErrnoException) => {
    const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
    log.fatal({ host: config.host, port: config.port, code: error.code }, `cannot listen on ${config.host}:${config.port}: ${reason}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost}:${port}/graphql`;
    log.info({ url }, `Auth API listening on ${url}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    migrations.stop();
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
