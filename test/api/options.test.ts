// OPTIONS says exactly the methods the API document gives a path: /rule-sets/preview takes POST
// only, though Express would also match /rule-sets/:ruleSetId and list its GET, PATCH and DELETE.
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'options-secret';
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });
let owner: TestPerson;

beforeEach(async () => {
  await importStationBundle(db, smallStationBundle());
  owner = await makePerson(db, SECRET, 'admin');
});

const allowOf = async (path: string) => (await request(app()).options(`/api/v1${path}`).set('Authorization', owner.authorization).expect(204)).headers.allow;

describe('OPTIONS', () => {
  it('lists the methods the document gives the most literal path that matches', async () => {
    expect(await allowOf('/stations/kqtr/rule-sets/preview')).toBe('POST');
    expect(await allowOf('/stations/kqtr/tracks/upload')).toBe('POST');
    expect((await allowOf('/stations/kqtr/tracks/00000000-0000-4000-8000-000000000000'))?.split(', ').sort()).toEqual(['GET', 'HEAD', 'PATCH']);
  });

  it('is 404 for a path the document does not have', async () => {
    await request(app()).options('/api/v1/no-such-thing').set('Authorization', owner.authorization).expect(404);
  });
});
