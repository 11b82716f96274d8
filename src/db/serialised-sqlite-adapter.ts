// better-sqlite3 gives Prisma one connection. Prisma's adapter locks it for a transaction's own
// statements but not against statements from other requests, which would run *inside* the open
// transaction and be rolled back with it: another request's committed-looking write lost. This
// wrapper makes every statement outside a transaction wait until no transaction is open.
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';

class SerialisedSqliteAdapter implements SqlDriverAdapter {
  /** Settles when the last transaction that was started (or is waiting to start) has ended. */
  #idle: Promise<void> = Promise.resolve();

  constructor(private readonly inner: SqlDriverAdapter) {}

  get provider() {
    return this.inner.provider;
  }

  get adapterName() {
    return this.inner.adapterName;
  }

  async queryRaw(query: SqlQuery) {
    await this.#idle;
    return this.inner.queryRaw(query);
  }

  async executeRaw(query: SqlQuery) {
    await this.#idle;
    return this.inner.executeRaw(query);
  }

  async executeScript(script: string) {
    await this.#idle;
    return this.inner.executeScript(script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    let release!: () => void;
    const ended = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#idle;
    this.#idle = previous.then(() => ended);
    await previous;
    try {
      return releasingOnEnd(await this.inner.startTransaction(isolationLevel), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  dispose() {
    return this.inner.dispose();
  }
}

function releasingOnEnd(tx: Transaction, release: () => void): Transaction {
  const end = (method: 'commit' | 'rollback') => async () => {
    try {
      await tx[method]();
    } finally {
      release();
    }
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'commit' || property === 'rollback') return end(property);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Wraps a SQLite adapter factory; `setup` runs once on each new connection (pragmas). */
export function serialisedSqlite(inner: SqlMigrationAwareDriverAdapterFactory, setup: string): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      await adapter.executeScript(setup);
      return new SerialisedSqliteAdapter(adapter);
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}
