// Input rules applied to every operation at one place, the edge, before any resolver runs (so no
// bcrypt, no rate-limit slot, no database query is spent on refused input): variables are
// coerced to their declared types, and one that does not fit answers HTTP 400 BAD_USER_INPUT
// naming the variable (variable-coercion.ts).
//
// Why a plugin at execute time rather than checks in each resolver or service method: it reads
// the operation and the schema, so an operation added later is covered without anyone
// remembering to call a check.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { coerceVariables } from './variable-coercion.ts';

export function useInputRules(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return; // execution reports a missing or ambiguous operation itself
      const coerced = coerceVariables(args.schema, operation, args.variableValues ?? {});
      if ('errors' in coerced) setResultAndStopExecution({ errors: coerced.errors });
    },
  };
}
