import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it, onTestFinished } from 'vitest';
import config from '../codegen.ts';

describe('operations/generated', () => {
  it('is what `npm run codegen` makes of schema.graphql and operations/*.graphql today', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'auth-api-codegen-'));
    onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
    const [target, output] = Object.entries(config.generates)[0]!;
    await generate({ ...config, generates: { [`${outDir}/`]: output } }, true);
    const committed = new URL(`../${target}`, import.meta.url);
    const files = readdirSync(outDir).sort();
    expect(readdirSync(committed).sort()).toEqual(files);
    for (const file of files) {
      expect(readFileSync(new URL(file, committed), 'utf8'), `${target}${file} is stale: run npm run codegen`).toBe(
        readFileSync(join(outDir, file), 'utf8'),
      );
    }
  });
});
