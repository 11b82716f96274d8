// Seeds a migrated PostgreSQL database server-side: INSERT … SELECT over generate_series, so no
// row crosses the network. User ids are derived from the account's number (md5 as a uuid), which
// lets the sessions find their user without a join; token hashes are random, as in service.
import pg from 'pg';
import { DAY_MS, SESSIONS_PER_USER, scaleEmail } from './seed-plan.ts';

const SESSIONS_PER_STATEMENT = 1_000_000;

/** TIMESTAMP(3) columns hold UTC without a zone (as Prisma writes them). */
const utc = (ms: number) => new Date(ms).toISOString().replace('Z', '');

export async function seedPostgresql(url: string, users: number, passwordHash: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = off');
    const now = Date.now();
    const emailPrefix = scaleEmail(0).slice(0, 4); // "user"
    const emailSuffix = scaleEmail(0).slice(11); // "@scale.example"
    await client.query(
      `INSERT INTO "User" ("id", "email", "passwordHash", "createdAt", "passwordChangedAt", "credentialVersion")
       SELECT md5('u' || i)::uuid::text, $1 || lpad(i::text, 7, '0') || $2, $3, $4::timestamp, $4::timestamp, 0
       FROM generate_series(0, $5::int - 1) AS i`,
      [emailPrefix, emailSuffix, passwordHash, utc(now - 60 * DAY_MS), users],
    );
    // The same kinds and ages as seed-plan.ts's sessionKind and sessionTimes, in SQL.
    const total = users * SESSIONS_PER_USER;
    for (let from = 0; from < total; from += SESSIONS_PER_STATEMENT) {
      await client.query(
        `INSERT INTO "Session" ("id", "tokenHash", "userId", "createdAt", "lastSeenAt", "expiresAt", "userAgent", "ipAddress", "credentialVersion")
         SELECT gen_random_uuid()::text, encode(sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), 'hex'),
                md5('u' || (k / ${SESSIONS_PER_USER}))::uuid::text,
                $1::timestamp - ages.created - spread, $1::timestamp - ages.last_seen - spread, $1::timestamp - ages.expires - spread,
                'scale-seed', '203.0.113.7', 0
         FROM generate_series($2::int, $3::int - 1) AS k,
              LATERAL (SELECT make_interval(secs => k % 3600) AS spread) AS s,
              LATERAL (SELECT CASE WHEN k % 5 IN (0, 2) THEN interval '35 days' WHEN k % 5 = 1 THEN interval '20 days' ELSE interval '2 days' END AS created,
                              CASE WHEN k % 5 IN (0, 2) THEN interval '31 days' WHEN k % 5 = 1 THEN interval '10 days' ELSE interval '1 hour' END AS last_seen,
                              CASE WHEN k % 5 IN (0, 2) THEN interval '5 days' WHEN k % 5 = 1 THEN interval '-10 days' ELSE interval '-28 days' END AS expires) AS ages`,
        [utc(now), from, Math.min(total, from + SESSIONS_PER_STATEMENT)],
      );
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
