import { fileURLToPath } from 'node:url';
import { stationBundleSchema } from './schema.js';

/** The published copy of the station bundle's JSON Schema. */
export const BUNDLE_SCHEMA_DOC = fileURLToPath(new URL('../../docs/station-bundle.schema.json', import.meta.url));

export function bundleSchemaDocument(): string {
  return `${JSON.stringify(stationBundleSchema, null, 2)}\n`;
}
