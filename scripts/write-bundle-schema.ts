// `npm run bundle-schema`: writes docs/station-bundle.schema.json from domain/bundle/schema.ts.
import { writeFile } from 'node:fs/promises';
import { BUNDLE_SCHEMA_DOC, bundleSchemaDocument } from '../domain/bundle/schema-document.js';

await writeFile(BUNDLE_SCHEMA_DOC, bundleSchemaDocument());
console.log(`wrote ${BUNDLE_SCHEMA_DOC}`);
