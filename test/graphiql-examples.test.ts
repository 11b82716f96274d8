// The tabs GraphiQL opens with must run as they stand: valid against the schema, every
// variable given a value, and together they show every operation an app sends.
import { readdirSync, readFileSync } from 'node:fs';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphiqlExamples } from '../src/http/graphiql-examples.ts';
import { schema } from '../src/schema/index.ts';

function operationsOf(document: string): OperationDefinitionNode[] {
  return parse(document).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

describe('GraphiQL example tabs', () => {
  const tabs = graphiqlExamples.defaultTabs;

  it.each(tabs.map((tab, index) => [index + 1, tab] as const))('tab %i is valid against the schema', (_index, tab) => {
    expect(validate(schema, parse(tab.query))).toEqual([]);
  });

  it.each(tabs.map((tab, index) => [index + 1, tab] as const))('tab %i gives every variable it declares a value', (_index, tab) => {
    const given = Object.keys(JSON.parse(tab.variables ?? '{}') as Record<string, unknown>);
    const declared = operationsOf(tab.query).flatMap((op) => (op.variableDefinitions ?? []).map((v) => v.variable.name.value));
    expect(given.sort()).toEqual([...new Set(declared)].sort());
  });

  it('show every operation of operations/*.graphql, the first tab register, login and me', () => {
    const names = (document: string) => operationsOf(document).map((op) => op.name?.value);
    const shown = tabs.flatMap((tab) => names(tab.query));
    const files = readdirSync(new URL('../operations/', import.meta.url)).filter((file) => file.endsWith('.graphql'));
    const sent = files.flatMap((file) => names(readFileSync(new URL(`../operations/${file}`, import.meta.url), 'utf8')));
    expect(shown.sort()).toEqual(sent.sort());
    expect(names(tabs[0]!.query)).toEqual(expect.arrayContaining(['Register', 'Login', 'Me']));
  });
});
