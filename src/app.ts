// createApp(deps): the GraphQL service as a fetch handler (yoga), built from what it is given.
// It never listens and reads no environment, so tests can build as many as they like.
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useCookies } from '@whatwg-node/server-plugin-cookies';
import { AuditLog } from './auth/audit.ts';
import { AuthError } from './auth/errors.ts';
import { HashingQueue } from './auth/hashing-queue.ts';
import { PasswordHasher } from './auth/passwords.ts';
import { RateLimits } from './auth/rate-limit.ts';
import { PrismaRateLimitStore } from './auth/rate-limit-repository.ts';
import { AuthRepository } from './auth/repository.ts';
import { MAX_TRUSTED_DEVICES_PER_USER } from './auth/trusted-devices.ts';
import { AuthService, type AuthHooks } from './auth/service.ts';
import { BackgroundTasks } from './background.ts';
import { Housekeeping } from './housekeeping/housekeeping.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createContextFactory, type Context } from './context.ts';
import { isDatabaseReachable, type Database } from './db/client.ts';
import type { ServerContext } from './http/client-info.ts';
import { AfterResponseTasks, useAfterResponse } from './http/after-response.ts';
import { useCrossSiteMutationGuard } from './http/cross-site.ts';
import { requestLimitPlugins } from './http/graphql-limits.ts';
import { renderLocalGraphiQL } from './http/graphiql.ts';
import { useReadiness } from './http/health.ts';
import { useInputRules } from './http/input-rules.ts';
import { useOneCredentialField } from './http/one-credential-field.ts';
import { usePages } from './http/pages.ts';
import { useRefusalStatus } from './http/refusal-status.ts';
import { useSecurityHeaders } from './http/security-headers.ts';
import { useStrictRequests } from './http/strict-request.ts';
import { createErrorLogging } from './http/yoga-logging.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import { schema } from './schema/index.ts';
import { locatedLike, toGraphQLError } from './schema/errors.ts';
import { graphiqlExamples } from './http/graphiql-examples.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  /**
   * False while the database still lacks its migrations (PostgreSQL coming up, see
   * db/migrate/migrate-on-start.ts): GraphQL requests then fail at once and /ready answers 503.
   * Default: always migrated, as when the caller migrated before creating the app.
   */
  isDatabaseMigrated?: () => boolean;
  /** Test hooks only (auth/service.ts, AuthHooks). */
  hooks?: AuthHooks;
}

export interface App {
  yoga: YogaServerInstance<ServerContext, Context>;
  auth: AuthService;
  background: BackgroundTasks;
  /** Sweeps expired rows; main.ts schedules it (housekeeping/schedule.ts), tests run it. */
  housekeeping: Housekeeping;
}

export function createApp({ config, database, mailer, clock, log, isDatabaseMigrated = () => true, hooks }: AppDeps): App {
  const { prisma } = database;
  const background = new BackgroundTasks(log);
  const audit = new AuditLog(log);
  const limits = new RateLimits({ store: new PrismaRateLimitStore(prisma), clock, policy: config.rateLimits, audit });
  const passwords = new PasswordHasher(
    config.bcryptCost,
    new HashingQueue({
      concurrency: config.bcryptConcurrency,
      maxWaitMs: config.bcryptMaxQueueMs,
      // About what cost 12 takes on one core; the queue times real hashes from the first on.
      initialEstimateMs: 250 * 2 ** (config.bcryptCost - 12),
    }),
  );
  passwords.prepare();
  const auth = new AuthService({
    repo: new AuthRepository(prisma, database.sessions),
    passwords,
    limits,
    mailer,
    clock,
    audit,
    background,
    sessionPolicy: {
      maxAgeMs: config.sessionMaxAgeSeconds * 1000,
      idleTimeoutMs: config.sessionIdleTimeoutSeconds * 1000,
      touchIntervalMs: config.sessionTouchIntervalSeconds * 1000,
      maxPerUser: config.maxSessionsPerUser,
    },
    devicePolicy: { maxAgeMs: config.deviceCookieMaxAgeSeconds * 1000, maxPerUser: MAX_TRUSTED_DEVICES_PER_USER },
    reset: { ttlSeconds: config.resetTokenTtlSeconds, url: config.passwordResetUrl },
    hooks,
  });

  const errorLogging = createErrorLogging(log);

  /**
   * Domain errors keep their contract code and are not errors of the service, so they are not
   * logged as such; anything else is logged here, once, and masked.
   */
  function maskError(error: unknown, message: string): Error {
    errorLogging.markHandled(error);
    const cause = rootCause(error);
    if (cause instanceof AuthError) return toGraphQLError(cause, error);
    if (cause instanceof GraphQLError) return cause;
    log.error({ err: cause }, 'unexpected error');
    return locatedLike(error, message, { code: 'INTERNAL_SERVER_ERROR' });
  }

  const afterResponse = new AfterResponseTasks();
  const yoga = createYoga<ServerContext, Context>({
    schema,
    context: createContextFactory({
      auth,
      prisma,
      isDatabaseMigrated,
      production: config.isProduction,
      trustProxy: config.trustProxy,
      afterResponse,
    }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // isDev false: graphql-yoga would otherwise attach stacks and messages in development.
    maskedErrors: { maskError, errorMessage: 'Unexpected error.', isDev: false },
    graphiql: config.graphiql ? { title: 'Auth API', ...graphiqlExamples } : false,
    renderGraphiQL: renderLocalGraphiQL,
    batching: false,
    multipart: false,
    cors: (request) => {
      const origin = request.headers.get('origin');
      // Only listed origins, each echoed alone: never a wildcard with credentials.
      if (origin === null || !config.corsOrigins.includes(origin)) return false;
      return { origin: [origin], credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['content-type'], maxAge: 600 };
    },
    logging: errorLogging.yogaLogger,
    plugins: [
      useSecurityHeaders({ production: config.isProduction }),
      useStrictRequests({ maxBodyBytes: config.requestLimits.maxBodyBytes }),
      useCookies(),
      useReadiness(async () => isDatabaseMigrated() && (await isDatabaseReachable(prisma))),
      usePages(),
      ...requestLimitPlugins(config.requestLimits),
      useOneCredentialField(),
      ...(config.introspection ? [] : [useDisableIntrospection(), blockFieldSuggestionsPlugin() as Plugin]),
      useCrossSiteMutationGuard({ allowedOrigins: config.corsOrigins, trustProxy: config.trustProxy }),
      useRefusalStatus(),
      useInputRules(),
      useAfterResponse(afterResponse, background),
    ],
  });

  const housekeeping = new Housekeeping({
    executor: database.sweeps,
    clock,
    log,
    sessionIdleTimeoutMs: config.sessionIdleTimeoutSeconds * 1000,
  });
  return { yoga, auth, background, housekeeping };
}

/** graphql-js and yoga may each wrap a resolver's error in a GraphQLError; find the thrown one. */
function rootCause(error: unknown): unknown {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}
