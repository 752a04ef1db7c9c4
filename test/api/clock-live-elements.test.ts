// A live show, network feed or outside programme as a clock element through the clocks API
// (issue 15, item 5): written in the station's words, read back the same, and refused next to
// the field when it cannot air as written.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'live-elements-secret';
const db = useTestDatabase();
const T = '/api/v1/stations/kqtr';

async function station() {
  await importStationBundle(db, smallStationBundle());
  const http = request(createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, validateResponses: true, log: () => undefined }));
  const programming = (await makePerson(db, SECRET, 'programming')).authorization;
  return { http, programming };
}

interface Element {
  type: string;
  title: string | null;
  source: string | null;
  count: number;
  length: number | null;
  start: { at: string; kind: string } | null;
}

describe('live programmes in the clocks API', () => {
  it('a live show and a network feed round-trip: source, fixed length and a hard start', async () => {
    const { http, programming } = await station();
    const body = {
      name: 'Queer Talk Live',
      elements: [
        { type: 'LIVE', title: 'Queer Talk Live', source: 'live', length: 1800, start: { at: '00:00' } },
        { type: 'LIN', title: 'Legal ID' },
        { type: 'MUS', count: 4 },
        { type: 'ADV', count: 2, fallback: 'PSA' },
        { type: 'LIVE', title: 'Network News', source: 'network', length: 300, start: { at: '55:00', kind: 'hard' } },
      ],
    };
    const created = (await http.post(`${T}/clocks`).set('Authorization', programming).send(body).expect(201)).body as { id: string; elements: Element[] };
    const read = (await http.get(`${T}/clocks/${created.id}`).set('Authorization', programming).expect(200)).body as { elements: Element[] };
    expect(read.elements[0]).toMatchObject({ type: 'LIVE', title: 'Queer Talk Live', source: 'live', count: 1, length: 1800, start: { at: '00:00', kind: 'hard' } });
    expect(read.elements[4]).toMatchObject({ type: 'LIVE', source: 'network', length: 300, start: { at: '55:00', kind: 'hard' } });
    expect(read.elements[1]).toMatchObject({ type: 'LIN', source: null });
    // The preview times the hour around it: the show from the top, the feed from :55.
    const preview = (await http.post(`${T}/clocks/${created.id}/preview`).set('Authorization', programming).send({}).expect(200)).body as { entries: { offsetMs: number; lengthMs: number; type: string; title: string }[] };
    expect(preview.entries.filter((e) => e.type === 'LIVE')).toEqual([
      expect.objectContaining({ offsetMs: 0, lengthMs: 1_800_000, title: 'Queer Talk Live' }) as unknown,
      expect.objectContaining({ offsetMs: 3_300_000, lengthMs: 300_000, title: 'Network News' }) as unknown,
    ]);
    // What GET gives, PUT takes back unchanged.
    await http.put(`${T}/clocks/${created.id}`).set('Authorization', programming).set('If-Match', '"1"').send({ name: body.name, elements: read.elements }).expect(200);
  });

  it('refuses a live element without its source, length or hard start, one past the hour, and a hard start inside it, each next to its field', async () => {
    const { http, programming } = await station();
    const res = await http
      .post(`${T}/clocks`)
      .set('Authorization', programming)
      .send({
        name: 'Bad live',
        elements: [
          { type: 'LIVE', title: 'No source', length: 600, start: { at: '00:00' } },
          { type: 'LIVE', title: 'Too long', source: 'outside', length: 1800, start: { at: '45:00' } },
          { type: 'LIVE', title: 'Soft', source: 'live', start: { at: '10:00', kind: 'soft' } },
          { type: 'MUS', source: 'live' },
        ],
      })
      .expect(400);
    const paths = (res.body as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.elements[0].source', 'body.elements[1].length', 'body.elements[2].start', 'body.elements[2].length', 'body.elements[3].source']) as string[],
    );
    expect(await db('clocks').where({ name: 'Bad live' }).first()).toBeUndefined();
  });
});
