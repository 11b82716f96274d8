// Every argument value an operation will pass to a resolver, as the resolver will see it:
// literals and variables alike, coerced by graphql-js's own getArgumentValues. Fields inside the
// fragments the operation spreads count too, and so do fields under @skip/@include: checking an
// argument that will not run costs nothing and keeps this walk free of execution's rules.
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getArgumentValues,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { CoercedVariables } from './variable-coercion.ts';

export interface ArgumentValue {
  /** The argument's name in the schema. */
  name: string;
  value: unknown;
  field: FieldNode;
  /** The field's response key when it is a root field, for an error's `path`; else null. */
  rootKey: string | null;
}

/** The operation and the fragment definitions it reaches, fragment cycles cut. */
function reachableDefinitions(document: DocumentNode, operation: OperationDefinitionNode): ASTNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const reached: ASTNode[] = [operation];
  const seen = new Set<string>();
  for (let i = 0; i < reached.length; i += 1) {
    visit(reached[i]!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !seen.has(spread.name.value)) {
          seen.add(spread.name.value);
          reached.push(fragment);
        }
      },
    });
  }
  return reached;
}

export function collectArgumentValues(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: CoercedVariables,
): ArgumentValue[] {
  const rootType = schema.getRootType(operation.operation);
  const found: ArgumentValue[] = [];
  for (const definition of reachableDefinitions(document, operation)) {
    const typeInfo = new TypeInfo(schema);
    const visitor = {
      Field(field: FieldNode) {
        const fieldDef = typeInfo.getFieldDef();
        if (!fieldDef || !field.arguments?.length) return;
        const rootKey = typeInfo.getParentType() === rootType ? (field.alias ?? field.name).value : null;
        for (const [name, value] of Object.entries(argumentValuesOf(fieldDef, field, variables))) {
          found.push({ name, value, field, rootKey });
        }
      },
    };
    visit(definition, visitWithTypeInfo(typeInfo, visitor));
  }
  return found;
}

/**
 * Values of a field's arguments. graphql-js throws here only for what execution would report as
 * that field's own error (an explicit null for a non-null argument behind a defaulted variable),
 * so such a field is left to execution.
 */
function argumentValuesOf(fieldDef: Parameters<typeof getArgumentValues>[0], field: FieldNode, variables: CoercedVariables) {
  try {
    return getArgumentValues(fieldDef, field, variables);
  } catch (error) {
    if (error instanceof GraphQLError) return {};
    throw error;
  }
}
