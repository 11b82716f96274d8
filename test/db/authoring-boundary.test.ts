// The service ships src/ (bundled into dist/); migration authoring lives in scripts/migrations/
// (README, "How it is built"). An import from src/ into scripts/ would pull the authoring tools,
// and the scratch databases they create and drop, into the service.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../scripts/paths.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

it('keeps the service free of migration authoring: nothing under src/ imports from scripts/', () => {
  const importsOfScripts = sourceFiles(join(repoRoot, 'src')).filter((file) =>
    /from\s+'(\.\.\/)+scripts\//.test(readFileSync(file, 'utf8')),
  );
  expect(importsOfScripts.map((file) => relative(repoRoot, file))).toEqual([]);
});
