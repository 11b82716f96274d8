// scalar JSON (API.md): WebAuthn's options and responses in their own JSON forms. Input is held
// to what such a form can be: plain JSON values, at most MAX_JSON_DEPTH deep and MAX_JSON_BYTES
// long once serialised. Anything else is refused while variables are coerced, as BAD_USER_INPUT
// naming the variable (http/variable-coercion.ts), before any resolver runs; strings inside are
// checked for refused characters like every argument (http/input-rules.ts).
import { Kind, type ValueNode } from 'graphql';
import { builder } from './builder.ts';

/** A WebAuthn response is about 1 KiB (an RSA key and extension results stay far below this). */
export const MAX_JSON_BYTES = 16 * 1024;
const MAX_JSON_DEPTH = 8;

function isJsonWithin(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonWithin(item, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((item) => isJsonWithin(item, depth + 1));
  }
  return false;
}

function checkedJson(value: unknown): unknown {
  if (!isJsonWithin(value, 0) || JSON.stringify(value).length > MAX_JSON_BYTES) {
    throw new TypeError(`JSON must be a plain JSON value of at most ${MAX_JSON_BYTES} characters and ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

/** A literal in the document, with the operation's variables where it names them. */
function valueOfLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((item) => valueOfLiteral(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, valueOfLiteral(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value] ?? null;
  }
}

builder.scalarType('JSON', {
  description: "A JSON value: WebAuthn options and responses, as WebAuthn's own JSON forms",
  serialize: (value) => value,
  parseValue: (value) => checkedJson(value),
  parseLiteral: (node, variables) => checkedJson(valueOfLiteral(node, variables)),
});
