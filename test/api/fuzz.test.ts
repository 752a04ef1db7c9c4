// Property-based fuzzing of every operation of the served OpenAPI document with schemathesis
// (the pinned release from PyPI in .tools/schemathesis, installed here when missing): valid and
// invalid requests generated from /api/openapi.json with a fixed seed, against the real app on
// a real PostgreSQL and Temporal with a worker — once with an owner's token and once with a
// viewer's. It fails on any 5xx, on any answer the document does not describe (status, media
// type, headers, body schema, a 405 without Allow), on invalid input taken as valid, and on a
// protected operation answering without a token. Business rules the document cannot state (an
// unknown category, a timezone that is no IANA zone) answer 400 to schema-valid requests: that
// check (positive_data_acceptance) is off. See docs/api.md.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { findSchemathesis } from '../support/schemathesis.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';

const SECRET = 'fuzz-test-secret';
/** The same cases on every run: a failure found once is found again. */
const SEED = 20261204;
/** Together the two runs make well over 5,000 requests in about two minutes on two cores. */
const RUNS = { owner: { maxExamples: 25 }, viewer: { maxExamples: 10 } } as const;
const MIN_REQUESTS = 5_000;

const db = useTestDatabase({ truncateBeforeEach: false });
const temporal = useTemporal();

let dataDir: string;
let baseUrl: string;
let server: Server;
let schemathesis: string;
/** What the app logged as its own failure (a 500 or a response breaking the document). */
const serverErrors: unknown[] = [];
const tokens = { owner: '', viewer: '' };
/** Ids that exist, for path parameters: the fuzzer reaches past "no such id" half the time. */
const knownIds: Record<string, string[]> = {};

beforeAll(async () => {
  schemathesis = await findSchemathesis({ log: (line) => console.log(line) });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-fuzz-'));
  await importStationBundle(db, smallStationBundle());
  tokens.owner = (await makePerson(db, SECRET, 'admin', { email: 'owner@fuzz.example' })).token;
  tokens.viewer = (await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'], email: 'viewer@fuzz.example' })).token;
  const ids = async (table: string) => ((await db(table).select('id')) as { id: string }[]).map((r) => r.id);
  Object.assign(knownIds, {
    trackId: await ids('tracks'),
    clockId: await ids('clocks'),
    ruleSetId: await ids('music_rule_sets'),
    advertiserId: await ids('advertisers'),
    campaignId: await ids('campaigns'),
    userId: await ids('users'),
  });
  const app = createApp({
    db,
    temporal: { namespace: 'default', check: () => Promise.resolve() },
    jwtSecret: SECRET,
    broadcastDays: { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' },
    dataDir,
    validateResponses: true,
    log: (error) => serverErrors.push(error),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 900_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Figures {
  requests: number;
  byClass: Record<string, number>;
  seconds: number;
  exitCode: number;
  /** schemathesis' report of what failed (empty when nothing did). */
  failures: string;
}

const toml = (value: string) => JSON.stringify(value);

function config(maxExamples: number, events: string): string {
  const dictionaries = Object.entries(knownIds).filter(([, values]) => values.length > 0);
  return [
    `seed = ${SEED}`,
    'workers = 2',
    'color = false',
    'max-failures = 50',
    'request-timeout = 30',
    'warnings = false',
    '[generation]',
    `max-examples = ${maxExamples}`,
    'database = "none"',
    '[checks]',
    'enabled = true',
    // A schema-valid request may still break a rule only the route knows (see the top of this file).
    'positive_data_acceptance.enabled = false',
    // Refused is refused: 413 (a body past the limit) and 412 (a stale If-Match) are refusals too.
    'negative_data_rejection.expected-statuses = [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429]',
    '[dictionaries.station]',
    'values = ["kqtr"]',
    ...dictionaries.flatMap(([name, values]) => [`[dictionaries.${name}]`, `values = [${values.map(toml).join(', ')}]`]),
    '[parameters]',
    '"path.station" = { dictionary = "station", probability = 0.9 }',
    ...dictionaries.map(([name]) => `"path.${name}" = { dictionary = "${name}", probability = 0.5 }`),
    '[reports.ndjson]',
    'enabled = true',
    `path = ${toml(events)}`,
  ].join('\n');
}

/** Requests made, by status class, from schemathesis' event log. */
async function countRequests(events: string): Promise<Pick<Figures, 'requests' | 'byClass'>> {
  const byClass: Record<string, number> = {};
  let requests = 0;
  const lines = createInterface({ input: createReadStream(events), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const event = JSON.parse(line) as { ScenarioFinished: { recorder: { interactions?: Record<string, { response?: { status_code: number } | null }> } } };
    for (const interaction of Object.values(event.ScenarioFinished.recorder.interactions ?? {})) {
      requests += 1;
      const status = interaction.response?.status_code;
      const statusClass = status === undefined ? 'no answer' : `${String(status)[0]}xx`;
      byClass[statusClass] = (byClass[statusClass] ?? 0) + 1;
    }
  }
  return { requests, byClass };
}

async function fuzz(who: keyof typeof tokens): Promise<Figures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'librelog-fuzz-run-'));
  try {
    const events = path.join(dir, 'events.ndjson');
    const configFile = path.join(dir, 'schemathesis.toml');
    await writeFile(configFile, config(RUNS[who].maxExamples, events));
    const started = Date.now();
    const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>((resolve) => {
      execFile(
        schemathesis,
        ['--config-file', configFile, 'run', `${baseUrl}/api/openapi.json`, '--url', `${baseUrl}/api/v1`, '--header', `Authorization: Bearer ${tokens[who]}`],
        { cwd: dir, maxBuffer: 256 * 1024 * 1024, timeout: 600_000, env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout, stderr) => resolve({ exitCode: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0, output: `${stdout}\n${stderr}` }),
      );
    });
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const failures = exitCode === 0 ? '' : (/={5,} FAILURES ={5,}[\s\S]*/.exec(output)?.[0] ?? output).slice(0, 60_000);
    // No event log: schemathesis did not get as far as running (its output says why).
    const counted = await countRequests(events).catch(() => ({ requests: 0, byClass: {} }));
    return { ...counted, seconds, exitCode, failures: failures || (counted.requests === 0 ? output : '') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('fuzzing every operation of the served OpenAPI document', () => {
  const made: number[] = [];

  it.each(Object.keys(RUNS) as (keyof typeof RUNS)[])('with a %s token: no server error, nothing the document does not describe', { timeout: 900_000 }, async (who) => {
    const figures = await temporal.withWorker(activitiesFor(db, dataDir), () => fuzz(who));
    made.push(figures.requests);
    console.log(
      `fuzz (${who}, seed ${SEED}): ${figures.requests} requests in ${figures.seconds} s — ` +
        Object.entries(figures.byClass)
          .sort()
          .map(([statusClass, n]) => `${statusClass} ${n}`)
          .join(', '),
    );
    expect(figures.failures, figures.failures).toBe('');
    expect(figures.exitCode).toBe(0);
    expect(figures.byClass['5xx'] ?? 0).toBe(0);
    expect(serverErrors.map((e) => String((e as Error)?.stack ?? e))).toEqual([]);
    expect(figures.requests).toBeGreaterThan(500);
  });

  it(`makes at least ${MIN_REQUESTS} requests in all`, () => {
    expect(made.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(MIN_REQUESTS);
  });
});
