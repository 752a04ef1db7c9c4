// The programming pages' loaders and actions, called as Remix calls them, against the real API
// and PostgreSQL (issue 15, item 2): a rule set's page shows the songs it allows now and the
// library's genres and moods to choose from; the live count follows the boxes on screen; saving
// sends the ranges and lists, a bad range is said next to its field; deleting a rule set a clock
// plays from is refused with the clock's elements in words, one nobody uses goes; a daypart and
// a category still in use say who uses them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as categoriesPage from '../../web/app/routes/stations.$station.categories.js';
import * as daypartsPage from '../../web/app/routes/stations.$station.dayparts.js';
import * as ruleSetPage from '../../web/app/routes/stations.$station.rule-sets.$ruleSetId.js';
import * as ruleSetsPage from '../../web/app/routes/stations.$station.rule-sets._index.js';
import * as previewRoute from '../../web/app/routes/stations.$station.rule-sets.preview.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { responseOf, sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';
const PASSWORD = 'programming pages password';
const PD = 'pd@kqtr.example';
const VIEWER = 'viewer@kqtr.example';
const cookieOf = sessionCookies(WEB, PASSWORD);
let popId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-programming-pages-'));
  const bundle = smallStationBundle();
  bundle.library!.push({ ref: 'mus-3', type: 'MUS', title: 'Gravel Road', artist: 'Dry Wash', genre: 'rock', mood: 'upbeat', bpm: 120, energy: 7, length: '4:01' });
  await importStationBundle(db, bundle);
  await addPerson(db, { email: PD, name: 'Pat Programming', role: 'programming', stations: ['kqtr'], password: PASSWORD });
  await addPerson(db, { email: VIEWER, name: 'Vic Viewer', role: 'viewer', stations: ['kqtr'], password: PASSWORD });
  popId = ((await db('music_rule_sets').where({ name: 'morning soft pop' }).first('id')) as { id: string }).id;
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'programming-pages-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'programming-pages-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const get = async (url: string, who = PD) => new Request(`${WEB}${url}`, { headers: { Cookie: await cookieOf(who) } });
const post = async (url: string, fields: [string, string][], who = PD) => {
  const body = new URLSearchParams();
  for (const [k, v] of fields) body.append(k, v);
  return new Request(`${WEB}${url}`, { method: 'POST', headers: { Cookie: await cookieOf(who) }, body });
};
const args = (request: Request, params: Record<string, string>) => ({ request, params, context: {} });

