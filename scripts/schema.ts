// npm run schema: writes the JSON Schemas of the description files (schema/*.schema.json) for editor
// completion and validation; `npm test` fails when they are not current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonSchemas } from '../description/json-schema';
import { runCommand } from './lib/command';

runCommand(
  {
    name: 'schema',
    summary:
      'Regenerates schema/*.schema.json from the zod schemas of description/schema/: editor completion and\n' +
      'inline checks for the YAML files. Run after changing a schema; a test fails until they match.',
    options: {},
    exitStatuses: { 0: 'the schemas are written', 2: 'a bad option' },
    example: 'npm run schema && git diff schema/',
  },
  () => {
    const dir = resolve(__dirname, '..', 'schema');
    mkdirSync(dir, { recursive: true });
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      writeFileSync(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
      console.log(`schema/${file}`);
    }
    return 0;
  },
);
