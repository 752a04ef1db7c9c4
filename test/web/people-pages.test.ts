// The People and Audit log pages' loaders and actions, called as Remix calls them, against the
// real API and PostgreSQL: an owner adds a person with roles at a station, changes them and
// disables them; nobody else gets the page; the API's problems land next to their fields; a
// trusted app's secret is shown once; the audit log filters by station and period and pages.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as advertisers from '../../web/app/routes/stations.$station.advertisers.js';
import * as audit from '../../web/app/routes/audit.js';
import * as people from '../../web/app/routes/people.js';
import * as signIn from '../../web/app/routes/sign-in.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';
const PASSWORD = 'people pages password';
// Stations of their own: Pages FM in Phoenix, Pages Two in New York.
const ONE = 'pages-fm';
const TWO = 'pages-two';
const EMAIL = { owner: 'owner@people-pages.example', admin: 'admin@people-pages.example', traffic: 'traffic@people-pages.example' } as const;
type Who = keyof typeof EMAIL;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-people-pages-'));
  const bundle = smallStationBundle();
  await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: ONE, name: 'Pages FM' } });
  await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: TWO, name: 'Pages Two', timezone: 'America/New_York' } });
  await addPerson(db, { email: EMAIL.owner, name: 'Olive Owner', role: 'admin', password: PASSWORD });
  await addPerson(db, { email: EMAIL.admin, name: 'Ada Admin', role: 'admin', stations: [ONE], password: PASSWORD });
  await addPerson(db, { email: EMAIL.traffic, name: 'Tess Traffic', role: 'traffic', stations: [ONE], password: PASSWORD });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'people-pages-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'people-pages-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return body;
};
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

/** What Remix throws or returns as a Response. */
async function responseOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error('expected a Response');
}

// The token endpoint allows a few sign-ins a minute per account: sign in once per person.
const cookies = new Map<Who, Promise<string>>();
const cookieOf = (who: Who) => {
  if (!cookies.has(who)) cookies.set(who, signInAs(who));
  return cookies.get(who)!;
};
async function signInAs(who: Who): Promise<string> {
  const response = await responseOf(() => signIn.action(args(new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: EMAIL[who], password: PASSWORD, next: '/' }) }))));
  expect(response.status).toBe(302);
  return response.headers.get('Set-Cookie')!.split(';')[0]!;
}

const peoplePage = async (who: Who = 'owner') => people.loader(args(new Request(`${WEB}/people`, { headers: { Cookie: await cookieOf(who) } })));
const post = async (fields: Record<string, string | string[]>, who: Who = 'owner') =>
  people.action(args(new Request(`${WEB}/people`, { method: 'POST', headers: { Cookie: await cookieOf(who) }, body: form(fields) })));
const auditPage = async (query = '', who: Who = 'owner') => audit.loader(args(new Request(`${WEB}/audit${query}`, { headers: { Cookie: await cookieOf(who) } })));

