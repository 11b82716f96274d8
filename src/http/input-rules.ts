// Input rules applied to every operation at one place, the edge, before any resolver runs (so no
// bcrypt, no rate-limit slot, no database query is spent on refused input):
// 1. variables are coerced to their declared types; one that does not fit answers HTTP 400
//    BAD_USER_INPUT naming the variable (variable-coercion.ts);
// 2. every string inside every argument value (literals and variables, lists and input objects,
//    object keys too, so a future JSON argument is covered) is checked for refused characters
//    (auth/characters.ts); the first refusal answers BAD_USER_INPUT with `extensions.field` the
//    argument's name, in the same envelope as a resolver's BAD_USER_INPUT (data null, path).
//
// Why a plugin at execute time rather than checks in each resolver or service method: it reads
// the operation and the schema, so an operation added later is covered without anyone
// remembering to call a check. Why not a schema-wide field wrapper: that runs per field during
// execution, after sibling root fields may already have done work.
import { BREAK, type DocumentNode, GraphQLError, getOperationAST, Kind, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { REFUSED_CHARACTER_MESSAGE, hasRefusedCharacter } from '../auth/characters.ts';
import { InvalidInputError } from '../auth/errors.ts';
import { toGraphQLError } from '../schema/errors.ts';
import { collectArgumentValues, type ArgumentValue } from './argument-values.ts';
import { coerceVariables } from './variable-coercion.ts';

/** True when a string anywhere in the value (lists, plain objects and their keys) is refused. */
function holdsRefusedText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (hasRefusedCharacter(next)) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (isPlainObject(next)) {
      for (const [key, inner] of Object.entries(next)) pending.push(key, inner);
    }
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function refuseArgument({ name, field, rootKey }: ArgumentValue): GraphQLError {
  const at = new GraphQLError('', { nodes: [field], path: rootKey === null ? undefined : [rootKey] });
  return toGraphQLError(new InvalidInputError(name, `${name} ${REFUSED_CHARACTER_MESSAGE}`), at);
}

/**
 * Whether a document carries any argument or variable at all. graphql-yoga's parser cache hands
 * every request with the same text the same DocumentNode, so this is worked out once per
 * document: `{ me { id } }`, asked on every page load, then costs a WeakMap lookup, not two
 * walks of the document with type information.
 */
const takesInput = new WeakMap<DocumentNode, boolean>();

function hasArgumentsOrVariables(document: DocumentNode): boolean {
  let found = takesInput.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      enter(node) {
        if (node.kind === Kind.ARGUMENT || node.kind === Kind.VARIABLE_DEFINITION) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
    takesInput.set(document, found);
  }
  return found;
}

export function useInputRules(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!hasArgumentsOrVariables(args.document)) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return; // execution reports a missing or ambiguous operation itself
      const coerced = coerceVariables(args.schema, operation, args.variableValues ?? {});
      if ('errors' in coerced) {
        setResultAndStopExecution({ errors: coerced.errors });
        return;
      }
      const refused = collectArgumentValues(args.schema, args.document, operation, coerced.variables).find((argument) =>
        holdsRefusedText(argument.value),
      );
      if (refused) setResultAndStopExecution({ data: null, errors: [refuseArgument(refused)] });
    },
  };
}