describe('the rule set page', () => {
  it('shows the rule set, the songs it allows now and the genres and moods to choose from', async () => {
    const page = await ruleSetPage.loader(args(await get(`/stations/kqtr/rule-sets/${popId}`), { station: 'kqtr', ruleSetId: popId }));
    expect(page.ruleSet).toMatchObject({ name: 'morning soft pop', genres: ['pop'], moods: ['upbeat'], bpm: { min: 90, max: 130 }, dayparts: ['morning drive'] });
    expect(page.preview).toMatchObject({ songs: 1, library: 3, sample: [{ title: 'Desert Bloom' }], genres: ['pop', 'rock'], moods: ['romantic', 'upbeat'] });
    expect(page.dayparts.map((d) => d.name)).toEqual(['overnight', 'morning drive']);
    expect(page.mayChange).toBe(true);
    const read = await ruleSetPage.loader(args(await get(`/stations/kqtr/rule-sets/${popId}`, VIEWER), { station: 'kqtr', ruleSetId: popId }));
    expect(read.mayChange).toBe(false);
  });

  it('counts the rules on screen as they change, and says a half-typed range instead of counting', async () => {
    const count = (await previewRoute.action(args(await post('/stations/kqtr/rule-sets/preview', [['name', 'x'], ['genres', 'pop'], ['genres', 'rock'], ['energyMin', '5']]), { station: 'kqtr' }))) as { songs: number };
    expect(count.songs).toBe(2);
    const wrong = (await previewRoute.action(args(await post('/stations/kqtr/rule-sets/preview', [['bpmMin', '150'], ['bpmMax', '100']]), { station: 'kqtr' }))) as { problem: string };
    expect(wrong.problem).toBe('The lowest is above the highest.');
  });

  it('saves the ranges and lists of the form; a range out of bounds is said next to its field', async () => {
    const fields: [string, string][] = [
      ['intent', 'save'],
      ['version', '1'],
      ['name', 'morning soft pop'],
      ['genres', 'pop'],
      ['genres', 'rock'],
      ['moods', 'upbeat'],
      ['bpmMin', ''],
      ['bpmMax', '125'],
      ['energyMin', '4'],
      ['energyMax', ''],
      ['dayparts', 'morning drive'],
      ['artistSeparationMinutes', '90'],
      ['titleSeparationHours', '4'],
    ];
    const saved = await ruleSetPage.action(args(await post(`/stations/kqtr/rule-sets/${popId}`, fields), { station: 'kqtr', ruleSetId: popId }));
    expect(saved).toMatchObject({ ok: true, message: 'Saved.' });
    const after = await ruleSetPage.loader(args(await get(`/stations/kqtr/rule-sets/${popId}`), { station: 'kqtr', ruleSetId: popId }));
    expect(after.ruleSet).toMatchObject({ genres: ['pop', 'rock'], bpm: { min: null, max: 125 }, energy: { min: 4, max: null }, artistSeparationMinutes: 90, version: 2 });
    expect(after.preview.songs).toBe(2);
    const bad = await ruleSetPage.action(args(await post(`/stations/kqtr/rule-sets/${popId}`, [...fields.filter(([k]) => k !== 'energyMin' && k !== 'version'), ['version', '2'], ['energyMin', '11']]), { station: 'kqtr', ruleSetId: popId }));
    expect(bad).toMatchObject({ ok: false, errors: { energy: 'Energy: a whole number from 1 to 10' } });
    // An older version is refused in words.
    const stale = await ruleSetPage.action(args(await post(`/stations/kqtr/rule-sets/${popId}`, fields), { station: 'kqtr', ruleSetId: popId }));
    expect(stale).toMatchObject({ ok: false, message: expect.stringContaining('Someone changed this rule set') as string });
  });

  it('refuses to delete a rule set a clock plays from, naming the elements; deletes one nobody uses and goes back to the list', async () => {
    const refused = await ruleSetPage.action(args(await post(`/stations/kqtr/rule-sets/${popId}`, [['intent', 'delete'], ['id', popId]]), { station: 'kqtr', ruleSetId: popId }));
    expect(refused.refused).toEqual({
      detail: 'Music rule set "morning soft pop" is still in use (2 uses, listed in errors): change those first.',
      uses: ['clock "Morning Drive", element 2 plays from it: give the element another rule set, or none', 'clock "Morning Drive", element 4 plays from it: give the element another rule set, or none'],
    });
    const created = await responseOf(async () => ruleSetsPage.action(args(await post('/stations/kqtr/rule-sets', [['name', 'overnight chill']]), { station: 'kqtr' })));
    const location = created.headers.get('Location') ?? '';
    expect(location).toMatch(/^\/stations\/kqtr\/rule-sets\/[0-9a-f-]{36}$/);
    const id = location.split('/').at(-1)!;
    const list = await ruleSetsPage.loader(args(await get('/stations/kqtr/rule-sets'), { station: 'kqtr' }));
    expect(list.ruleSets.find((r) => r.name === 'overnight chill')).toMatchObject({ songs: 3, library: 3 });
    const gone = await responseOf(async () => ruleSetPage.action(args(await post(`/stations/kqtr/rule-sets/${id}`, [['intent', 'delete'], ['id', id]]), { station: 'kqtr', ruleSetId: id })));
    expect(gone.status).toBe(302);
    expect(gone.headers.get('Location')).toBe('/stations/kqtr/rule-sets');
  });
});

describe('the dayparts and categories pages', () => {
  it('say who still uses a daypart or a category they are asked to delete', async () => {
    const dayparts = await daypartsPage.loader(args(await get('/stations/kqtr/dayparts'), { station: 'kqtr' }));
    const overnight = dayparts.dayparts.find((d) => d.name === 'overnight')!;
    expect(daypartsPage.daysText(overnight.days)).toBe('every day');
    const drive = dayparts.dayparts.find((d) => d.name === 'morning drive')!;
    const refused = await daypartsPage.action(args(await post('/stations/kqtr/dayparts', [['intent', 'delete'], ['id', drive.id]]), { station: 'kqtr' }));
    expect(refused.refused?.uses).toContain('clock "Morning Drive" is written for it: give the clock another daypart, or none');
    const added = await daypartsPage.action(args(await post('/stations/kqtr/dayparts', [['intent', 'save'], ['id', ''], ['name', 'weekend'], ['days', 'sat'], ['days', 'sun'], ['start', '08:00'], ['end', '12:00']]), { station: 'kqtr' }));
    expect(added).toMatchObject({ message: 'Saved weekend.', errors: {} });
    const noDays = await daypartsPage.action(args(await post('/stations/kqtr/dayparts', [['intent', 'save'], ['id', ''], ['name', 'never'], ['start', '08:00'], ['end', '12:00']]), { station: 'kqtr' }));
    expect(noDays.errors).toEqual({ days: 'Tick the days it starts on.' });

    const categories = await categoriesPage.loader(args(await get('/stations/kqtr/categories'), { station: 'kqtr' }));
    const health = categories.categories.find((c) => c.code === 'health')!;
    const used = await categoriesPage.action(args(await post('/stations/kqtr/categories', [['intent', 'delete'], ['id', health.id]]), { station: 'kqtr' }));
    expect(used.refused?.uses).toEqual(['1 track carries it: take it off them in the library']);
  });
});
