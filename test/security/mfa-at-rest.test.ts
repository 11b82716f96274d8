// What a leaked database or log yields of the second factor: nothing usable. The whole database
// (every row of every model) and every log line are searched for the TOTP secret, as base32 and
// as its raw bytes in hex and base64, and for each recovery code, with and without dashes.
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { currentCode, enrolled, loggedInWithMfa, secretBytes } from '../helpers/mfa.ts';
import { RegenerateRecoveryCodes } from '../helpers/operations.ts';

/** Every row of every model, as text. */
async function everyRow(api: TestApp): Promise<string> {
  const tables: string[] = [];
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (api.prisma as unknown as Record<string, { findMany(): Promise<unknown[]> }>)[
      model[0]!.toLowerCase() + model.slice(1)
    ]!;
    tables.push(JSON.stringify(await delegate.findMany()));
  }
  return tables.join('\n');
}

function forms(secret: string, recoveryCodes: string[]): string[] {
  const bytes = secretBytes(secret);
  return [
    secret,
    secret.toLowerCase(),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('latin1'),
    ...recoveryCodes.flatMap((code) => [code, code.replace(/-/g, ''), code.toLowerCase()]),
  ];
}

async function expectNothingUsable(api: TestApp, secret: string, recoveryCodes: string[]): Promise<void> {
  await api.background.drain();
  const database = await everyRow(api);
  const { secretCiphertext } = await api.prisma.totpAuthenticator.findFirstOrThrow();
  expect(database).toContain(secretCiphertext); // the scan does reach the sealed secret
  const logs = api.logs.text();
  for (const form of forms(secret, recoveryCodes)) {
    expect(database.includes(form), `database holds ${form}`).toBe(false);
    expect(logs.includes(form), `logs hold ${form}`).toBe(false);
  }
}

describe('the second factor at rest', () => {
  it('leaves neither the TOTP secret nor a recovery code in the database or the logs', async () => {
    const api = await createTestApp();
    const { browser, secret, recoveryCodes } = await enrolled(api);
    await loggedInWithMfa(api, secret);
    await loggedInWithMfa(api, '', recoveryCodes[0]!);
    await expectNothingUsable(api, secret, recoveryCodes);

    api.clock.advanceSeconds(30);
    const fresh = (await browser.gql(RegenerateRecoveryCodes, { code: currentCode(api, secret) })).data!.regenerateRecoveryCodes;
    await expectNothingUsable(api, secret, [...recoveryCodes, ...fresh]);
    // Only hashes of the codes: 64 hex characters each.
    expect(await api.prisma.recoveryCode.findMany({ select: { codeHash: true } })).toEqual(
      Array(10).fill({ codeHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    );
  });
});
