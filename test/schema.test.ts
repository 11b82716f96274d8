import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../src/schema/print.ts';

describe('schema.graphql', () => {
  it('is exactly what the Pothos schema prints (run `npm run schema:print` after a schema change)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(printSortedSchema()).toBe(committed);
  });

  it('holds the shape of the public contract', () => {
    const printed = printSortedSchema();
    for (const line of [
      'me: User',
      'sessions: [Session!]!',
      'register(email: String!, password: String!): User!',
      'login(email: String!, password: String!): User!',
      'logout: Boolean!',
      'revokeSession(id: ID!): Boolean!',
      'logoutEverywhere: Int!',
      'changePassword(currentPassword: String!, newPassword: String!): Boolean!',
      'requestPasswordReset(email: String!): Boolean!',
      'resetPassword(newPassword: String!, token: String!): Boolean!',
      'current: Boolean!',
      'userAgent: String\n',
      'scalar DateTime',
    ]) {
      expect(printed).toContain(line);
    }
  });
});
