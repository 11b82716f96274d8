// Limits on what one document may ask, from GraphQL Armor (escape.tech): depth, aliases,
// directives and lexical tokens. A deep or wide document is refused before it executes.
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { RequestLimits } from '../config.ts';

/**
 * The token limit is checked while parsing, which graphql-yoga would report as a syntax error
 * (GRAPHQL_PARSE_FAILED). A well-formed but oversized document is a validation failure in
 * API.md's terms, so it is reported as GRAPHQL_VALIDATION_FAILED.
 */
function useMaxTokens(maxTokens: number): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        const parser = new MaxTokensParserWLexer(source, { ...options, n: maxTokens, exposeLimits: true } as never);
        try {
          return parser.parseDocument();
        } catch (error) {
          if (parser.tokenCount > maxTokens) {
            throw new GraphQLError(`The document has more than ${maxTokens} tokens.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
          throw error;
        }
      });
    },
  };
}

/**
 * By default GraphQL Armor throws from inside validation, which aborts it and reaches the
 * client without a code and with a "Syntax Error" prefix. Reported as ordinary validation
 * errors instead, they get GRAPHQL_VALIDATION_FAILED and HTTP 400 like any other.
 */
const reportAsValidationError = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export function requestLimitPlugins(limits: RequestLimits): Plugin[] {
  return [
    useMaxTokens(limits.maxTokens),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...reportAsValidationError }) as Plugin,
    maxAliasesPlugin({ n: limits.maxAliases, ...reportAsValidationError }) as Plugin,
    maxDirectivesPlugin({ n: limits.maxDirectives, ...reportAsValidationError }) as Plugin,
  ];
}
