// graphql-codegen: typed documents for the operations in operations/*.graphql, checked against
// schema.graphql. `npm run codegen` rewrites operations/generated/ (committed, so apps and
// tests use it without running codegen); test/codegen.test.ts fails when it is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'operations/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        useTypeImports: true,
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
