// npm run schema:print: writes schema.graphql from the Pothos schema, sorted, so the file
// diffs cleanly. Never edit schema.graphql by hand; test/schema.test.ts compares the two.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from '../src/schema/print.ts';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, printSortedSchema());
console.log(`Wrote ${target}`);
