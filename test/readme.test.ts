// The README's client snippets are the files the client tests run, word for word.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const codeBlocks = [...readme.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
const examples = readdirSync(new URL('../examples/', import.meta.url)).sort();

describe('README', () => {
  it('has an example for each client', () => {
    expect(examples).toEqual(['apollo-client.ts', 'curl.sh', 'urql.ts']);
  });

  it.each(examples)('shows examples/%s exactly as the tests run it', (file) => {
    const code = readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8');
    expect(codeBlocks, `README.md should show examples/${file} in a code block`).toContain(code);
  });
});
