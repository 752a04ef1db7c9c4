// The API's OpenAPI document: api/openapi.yaml (info, security, shared components) plus one
// fragment per resource in api/spec/*.yaml, each with its own `paths` and `components`.
// Fragments refer to shared parts as `#/components/...` as if they were in the root document.
// Merged once at start-up; the validator, the security check and /api/docs all see the same.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const OPENAPI_PATH = fileURLToPath(new URL('./openapi.yaml', import.meta.url));
const FRAGMENTS_DIR = fileURLToPath(new URL('./spec/', import.meta.url));
/**
 * express-openapi-validator 5.6 finds a request's operation by scanning the paths in document
 * order and compiling each pattern on every request (cdimascio/express-openapi-validator#1217
 * would cache them): the busiest reads, a day's log and the range of days, come first.
 */
const FIRST_FRAGMENTS = ['logs.yaml'];

type Section = Record<string, unknown>;
export interface ApiSpec {
  paths: Record<string, unknown>;
  components: Record<string, Section>;
  tags?: { name: string; description?: string }[];
  [key: string]: unknown;
}

export function loadApiSpec(): ApiSpec {
  const spec = parse(readFileSync(OPENAPI_PATH, 'utf8')) as ApiSpec;
  spec.paths ??= {};
  spec.components ??= {};
  spec.tags ??= [];
  const files = readdirSync(FRAGMENTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort((a, b) => Number(!FIRST_FRAGMENTS.includes(a)) - Number(!FIRST_FRAGMENTS.includes(b)) || a.localeCompare(b));
  for (const file of files) {
    const fragment = parse(readFileSync(`${FRAGMENTS_DIR}${file}`, 'utf8')) as Partial<ApiSpec>;
    for (const [path, item] of Object.entries(fragment.paths ?? {})) {
      if (path in spec.paths) throw new Error(`api/spec/${file}: path ${path} is already defined`);
      spec.paths[path] = item;
    }
    for (const [section, entries] of Object.entries(fragment.components ?? {})) {
      const target = (spec.components[section] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        if (name in target) throw new Error(`api/spec/${file}: components.${section}.${name} is already defined`);
        target[name] = value;
      }
    }
    spec.tags.push(...(fragment.tags ?? []));
  }
  return spec;
}
