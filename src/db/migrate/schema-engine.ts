// Prisma's schema engine as WebAssembly: it applies and diffs migrations offline, through the
// same driver adapters the service uses, where the native engine of the prisma CLI would first
// have to be downloaded (see README, "Migrations").
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/**
 * The wasm binding keeps its instance in module state of schema_engine_bg.js, which Node loads
 * once per process. Instantiating a second one would swap the instance under an engine still
 * running (a panic), and test runners may load this file twice, so the one instantiation is
 * kept on globalThis rather than in this module.
 */
const ENGINE_KEY = Symbol.for('auth-api.schema-engine-wasm');
type EngineGlobal = typeof globalThis & { [ENGINE_KEY]?: Promise<EngineModule> };

/** Node 20 cannot import a .wasm file as a module, so the binding is instantiated by hand, once. */
function loadEngineModule(): Promise<EngineModule> {
  const global = globalThis as EngineGlobal;
  global[ENGINE_KEY] ??= (async () => {
    installPanicRegistry();
    const require = createRequire(import.meta.url);
    const bindingPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = readFileSync(join(dirname(bindingPath), 'schema_engine_bg.wasm'));
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': withUnrefTimers(bg) });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return global[ENGINE_KEY];
}

/**
 * The engine arms timers it never clears (the binding imports no clearTimeout): on PostgreSQL
 * a 10 s timeout around its advisory lock outlives every migration, and would hold a process
 * that has shut down open for those 10 s. Unreferenced, they still fire while anything else
 * runs, but no longer keep the process alive by themselves.
 */
function withUnrefTimers(bg: EngineModule): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...(bg as unknown as WebAssembly.ModuleImports) };
  for (const [name, value] of Object.entries(imports)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') continue;
    const setTimer = value as (...args: unknown[]) => unknown;
    imports[name] = (...args: unknown[]) => {
      const timer = setTimer(...args);
      if (timer instanceof Object && 'unref' in timer && typeof timer.unref === 'function') timer.unref();
      return timer;
    };
  }
  return imports;
}

/** Where the engine reports a panic's message before it aborts (the prisma CLI installs the same). */
interface PanicRegistry {
  message: string | null;
  set_message(message: string): void;
}
const panics = (): PanicRegistry | undefined => (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY;

function installPanicRegistry(): void {
  if (panics() !== undefined) return;
  const registry: PanicRegistry = {
    message: null,
    set_message(message) {
      registry.message = message;
    },
  };
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY = registry;
}

/** A panic surfaces as a bare "unreachable"; give it the message the engine left. */
function withPanicMessage(error: unknown): unknown {
  const registry = panics();
  if (registry?.message == null) return error;
  const message = registry.message;
  registry.message = null;
  return new Error(`schema engine panicked: ${message}`, { cause: error });
}

export type EngineLog = (line: string) => void;

/**
 * Runs `work` with a schema engine bound to the adapter, then frees the engine and closes every
 * connection it opened: freeing alone leaves them open, and on SQLite the engine sets
 * locking_mode=EXCLUSIVE, so a leftover connection would lock the service out of its database.
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  datamodel: { path: string; content: string },
  work: (engine: SchemaEngine) => Promise<T>,
  log: EngineLog = () => {},
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: Promise<SqlDriverAdapter>) => {
    const adapter = await connect;
    opened.push(adapter);
    return adapter;
  };
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(adapterFactory.connect()),
    connectToShadowDb: () => track(adapterFactory.connectToShadowDb()),
  };
  try {
    const engine = await SchemaEngine.new(
      { datamodels: [[datamodel.path, datamodel.content]] },
      (line: string) => log(line),
      bindMigrationAwareSqlAdapterFactory(tracking),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw withPanicMessage(error);
  } finally {
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}
