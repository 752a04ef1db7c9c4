// Bodies are read after identity: the access gate answers an anonymous caller, a member of
// another station or a role that may not, before a byte of a large body is read, inflated or
// written to disk. Each request here sends a body that never ends: an API that read it first
// would never answer. And what an allowed caller sends is bounded after inflation too.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const SECRET = 'bodies-after-identity-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
let api: Awaited<ReturnType<typeof startApi>>;
let dataDir: string;
let port: number;
const people = {} as Record<'otherStationAdmin' | 'viewer' | 'admin', TestPerson>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-bodies-'));
  await importStationBundle(db, smallStationBundle());
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kbod', name: 'Another station' } });
  people.otherStationAdmin = await makePerson(db, SECRET, 'admin', { stations: ['kbod'] });
  people.viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
  people.admin = await makePerson(db, SECRET, 'admin', { stations: ['kqtr'] });
  port = await freePort();
  api = await startApi({ port, db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir });
});

afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** 50 MB of JSON whitespace in about 50 KB of gzip. */
const bomb = gzipSync(Buffer.concat([Buffer.from('{"bundleVersion":1,"pad":"'), Buffer.alloc(50 * 1024 * 1024, 0x20), Buffer.from('"}')]), { level: 9 });

/**
 * Sends the headers and the first chunk of a body and never the rest: resolves with the answer
 * and how many bytes of the body were sent before it (the server answered without the body).
 */
function answerWithoutBody(method: string, urlPath: string, headers: Record<string, string>, first: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers: { ...headers, 'Transfer-Encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.setTimeout(10_000, () => reject(new Error(`no answer to ${method} ${urlPath} within 10 s: the body was being waited for`)));
    req.flushHeaders();
    req.write(first);
    // …and the body never ends.
  });
}

describe('bodies after identity', () => {
  it('an anonymous gzip bomb at the bundle import gets 401 before it is inflated', async () => {
    const res = await answerWithoutBody('PUT', '/api/v1/stations/kqtr/bundle', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, bomb.subarray(0, 16 * 1024));
    expect(res.status).toBe(401);
  });

  it('a member of another station gets 404, and a viewer 403, before the body is read', async () => {
    const headers = (who: TestPerson) => ({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: who.authorization });
    expect((await answerWithoutBody('PUT', '/api/v1/stations/kqtr/bundle', headers(people.otherStationAdmin), bomb.subarray(0, 16 * 1024))).status).toBe(404);
    expect((await answerWithoutBody('PUT', '/api/v1/stations/kqtr/bundle', headers(people.viewer), bomb.subarray(0, 16 * 1024))).status).toBe(403);
    expect((await answerWithoutBody('POST', '/api/v1/stations/kqtr/advertisers', { 'Content-Type': 'application/json', Authorization: people.viewer.authorization }, Buffer.from('{"name":"'))).status).toBe(403);
  });

  it('an anonymous or refused multipart upload is answered before any of it reaches the disk', async () => {
    const boundary = 'librelog-boundary';
    const start = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="take.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n${'x'.repeat(64 * 1024)}`);
    const headers = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
    expect((await answerWithoutBody('POST', '/api/v1/stations/kqtr/voice-tracks', headers, start)).status).toBe(401);
    expect((await answerWithoutBody('POST', '/api/v1/stations/kqtr/voice-tracks', { ...headers, Authorization: people.viewer.authorization }, start)).status).toBe(403);
    expect((await answerWithoutBody('POST', '/api/v1/stations/kqtr/voice-tracks', { ...headers, Authorization: people.otherStationAdmin.authorization }, start)).status).toBe(404);
    expect(await readdir(path.join(dataDir, 'uploads')).catch(() => [])).toEqual([]);
  });

  it("an allowed admin's bomb is inflated only up to the bundle limit, then refused with 413", async () => {
    const big = gzipSync(Buffer.concat([Buffer.from('{"pad":"'), Buffer.alloc(60 * 1024 * 1024, 0x20), Buffer.from('"}')]), { level: 9 });
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/stations/kqtr/bundle`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: people.admin.authorization },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
