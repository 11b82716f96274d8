// Variables are coerced to their declared types before execution, one definition at a time, so
// each refusal names its variable. graphql-js reports a variable of the wrong type (a number or an
// object where String! is declared) with no code, and graphql-yoga sends that with status 200:
// the client could not tell a refused request from an executed one. Per API.md a request refused
// before anything executes answers HTTP 400 with a code; for a bad value that code is
// BAD_USER_INPUT with `extensions.field` the variable's name, as for a bad argument.
//
// graphql-js's own messages echo the refused value, which may be a password: ours never do.
import {
  GraphQLError,
  getVariableValues,
  print,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

export type CoercedVariables = { [name: string]: unknown };

function refuseVariable(definition: VariableDefinitionNode, provided: boolean): GraphQLError {
  const name = definition.variable.name.value;
  const type = print(definition.type);
  const message = provided
    ? `Variable "$${name}" got a value that is not a valid ${type}.`
    : `Variable "$${name}" of required type ${type} was not provided.`;
  return new GraphQLError(message, {
    nodes: [definition],
    extensions: { code: 'BAD_USER_INPUT', field: name, http: { status: 400 } },
  });
}

/** The operation's variables coerced to their types, or one refusal per variable that does not fit. */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>>,
): { variables: CoercedVariables } | { errors: GraphQLError[] } {
  const variables: CoercedVariables = {};
  const errors: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const coerced = getVariableValues(schema, [definition], inputs, { maxErrors: 1 });
    if (coerced.errors) errors.push(refuseVariable(definition, inputs[definition.variable.name.value] !== undefined));
    else Object.assign(variables, coerced.coerced);
  }
  return errors.length > 0 ? { errors } : { variables };
}
