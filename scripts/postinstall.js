// npm install runs this. `npm run generate` needs the prisma CLI and tsx, which are development
// dependencies: an install without them (`npm ci --omit=dev`, the production install in the
// README) serves a dist/ built beforehand, which already bundles the generated clients.
// Plain JavaScript: without tsx, node cannot run the TypeScript scripts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const bin = new URL('../node_modules/.bin/', import.meta.url);
if (!existsSync(new URL('tsx', bin)) || !existsSync(new URL('prisma', bin))) {
  console.log('Development dependencies are not installed: skipping `npm run generate` (serve a dist/ built before, see the README).');
} else {
  process.exitCode = spawnSync('npm', ['run', 'generate'], { stdio: 'inherit' }).status ?? 1;
}
