// Prisma ships as several packages that must move together (README, "Upgrading Prisma"): the
// CLI that generates the clients, the runtime and adapters that run them, and the schema engine
// compiled to WebAssembly that applies the migrations. These fail when one moves alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/paths.ts';

// prisma (the CLI) is a development dependency: a deployment runs the build, not the CLI.
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const pins = { ...manifest.dependencies, ...manifest.devDependencies };
const require = createRequire(join(repoRoot, 'package.json'));

const PRISMA_PACKAGES = [
  'prisma',
  '@prisma/client',
  '@prisma/adapter-better-sqlite3',
  '@prisma/adapter-pg',
  '@prisma/driver-adapter-utils',
  '@prisma/instrumentation',
];

/**
 * prisma 7.10.1 was built with @prisma/schema-engine-wasm 8.1.0-1.d1b3f377…, which was never
 * published (npm view answers 404, 2026-12-01): the README says why the one 8.1 build on the
 * registry is used. Upgrading prisma changes the CLI's commit, and the test then asks for an exact match.
 */
const ACCEPTED_MISMATCH = { cliEngine: 'd1b3f377ca835d73fd50954a5e22128b9ebdd6b8', wasmEngine: '59be4fda12412a79eeb9c2ae727b6aa723593323' };

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

describe('Prisma packages', () => {
  it('are pinned exactly, each at the major.minor of the prisma CLI', () => {
    for (const name of PRISMA_PACKAGES) {
      expect(pins[name], name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(minorOf(pins[name]!), name).toBe(minorOf(pins.prisma!));
    }
  });

  it("apply migrations with the wasm schema engine of the CLI's engine commit (or the one mismatch the README explains)", () => {
    const cliEngine = (require('@prisma/engines-version') as { enginesVersion: string }).enginesVersion;
    const wasmPin = pins['@prisma/schema-engine-wasm']!;
    const wasmEngine = wasmPin.split('.').pop();
    const expected = cliEngine === ACCEPTED_MISMATCH.cliEngine ? ACCEPTED_MISMATCH.wasmEngine : cliEngine;
    expect(wasmEngine, `pin @prisma/schema-engine-wasm at the build ending in .${cliEngine} (README, "Upgrading Prisma")`).toBe(expected);
    // Its exports map hides package.json from require: read the installed manifest as a file.
    const installed = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@prisma/schema-engine-wasm/package.json'), 'utf8')) as {
      version: string;
    };
    expect(installed.version, 'installed as pinned').toBe(wasmPin);
  });
});
