// npm run build: the service as plain JavaScript in dist/, run by node itself (npm start).
// Running the TypeScript through tsx in production cost about 90 MiB of resident memory (its
// loader, transform cache and source maps) for nothing the service needs at run time.
//
// One bundle per entry point: the service, and the migration child it spawns (which must sit
// next to it, see src/db/migrate/migrate-child.ts). Our own code and the generated Prisma clients are
// bundled; packages stay in node_modules, loaded by node as usual.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './paths.ts';

const outdir = join(repoRoot, 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: repoRoot,
  entryPoints: { main: 'src/main.ts', 'migrate-cli': 'src/db/migrate/migrate-cli.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Stack traces in logs point at src/ with node --enable-source-maps; off by default (memory).
  sourcemap: 'linked',
  logLevel: 'warning',
});
