/**
 * A validator for the part of JSON Schema draft-07 that `architecture.schema.json` uses, so the
 * tests can check the published schema against documents without a new dependency. It refuses
 * schemas with any other keyword ({@link unsupportedKeywords}), so it cannot skip a constraint.
 */

/** A JSON Schema (draft-07) as parsed JSON. */
export type JsonSchema = { [keyword: string]: unknown };

const annotations = ['$schema', '$defs', 'title', 'description', 'default'];
const assertions = ['$ref', 'allOf', 'oneOf', 'type', 'properties', 'required', 'additionalProperties', 'items', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum'];
const supported = new Set([...annotations, ...assertions]);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Keywords used anywhere in `schema` that this validator does not implement. */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const out = new Set<string>();
  const walk = (s: JsonSchema) => {
    for (const [key, value] of Object.entries(s)) {
      if (!supported.has(key)) out.add(key);
      if (key === 'properties' || key === '$defs') Object.values(value as Record<string, JsonSchema>).forEach(walk);
      else if (key === 'allOf' || key === 'oneOf') (value as JsonSchema[]).forEach(walk);
      else if (key === 'items' && isRecord(value)) walk(value);
    }
  };
  walk(schema);
  return [...out];
}

function resolve(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')], root) as JsonSchema;
}

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      throw new Error(`unsupported type ${String(type)}`);
  }
}

function check(root: JsonSchema, s: JsonSchema, value: unknown, path: string, errors: string[]): void {
  if (typeof s['$ref'] === 'string') check(root, resolve(root, s['$ref']), value, path, errors);
  if (Array.isArray(s['allOf'])) for (const sub of s['allOf'] as JsonSchema[]) check(root, sub, value, path, errors);
  if (Array.isArray(s['oneOf'])) {
    const matching = (s['oneOf'] as JsonSchema[]).filter((sub) => {
      const e: string[] = [];
      check(root, sub, value, path, e);
      return e.length === 0;
    }).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of the oneOf alternatives`);
  }
  if ('type' in s && !typeMatches(s['type'], value)) {
    errors.push(`${path}: not of type ${String(s['type'])}`);
    return;
  }
  if ('const' in s && value !== s['const']) errors.push(`${path}: not ${JSON.stringify(s['const'])}`);
  if (Array.isArray(s['enum']) && !s['enum'].includes(value)) errors.push(`${path}: not one of ${JSON.stringify(s['enum'])}`);
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) errors.push(`${path}: below ${s['minimum']}`);
    if (typeof s['maximum'] === 'number' && value > s['maximum']) errors.push(`${path}: above ${s['maximum']}`);
    if (typeof s['exclusiveMinimum'] === 'number' && !(value > s['exclusiveMinimum'])) errors.push(`${path}: not above ${s['exclusiveMinimum']}`);
  }
  if (isRecord(value)) {
    const properties = (s['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const key of (s['required'] ?? []) as string[]) if (!(key in value)) errors.push(`${path}.${key}: required`);
    for (const [key, v] of Object.entries(value)) {
      if (key in properties) check(root, properties[key]!, v, `${path}.${key}`, errors);
      else if (s['additionalProperties'] === false) errors.push(`${path}.${key}: not allowed`);
    }
  }
  if (Array.isArray(value) && isRecord(s['items'])) value.forEach((item, i) => check(root, s['items'] as JsonSchema, item, `${path}[${i}]`, errors));
}

/** The reasons `value` does not satisfy `schema` (empty when it does). */
export function jsonSchemaErrors(schema: JsonSchema, value: unknown): string[] {
  const errors: string[] = [];
  check(schema, schema, value, '$', errors);
  return errors;
}
