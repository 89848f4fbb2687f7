/**
 * Generates `architecture.schema.json` (JSON Schema draft-07) from the valibot schema in
 * `src/architecture-schema.ts`. Run `pnpm --filter @wide/layers schema` after changing the
 * schema; `test/schema.test.ts` fails while the checked-in file differs from a fresh generation.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from '@valibot/to-json-schema';
import { architectureSchema, layerSchema, layerSchemas, layersSchema } from '../src/architecture-schema.js';

/** Where the published schema lives (the package root, next to package.json). */
export const schemaPath = fileURLToPath(new URL('../architecture.schema.json', import.meta.url));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Draft-07 ignores every keyword next to `$ref`, so `{ $ref, description }` becomes
 * `{ description, allOf: [{ $ref }] }`: editors then show the field's own description.
 */
function refsWithoutSiblings(node: Json): Json {
  if (Array.isArray(node)) return node.map(refsWithoutSiblings);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = refsWithoutSiblings(value);
  if (typeof out['$ref'] === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [{ $ref: $ref! }] };
  }
  return out;
}

/** The JSON Schema of the architecture JSON, with one definition per layer type. */
export function architectureJsonSchema(): Json {
  const schema = toJsonSchema(architectureSchema, {
    target: 'draft-07',
    // Validation pipes start with a guard against arrays (`v.custom`, not expressible and not
    // needed in JSON Schema, where "type": "object" excludes arrays): convert what follows it.
    typeMode: 'output',
    // Every number is finite in JSON.
    ignoreActions: ['finite'],
    definitions: { layers: layersSchema, layer: layerSchema, ...layerSchemas },
  });
  // The keys a reader looks for first.
  const { $schema, title, description, ...rest } = schema;
  return refsWithoutSiblings({ $schema, title, description, ...rest } as Json);
}

/** The file's text: two-space JSON with a final newline. */
export function architectureJsonSchemaText(): string {
  return `${JSON.stringify(architectureJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaPath, architectureJsonSchemaText());
  console.log(`wrote ${schemaPath}`);
}
