import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { freshDatabaseUrl } from '../helpers/db.ts';

describe('SQLite access from concurrent requests', () => {
  it("does not roll back another request's write with a failed transaction", async () => {
    const { prisma, close } = openDatabase(loadConfig({ DATABASE_URL: await freshDatabaseUrl() }));
    onTestFinished(close);
    let insideTransaction!: () => void;
    const transactionOpen = new Promise<void>((resolve) => (insideTransaction = resolve));
    let finishTransaction!: () => void;
    const mayFinish = new Promise<void>((resolve) => (finishTransaction = resolve));

    const failing = prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { email: 'doomed@example.com', passwordHash: 'x' } });
      insideTransaction();
      await mayFinish;
      throw new Error('this transaction fails');
    });
    await transactionOpen;
    // Another request writes while the transaction is open…
    const independent = prisma.user.create({ data: { email: 'kept@example.com', passwordHash: 'x' } });
    finishTransaction();
    await expect(failing).rejects.toThrow('this transaction fails');
    await independent;
    // …and its write survives the rollback.
    expect((await prisma.user.findMany({ select: { email: true } })).map((u) => u.email)).toEqual(['kept@example.com']);
  });
});
