// npm run schema: writes the JSON Schemas of the description files (schema/*.schema.json) for editor
// completion and validation; `npm test` fails when they are not current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonSchemas } from '../description/json-schema';

const dir = resolve(__dirname, '..', 'schema');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`schema/${file}`);
}