describe('the People page', () => {
  it('an owner sees everyone with their roles, adds a person with roles at a station, changes their roles, renames and disables them', async () => {
    const before = await peoplePage();
    expect(before.stations).toEqual([
      { slug: ONE, name: 'Pages FM' },
      { slug: TWO, name: 'Pages Two' },
    ]);
    expect(before.people.map((p) => [p.name, p.owner, p.stations.map((s) => `${s.station}:${s.roles.join('+')}`)])).toEqual(
      expect.arrayContaining([
        ['Olive Owner', true, []],
        ['Ada Admin', false, [`${ONE}:admin`]],
        ['Tess Traffic', false, [`${ONE}:traffic`]],
      ]),
    );
    // Tess signed in for this page's sake: when is written with its zone until the browser rewrites it.
    await cookieOf('traffic');
    expect((await peoplePage()).people.find((p) => p.email === EMAIL.traffic)?.lastSignIn?.written).toMatch(/UTC$/);

    const added = await post({ intent: 'add-person', email: 'dana@people-pages.example', name: 'Dana Volunteer', password: 'a long enough password', [`roles-${ONE}`]: ['voice', 'traffic'] });
    expect(added).toMatchObject({ form: 'add-person', ok: true, message: 'Added Dana Volunteer: they sign in with dana@people-pages.example and the password you gave them.' });
    const dana = (await peoplePage()).people.find((p) => p.email === 'dana@people-pages.example')!;
    expect(dana).toMatchObject({ name: 'Dana Volunteer', owner: false, disabled: false, lastSignIn: null });
    expect(dana.stations.map((s) => [s.station, s.roles])).toEqual([[ONE, ['traffic', 'voice']]]);

    // `stations` replaces every role: voice at Pages FM only, viewer at Pages Two.
    const moved = await post({ intent: 'person-roles', subject: dana.id, [`roles-${ONE}`]: 'voice', [`roles-${TWO}`]: 'viewer' });
    expect(moved).toMatchObject({ form: `person-roles:${dana.id}`, ok: true, message: 'Saved Dana Volunteer’s roles.' });
    expect((await peoplePage()).people.find((p) => p.id === dana.id)!.stations.map((s) => [s.station, s.roles])).toEqual([
      [ONE, ['voice']],
      [TWO, ['viewer']],
    ]);
    expect(await post({ intent: 'person-roles', subject: dana.id })).toMatchObject({ ok: true, message: 'Dana Volunteer now holds no role at any station.' });
    await post({ intent: 'person-roles', subject: dana.id, [`roles-${ONE}`]: 'voice' });

    expect(await post({ intent: 'person-name', subject: dana.id, name: '  Dana Voice  ' })).toMatchObject({ ok: true, message: 'Renamed to Dana Voice.' });
    expect(await post({ intent: 'person-password', subject: dana.id, password: 'short' })).toMatchObject({ ok: false, errors: { password: expect.stringContaining('at least 12 characters') as string } });
    expect(await post({ intent: 'person-password', subject: dana.id, password: 'another long password' })).toMatchObject({ ok: true, message: 'Dana Voice has a new password and has been signed out everywhere.' });
    expect(await post({ intent: 'person-owner', subject: dana.id, owner: 'yes' })).toMatchObject({ ok: true, message: 'Dana Voice is now an owner.' });
    expect(await post({ intent: 'person-owner', subject: dana.id, owner: 'no' })).toMatchObject({ ok: true, message: 'Dana Voice is no longer an owner.' });
    expect(await post({ intent: 'person-disabled', subject: dana.id, disabled: 'yes' })).toMatchObject({ ok: true, message: 'Dana Voice is disabled and has been signed out everywhere.' });
    expect((await peoplePage()).people.find((p) => p.id === dana.id)).toMatchObject({ disabled: true, owner: false, stations: [{ station: ONE, roles: ['voice'] }] });
    // Disabled: the API refuses her sign-in.
    expect(await signIn.action(args(new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: 'dana@people-pages.example', password: 'another long password' }) })))).toMatchObject({
      error: expect.stringContaining('do not match') as string,
    });
    expect(await post({ intent: 'person-disabled', subject: dana.id, disabled: 'no' })).toMatchObject({ ok: true, message: 'Dana Voice may sign in again.' });

    // An owner cannot disable themselves: the page offers no button, and the API says why if asked.
    const me = (await peoplePage()).meId;
    expect(await post({ intent: 'person-disabled', subject: me, disabled: 'yes' })).toMatchObject({ form: `person-disabled:${me}`, ok: false, message: expect.stringContaining('ask another owner') as string });
  });

  it('is not for anyone but an owner: a station admin or traffic manager gets "not for your role", and changes are refused', async () => {
    for (const who of ['admin', 'traffic'] as const) {
      const refused = await responseOf(() => peoplePage(who));
      expect(refused.status).toBe(403);
      expect(await refused.text()).toBe('Only the install’s owners manage people and trusted apps.');
    }
    const promoted = await post({ intent: 'add-person', email: 'sneaky@people-pages.example', name: 'Sneaky', password: 'a long enough password', owner: 'yes' }, 'admin');
    expect(promoted).toMatchObject({ ok: false });
    expect(await db('users').where({ email: 'sneaky@people-pages.example' }).first()).toBeUndefined();
    const admin = (await db('users').where({ email: EMAIL.admin }).first('id')) as { id: string };
    expect(await post({ intent: 'person-owner', subject: admin.id, owner: 'yes' }, 'admin')).toMatchObject({ ok: false });
  });

  it('puts the API’s problems next to their fields and keeps what was typed, never the password', async () => {
    const fields = { intent: 'add-person', name: 'Sam Again', password: 'a long enough password', owner: 'yes', [`roles-${ONE}`]: 'viewer' };
    const taken = await post({ ...fields, email: 'TRAFFIC@People-Pages.example' });
    expect(taken).toMatchObject({ ok: false, errors: { email: 'Someone already signs in with this email.' }, typed: { email: 'TRAFFIC@People-Pages.example', name: 'Sam Again', owner: true, roles: { [ONE]: ['viewer'] } } });
    expect(JSON.stringify(taken)).not.toContain('a long enough password');
    const notAnEmail = await post({ ...fields, email: 'sam at the station' });
    expect(notAnEmail).toMatchObject({ ok: false, errors: { email: 'This is not an email address.' } });
    // Checked before the API is asked.
    const empty = await post({ intent: 'add-person', email: '', name: ' ', password: 'short' });
    expect(Object.keys(empty.errors).sort()).toEqual(['email', 'name', 'password']);
    // A station that went away while the form was open: the problem is that station's (body.stations[1].station).
    const gone = await post({ ...fields, email: 'sam@people-pages.example', [`roles-gone-fm`]: 'voice' });
    expect(gone).toMatchObject({ ok: false, stationErrors: { 'gone-fm': 'There is no such station any more; reload the page.' }, message: 'No station "gone-fm"' });
    expect(gone.errors).toEqual({});
    expect(await db('users').where({ email: 'sam@people-pages.example' }).first()).toBeUndefined();
  });

  it('shows a new trusted app’s secret once; the app works with it; its roles change and it can be disabled', async () => {
    expect(await post({ intent: 'add-app', name: '' })).toMatchObject({ ok: false, errors: { name: expect.any(String) as string, stations: expect.stringContaining('at least one role') as string } });
    const added = await post({ intent: 'add-app', name: 'LibreTime', [`roles-${ONE}`]: 'viewer' });
    expect(added).toMatchObject({ ok: true, message: 'Added LibreTime.', secret: { name: 'LibreTime', clientId: expect.stringMatching(/^llc_/) as string } });
    const { clientId, clientSecret } = added.secret!;
    expect(clientSecret.length).toBeGreaterThan(20);
    // Never again: the page's data holds the app but not its secret.
    const page = await peoplePage();
    const app = page.apps.find((a) => a.clientId === clientId)!;
    expect(app).toMatchObject({ name: 'LibreTime', disabled: false, stations: [{ station: ONE, roles: ['viewer'] }] });
    expect(JSON.stringify(page)).not.toContain(clientSecret);
    // The secret works, at its station.
    const token = (secret: string) => fetch(`${api.url}/api/v1/auth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }) });
    expect((await token(clientSecret)).status).toBe(200);

    expect(await post({ intent: 'app-roles', subject: app.id, [`roles-${ONE}`]: 'viewer', [`roles-${TWO}`]: ['viewer', 'voice'] })).toMatchObject({ ok: true, message: 'Saved LibreTime’s roles.' });
    expect((await peoplePage()).apps.find((a) => a.id === app.id)!.stations.map((s) => [s.station, s.roles])).toEqual([
      [ONE, ['viewer']],
      [TWO, ['voice', 'viewer']],
    ]);
    expect(await post({ intent: 'app-roles', subject: app.id })).toMatchObject({ ok: false, errors: { stations: expect.stringContaining('disable it') as string } });
    expect(await post({ intent: 'app-disabled', subject: app.id, disabled: 'yes' })).toMatchObject({ ok: true, message: 'LibreTime is disabled: its tokens stop working.' });
    expect((await token(clientSecret)).status).toBe(401);
  });
});

describe('the Audit log page', () => {
  it('filters by station, kind and period, pages with "older entries", and says what happened in words', async () => {
    const one = (await db('stations').where({ slug: ONE }).first('id')) as { id: string };
    const owner = (await db('users').where({ email: EMAIL.owner }).first('id')) as { id: string };
    // A season of changes at Pages FM: more than a page.
    await db('audit_log').insert(
      Array.from({ length: 60 }, (_, i) => ({
        at: new Date(Date.UTC(2026, 2, 1, 12, i)),
        actorType: 'user',
        actorId: owner.id,
        action: 'campaign.update',
        entity: 'campaign',
        entityId: null,
        stationId: one.id,
        before: JSON.stringify({ name: 'Spring Drive', priority: 100 }),
        after: JSON.stringify({ name: 'Spring Drive', priority: i }),
      })),
    );

    // And real entries through the pages: an advertiser at each station.
    for (const station of [ONE, TWO]) {
      const saved = await advertisers.action(
        args(new Request(`${WEB}/stations/${station}/advertisers`, { method: 'POST', headers: { Cookie: await cookieOf('owner') }, body: form({ advertiserId: '', name: `Audit Florist ${station}` }) }), { station }),
      );
      expect(saved).toMatchObject({ message: `Saved Audit Florist ${station}.` });
    }
    const newest = await auditPage('?action=advertiser.');
    expect(newest).toMatchObject({ older: false, nextBefore: null });
    expect(newest.stations.map((s) => s.slug)).toEqual([ONE, TWO]);
    expect(newest.entries.map((e) => [e.who, e.what, e.station])).toEqual([
      ['Olive Owner', `added the advertiser Audit Florist ${TWO}`, 'Pages Two'],
      ['Olive Owner', `added the advertiser Audit Florist ${ONE}`, 'Pages FM'],
    ]);
    // A station's entry in its own time, zone named.
    expect(newest.entries[0]).toMatchObject({ inStationTime: true, when: expect.stringMatching(/ (EST|EDT)$/) as string, change: `name: Audit Florist ${TWO}` });
    // Sign-ins belong to no station: in the reader's time (UTC until the browser rewrites it).
    const signIns = await auditPage('?action=auth.');
    expect(signIns.entries.find((e) => e.what === 'signed in' && e.who === 'Tess Traffic')).toMatchObject({ station: null, inStationTime: false, when: expect.stringMatching(/UTC$/) as string });

    const onlyTwo = await auditPage(`?station=${TWO}`);
    expect(onlyTwo.entries.length).toBeGreaterThan(0);
    expect(onlyTwo.entries.every((e) => e.station === 'Pages Two')).toBe(true);

    // Sixty changes at Pages FM on 1 March (Phoenix time), fifty a page, newest first.
    const march = `?station=${ONE}&action=campaign.&from=2026-03-01&to=2026-03-01`;
    const first = await auditPage(march);
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]).toMatchObject({ what: 'changed the campaign Spring Drive', change: 'priority: 100 → 59', station: 'Pages FM', when: 'Mar 1, 2026, 05:59:00 MST' });
    expect(first.nextBefore).not.toBeNull();
    const second = await auditPage(`${march}&before=${first.nextBefore}`);
    expect(second).toMatchObject({ older: true, nextBefore: null });
    expect(second.entries.map((e) => e.change)).toEqual(Array.from({ length: 10 }, (_, i) => `priority: 100 → ${9 - i}`));
    // The day after has none of them.
    expect((await auditPage(`?station=${ONE}&action=campaign.&from=2026-03-02&to=2026-03-02`)).entries).toEqual([]);
    // A period that ends before it starts is said next to its field.
    expect((await auditPage(`?from=2026-03-02&to=2026-03-01`)).problems).toEqual({ to: 'The last day comes on or after the first.' });

    // A station's admin reads their station only; asking for another is said next to the filter.
    const adminView = await auditPage('', 'admin');
    expect(adminView.stations.map((s) => s.slug)).toEqual([ONE]);
    expect(adminView.entries.length).toBeGreaterThan(0);
    expect(adminView.entries.every((e) => e.station === 'Pages FM')).toBe(true);
    expect((await auditPage(`?station=${TWO}`, 'admin')).problems).toEqual({ station: 'Choose one of your stations.' });
    // Traffic does not read the audit log.
    const refused = await responseOf(() => auditPage('', 'traffic'));
    expect(refused.status).toBe(403);
  });
});
