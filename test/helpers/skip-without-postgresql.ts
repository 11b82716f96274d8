// The postgresql project's tests skip themselves, naming the reason, when its global set-up
// found no server (and CI did not demand one).
import { beforeEach, inject } from 'vitest';

const reason = inject('postgresqlSkipReason');
if (reason !== null) beforeEach((context) => context.skip(`PostgreSQL tests skipped: ${reason}`));
