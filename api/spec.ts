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
  addSharedProblems(spec);
  boundIntegers(spec);
  return spec;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const INT4 = { minimum: -2147483648, maximum: 2147483647 };

interface Operation {
  requestBody?: unknown;
  parameters?: unknown[];
  responses?: Record<string, unknown>;
}

function operations(spec: ApiSpec): { path: string; item: Section; op: Operation }[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Section)[m]).map((m) => ({ path, item: item as Section, op: (item as Section)[m] as Operation })),
  );
}

/**
 * The problems any operation can answer, on every operation that does not say them itself:
 * 400 (any request can be malformed: an unknown query parameter, bad percent-encoding, NUL in
 * a text), and for one that takes a body, 413 (larger than the server reads) and 415 (a media
 * type it does not take). So the served document lists every status the API answers with.
 */
function addSharedProblems(spec: ApiSpec): void {
  const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
  for (const { op } of operations(spec)) {
    const responses = (op.responses ??= {});
    const shared: Record<string, string> = op.requestBody ? { '400': 'BadRequest', '413': 'ContentTooLarge', '415': 'UnsupportedContentType' } : { '400': 'BadRequest' };
    for (const [status, name] of Object.entries(shared)) responses[status] ??= ref(name);
  }
}

/**
 * Integers are stored in PostgreSQL `integer` columns unless the document says otherwise:
 * every integer a request carries (parameters and bodies, through their $refs) that has no
 * bound of its own gets the column's, so a larger one is a 400 rather than a database error.
 */
function boundIntegers(spec: ApiSpec): void {
  const seen = new Set<unknown>();
  const resolve = (value: unknown): unknown => {
    const ref = (value as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return value;
    return ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], spec);
  };
  const visit = (value: unknown): void => {
    const schema = resolve(value) as Record<string, unknown> | undefined;
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    if (schema.type === 'integer') {
      schema.minimum ??= INT4.minimum;
      schema.maximum ??= INT4.maximum;
    }
    for (const key of ['items', 'additionalProperties', 'not'] as const) visit(schema[key]);
    for (const key of ['properties', 'patternProperties'] as const) for (const child of Object.values((schema[key] as Section | undefined) ?? {})) visit(child);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) for (const child of (schema[key] as unknown[] | undefined) ?? []) visit(child);
  };
  for (const { item, op } of operations(spec)) {
    for (const parameter of [...((item.parameters as unknown[] | undefined) ?? []), ...(op.parameters ?? [])]) visit((resolve(parameter) as { schema?: unknown }).schema);
    const body = resolve(op.requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined;
    for (const media of Object.values(body?.content ?? {})) visit(media.schema);
  }
}
