// The web app's loaders and actions, called as Remix calls them, against the real API and
// PostgreSQL: signing in, being sent to sign in, the days and a log, and a form the API refuses.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { hoursOf } from '../../web/app/lib/log-hours.js';
import { renewSessionIfDue } from '../../web/app/lib/session-refresh.server.js';
import { commitSession, getSession, useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as campaignNew from '../../web/app/routes/stations.$station.campaigns.new.js';
import * as days from '../../web/app/routes/stations.$station.days.js';
import * as advertisers from '../../web/app/routes/stations.$station.advertisers.js';
import * as grid from '../../web/app/routes/stations.$station.grid.js';
import * as library from '../../web/app/routes/stations.$station.library.js';
import * as logPage from '../../web/app/routes/stations.$station.logs.$date.js';
import * as signIn from '../../web/app/routes/sign-in.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-web-routes-'));
  await importStationBundle(db, smallStationBundle());
  await addPerson(db, { email: 'traffic@kqtr.example', name: 'Tess Traffic', role: 'traffic', password: 'traffic password' });
  await addPerson(db, { email: 'programming@kqtr.example', name: 'Pat Programming', role: 'programming', password: 'programming password' });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'routes-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'routes-session-secret';
  // Sessions are kept in PostgreSQL, in this test's database.
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

// The token endpoint allows 10 sign-ins a minute per account: sign in once per role.
const cookies = new Map<string, Promise<string>>();
const signedInCookie = (role: 'traffic' | 'programming' = 'traffic') => {
  if (!cookies.has(role)) cookies.set(role, signInAs(role));
  return cookies.get(role)!;
};

async function signInAs(role: 'traffic' | 'programming'): Promise<string> {
  const response = await responseOf(() => signIn.action(args(new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: `${role}@kqtr.example`, password: `${role} password`, next: '/stations/kqtr/days' }) }))));
  expect(response.status).toBe(302);
  expect(response.headers.get('Location')).toBe('/stations/kqtr/days');
  return response.headers.get('Set-Cookie')!.split(';')[0]!;
}

describe('the web app routes', () => {
  it('signs in with the API and refuses a wrong password in words, never revealing which part was wrong', async () => {
    const wrong = await signIn.action(args(new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: 'traffic@kqtr.example', password: 'nope' }) })));
    expect(wrong).toMatchObject({ error: 'That email and password do not match an active account.' });
    const empty = await signIn.action(args(new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: '', password: '' }) })));
    expect(empty).toMatchObject({ fields: { email: 'Enter your email address.', password: 'Enter your password.' } });
    // A sign-in link cannot send people to another site.
    expect(signIn.loader(args(new Request(`${WEB}/sign-in?next=//evil.example/`))).next).toBe('/');

    const cookie = await signedInCookie();
    const session = await getSession(new Request(WEB, { headers: { Cookie: cookie } }));
    expect(session.get('name')).toBe('Tess Traffic');
    // Secure comes from the configuration (test/web/sessions.test.ts), never from a header saying https.
    const tls = await responseOf(() =>
      signIn.action(args(new Request(`${WEB}/sign-in`, { method: 'POST', headers: { 'X-Forwarded-Proto': 'https' }, body: form({ email: 'programming@kqtr.example', password: 'programming password' }) }))),
    );
    expect(tls.headers.get('Set-Cookie')).not.toMatch(/; Secure/i);
    expect(tls.headers.get('Set-Cookie')).toMatch(/; HttpOnly/i);
  });

  it('renews the API token shortly before it runs out, so a sign-in lasts a shift', async () => {
    // A sign-in of its own: the session is kept server side, and this test changes it.
    const cookie = await signInAs('traffic');
    // Not due yet: nothing to do.
    expect(await renewSessionIfDue(cookie)).toBeUndefined();
    const session = await getSession(new Request(WEB, { headers: { Cookie: cookie } }));
    const before = session.get('accessToken');
    session.set('expiresAt', Date.now() + 10_000);
    const due = (await commitSession(session)).split(';')[0]!;
    const renewed = await renewSessionIfDue(due);
    expect(renewed?.setCookie).toMatch(/HttpOnly/i);
    const after = await getSession(new Request(WEB, { headers: { Cookie: renewed!.cookie } }));
    expect(after.get('accessToken')).not.toBe(before);
    expect(after.get('expiresAt')!).toBeGreaterThan(Date.now() + 10 * 60_000);
    // The renewed session works with the API.
    const data = await days.loader(args(new Request(`${WEB}/stations/kqtr/days`, { headers: { Cookie: renewed!.cookie } }), { station: 'kqtr' }));
    expect(data.days).toHaveLength(21);
    // A refresh token the API refuses leaves the session to lapse.
    session.set('refreshToken', 'not-a-real-token');
    expect(await renewSessionIfDue((await commitSession(session)).split(';')[0]!)).toBeUndefined();
  });

  it('sends a visitor without a session, or with a lapsed one, to sign in and back', async () => {
    const anonymous = await responseOf(() => days.loader(args(new Request(`${WEB}/stations/kqtr/days`), { station: 'kqtr' })));
    expect(anonymous.headers.get('Location')).toBe('/sign-in?next=%2Fstations%2Fkqtr%2Fdays');
    const session = await getSession(new Request(WEB));
    session.set('accessToken', 'expired-token');
    session.set('expiresAt', Date.now() - 1000);
    const cookie = (await commitSession(session)).split(';')[0]!;
    const lapsed = await responseOf(() => days.loader(args(new Request(`${WEB}/stations/kqtr/days`, { headers: { Cookie: cookie } }), { station: 'kqtr' })));
    expect(lapsed.headers.get('Location')).toContain('expired=1');
  });

  it('shows the last 7 and next 14 days, and a log; the API refusing an approval comes back as words', async () => {
    const cookie = await signedInCookie();
    const data = await days.loader(args(new Request(`${WEB}/stations/kqtr/days`, { headers: { Cookie: cookie } }), { station: 'kqtr' }));
    expect(data.days).toHaveLength(21);
    expect(data.days[7]!.date).toBe(DateTime.now().setZone('America/Phoenix').toISODate());
    expect(data.days.every((d) => d.status === 'not_built')).toBe(true);

    const date = '2026-12-24';
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    await db('daily_logs').insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'awaiting_approval', version: 2 });
    const log = await logPage.loader(args(new Request(`${WEB}/stations/kqtr/logs/${date}`, { headers: { Cookie: cookie } }), { station: 'kqtr', date }));
    expect(log).toMatchObject({ log: { status: 'awaiting_approval', version: 2 }, may: { approve: true, publish: false, rebuild: true } });
    // Version 1 is not the log's version any more: the API says 412, the page says why.
    const refused = await logPage.action(
      args(new Request(`${WEB}/stations/kqtr/logs/${date}`, { method: 'POST', headers: { Cookie: cookie }, body: form({ intent: 'approve', version: '1' }) }), { station: 'kqtr', date }),
    );
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('has changed') as string });
    const unconfirmed = await logPage.action(
      args(new Request(`${WEB}/stations/kqtr/logs/${date}`, { method: 'POST', headers: { Cookie: cookie }, body: form({ intent: 'publish', version: '2' }) }), { station: 'kqtr', date }),
    );
    expect(unconfirmed).toMatchObject({ ok: false, message: expect.stringContaining('Tick the box') as string });
    // A day that was never built is the page's 404, in the API's words.
    const missing = await responseOf(() => logPage.loader(args(new Request(`${WEB}/stations/kqtr/logs/2031-01-01`, { headers: { Cookie: cookie } }), { station: 'kqtr', date: '2031-01-01' })));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('The log of 2031-01-01 has not been built yet');
  });

  it('the approve form asks for each error with a reason, shows the API’s refusal next to the error, and shows who acknowledged it', async () => {
    const cookie = await signedInCookie();
    const date = '2026-12-23';
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'awaiting_approval', version: 1 }).returning('id')) as { id: string }[];
    const [noId, atRisk] = (await db('log_exceptions')
      .insert([
        { logId: log!.id, logVersion: 1, kind: 'missing_legal_id', severity: 'error', hour: 9, hourLabel: '09:00', message: '09:00 has no legal ID: every hour needs one near the top of the hour' },
        { logId: log!.id, logVersion: 1, kind: 'approval_at_risk', severity: 'error', message: 'Not approved by the deadline' },
        { logId: log!.id, logVersion: 1, kind: 'hour_underrun', severity: 'warning', hour: 10, hourLabel: '10:00', message: '10:00: 0:40 filled with fill material' },
      ])
      .returning('id')) as { id: string }[];
    const url = `${WEB}/stations/kqtr/logs/${date}`;
    const loaded = await logPage.loader(args(new Request(url, { headers: { Cookie: cookie } }), { station: 'kqtr', date }));
    // Only the build's error needs acknowledging: lateness and warnings do not.
    expect(loaded.log.exceptions.filter((e) => e.blocksApproval).map((e) => [e.id, e.hourLabel])).toEqual([[noId!.id, '09:00']]);
    expect(loaded.log.exceptions.find((e) => e.id === atRisk!.id)?.blocksApproval).toBe(false);

    const approve = (fields: Record<string, string | string[]>) =>
      logPage.action(args(new Request(url, { method: 'POST', headers: { Cookie: cookie }, body: form({ intent: 'approve', version: '1', ...fields }) }), { station: 'kqtr', date }));
    // Not ticked: the API refuses and names the error; the page puts that next to it.
    const unticked = await approve({ [`reason-${noId!.id}`]: 'The host reads it live' });
    expect(unticked).toMatchObject({ ok: false, message: expect.stringContaining('1 error is not acknowledged') as string, values: { acknowledged: [], reasons: { [noId!.id]: 'The host reads it live' } } });
    expect(unticked.problems).toEqual({ [noId!.id]: expect.stringContaining('Not acknowledged') as string });
    // Ticked without a reason: said at once, without asking the API.
    const noReason = await approve({ acknowledge: noId!.id, [`reason-${noId!.id}`]: '  ' });
    expect(noReason).toMatchObject({ ok: false, problems: { [noId!.id]: 'Say why the log may air with this error.' }, values: { acknowledged: [noId!.id] } });
    // Ticked with a reason: the API takes the acknowledgement and asks the day's run (which this API server has no connection to).
    const asked = await approve({ acknowledge: noId!.id, [`reason-${noId!.id}`]: 'The host reads it live' });
    expect(asked).toMatchObject({ ok: false, message: 'This API server has no connection to Temporal.', problems: {} });

    // Once acknowledged, the log says who and why.
    const tess = (await db('users').where({ email: 'traffic@kqtr.example' }).first('id')) as { id: string };
    await db('log_exceptions').where({ id: noId!.id }).update({ acknowledgedBy: tess.id, acknowledgedAt: db.fn.now(), acknowledgement: 'The host reads it live' });
    await db('daily_logs').where({ id: log!.id }).update({ status: 'approved', approvedVersion: 1, updatedAt: db.fn.now() });
    const approved = await logPage.loader(args(new Request(url, { headers: { Cookie: cookie } }), { station: 'kqtr', date }));
    expect(approved.log.exceptions.find((e) => e.id === noId!.id)?.acknowledgement).toMatchObject({ by: { id: tess.id, name: 'Tess Traffic' }, reason: 'The host reads it live' });
  });

  it('a 25-hour day shows both 01:00 hours, each by its label, and an entry faded early', async () => {
    const cookie = await signedInCookie();
    const bundle = smallStationBundle();
    bundle.station = { ...bundle.station, slug: 'wdst', name: 'WDST', timezone: 'America/New_York' };
    const { stationId } = await importStationBundle(db, bundle);
    // Roles are per station: Tess works at this one too.
    const tess = (await db('users').where({ email: 'traffic@kqtr.example' }).first('id')) as { id: string };
    await db('station_memberships').insert({ userId: tess.id, stationId, role: 'traffic' });
    const date = '2026-11-01';
    const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:wdst:${date}`, status: 'awaiting_approval', version: 1 }).returning('id')) as { id: string }[];
    // As the engine labels them: the clock says 01:00 twice, first in daylight time, then in standard time.
    const hours = [
      { hour: 0, hourLabel: '00:00', utcOffsetMinutes: -240, startsAt: '2026-11-01T04:00:00Z' },
      { hour: 1, hourLabel: '01:00 EDT', utcOffsetMinutes: -240, startsAt: '2026-11-01T05:00:00Z' },
      { hour: 1, hourLabel: '01:00 EST', utcOffsetMinutes: -300, startsAt: '2026-11-01T06:00:00Z' },
      { hour: 2, hourLabel: '02:00', utcOffsetMinutes: -300, startsAt: '2026-11-01T07:00:00Z' },
    ];
    await db('log_entries').insert(
      hours.map((h, position) => ({
        id: randomUUID(),
        logId: log!.id,
        position,
        startsAt: new Date(h.startsAt),
        lengthMs: 3_600_000 - (position === 1 ? 12_000 : 0),
        fadedEarlyMs: position === 1 ? 12_000 : 0,
        fadeOutMs: position === 1 ? 2_000 : 0,
        type: 'BED',
        title: `Hour ${position}`,
        hour: h.hour,
        hourLabel: h.hourLabel,
        utcOffsetMinutes: h.utcOffsetMinutes,
        note: position === 1 ? 'faded 0:12 early for the 01:00 EST legal ID' : null,
      })),
    );
    await db('log_exceptions').insert({ logId: log!.id, logVersion: 1, kind: 'hour_underrun', severity: 'warning', hour: 1, hourLabel: '01:00 EST', message: '01:00 EST: 0:12 filled' });
    const loaded = await logPage.loader(args(new Request(`${WEB}/stations/wdst/logs/${date}`, { headers: { Cookie: cookie } }), { station: 'wdst', date }));
    expect(hoursOf(loaded.log.entries).map((h) => h.label)).toEqual(['00:00', '01:00 EDT', '01:00 EST', '02:00']);
    expect(loaded.log.entries[1]).toMatchObject({ hourLabel: '01:00 EDT', utcOffsetMinutes: -240, fadedEarlyMs: 12_000, lengthMs: 3_588_000, note: 'faded 0:12 early for the 01:00 EST legal ID' });
    expect(loaded.log.exceptions.map((e) => e.hourLabel)).toEqual(['01:00 EST']);
  });

  it('the library filters tracks, shows the sync state, and says when a role may not edit', async () => {
    const cookie = await signedInCookie();
    const all = await library.loader(args(new Request(`${WEB}/stations/kqtr/library`, { headers: { Cookie: cookie } }), { station: 'kqtr' }));
    expect(all.page.items.length).toBe(5);
    expect(all).toMatchObject({ lastSync: null, mayEdit: false });
    const psa = await library.loader(args(new Request(`${WEB}/stations/kqtr/library?type=PSA`, { headers: { Cookie: cookie } }), { station: 'kqtr' }));
    expect(psa.page.items.map((t) => t.title)).toEqual(['Get Tested Phoenix']);
    const refused = await library.action(
      args(new Request(`${WEB}/stations/kqtr/library`, { method: 'POST', headers: { Cookie: cookie }, body: form({ trackId: psa.page.items[0]!.id, type: 'PSA', categories: 'health' }) }), { station: 'kqtr' }),
    );
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('may not') as string });
  });

  it('the grid saves every hour of the week and its date overrides', async () => {
    const cookie = await signedInCookie('programming');
    const data = await grid.loader(args(new Request(`${WEB}/stations/kqtr/grid`, { headers: { Cookie: cookie } }), { station: 'kqtr' }));
    expect(data.grid.weekly).toHaveLength(168);
    expect(data.mayEdit).toBe(true);
    const special = data.clocks.find((c) => c.name === '06:00')!;
    const fields: Record<string, string | string[]> = {};
    for (const w of data.grid.weekly) if (w.clockId) fields[`cell-${w.weekday}-${w.hour}`] = w.clockId;
    fields['cell-7-9'] = special.id;
    Object.assign(fields, { 'override-date': ['2026-12-31', ''], 'override-hour': ['23', '0'], 'override-clock': [special.id, ''], 'override-note': ["New Year's Eve", ''] });
    const saved = await grid.action(args(new Request(`${WEB}/stations/kqtr/grid`, { method: 'POST', headers: { Cookie: cookie }, body: form(fields) }), { station: 'kqtr' }));
    expect(saved).toMatchObject({ ok: true });
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    expect(await db('grid_slots').where({ stationId, weekday: 7, hour: 9 }).first('clockId')).toEqual({ clockId: special.id });
    expect(await db('grid_overrides').where({ stationId, date: '2026-12-31' }).select('hour', 'note')).toEqual([{ hour: 23, note: "New Year's Eve" }]);
    const traffic = await grid.action(args(new Request(`${WEB}/stations/kqtr/grid`, { method: 'POST', headers: { Cookie: await signedInCookie() }, body: form(fields) }), { station: 'kqtr' }));
    expect(traffic).toMatchObject({ ok: false, message: expect.stringContaining('may not') as string });
  });

  it('traffic adds an advertiser; a bad email comes back next to its field', async () => {
    const cookie = await signedInCookie();
    const post = (fields: Record<string, string>) =>
      advertisers.action(args(new Request(`${WEB}/stations/kqtr/advertisers`, { method: 'POST', headers: { Cookie: cookie }, body: form({ advertiserId: '', ...fields }) }), { station: 'kqtr' }));
    expect(await post({ name: '' })).toMatchObject({ errors: { name: 'Give the advertiser a name.' } });
    const bad = await post({ name: 'Desert Bloom Florist', email: 'not-an-email' });
    expect(Object.keys(bad.errors)).toEqual(['email']);
    expect(await post({ name: 'Desert Bloom Florist', email: 'hello@desertbloom.example', category: 'auto' })).toMatchObject({ message: 'Saved Desert Bloom Florist.' });
    const list = await advertisers.loader(args(new Request(`${WEB}/stations/kqtr/advertisers`, { headers: { Cookie: cookie } }), { station: 'kqtr' }));
    expect(list.advertisers.map((a) => a.name)).toContain('Desert Bloom Florist');
  });

  it('a campaign form keeps what was typed and puts the API’s problems next to their fields', async () => {
    const cookie = await signedInCookie();
    const choices = await campaignNew.loader(args(new Request(`${WEB}/stations/kqtr/campaigns/new`, { headers: { Cookie: cookie } }), { station: 'kqtr' }));
    const advertiserId = choices.choices.advertisers[0]!.id;
    const copy = choices.choices.copy[0]!.id;
    const missing = await campaignNew.action(
      args(new Request(`${WEB}/stations/kqtr/campaigns/new`, { method: 'POST', headers: { Cookie: cookie }, body: form({ advertiserId, name: '', start: '2026-12-01', end: '2026-12-31' }) }), { station: 'kqtr' }),
    );
    expect(missing.errors).toEqual({ name: 'Give the campaign a name.', copy: 'Choose at least one spot to air.' });
    // At kqtr only an admin changes campaigns: the API says so and the form keeps what was typed.
    const forbidden = await campaignNew.action(
      args(new Request(`${WEB}/stations/kqtr/campaigns/new`, { method: 'POST', headers: { Cookie: cookie }, body: form({ advertiserId, name: 'Holiday', start: '2026-12-01', end: '2026-12-31', spotsPerDay: '3', copy }) }), { station: 'kqtr' }),
    );
    expect(forbidden).toMatchObject({ values: { name: 'Holiday', copy: [copy] }, message: expect.stringContaining('may not') as string });
  });
});

describe('the log page’s hand edits', () => {
  it('opens an entry’s panel from the address with the library items for its place, lists the day’s edits and locks, and answers an edit’s refusal at its field', async () => {
    const cookie = await signedInCookie();
    const date = '2026-12-22';
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const [log] = (await db('daily_logs').insert({ stationId: station.id, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'awaiting_approval', version: 2 }).returning('id')) as { id: string }[];
    const songs = (await db('tracks').where({ stationId: station.id, type: 'MUS' }).orderBy('title').select('id', 'title', 'artist', 'lengthMs')) as { id: string; title: string; artist: string; lengthMs: number }[];
    const entries = [0, 1].map((position) => ({
      id: randomUUID(),
      logId: log!.id,
      position,
      startsAt: new Date(Date.parse(`${date}T14:00:00Z`) + position * songs[0]!.lengthMs),
      lengthMs: songs[0]!.lengthMs,
      type: 'MUS',
      title: songs[0]!.title,
      trackId: songs[0]!.id,
      hour: 7,
      hourLabel: '07:00',
      utcOffsetMinutes: -420,
    }));
    await db('log_entries').insert(entries);
    const tess = (await db('users').where({ email: 'traffic@kqtr.example' }).first('id')) as { id: string };
    const editId = randomUUID();
    await db('log_edits').insert({ id: editId, stationId: station.id, broadcastDate: date, kind: 'lock', entryId: entries[1]!.id, summary: `Locked "${songs[0]!.title}" at 07:03`, reason: 'Premiere, announced on air', madeBy: tess.id, madeInVersion: 2 });
    await db('log_exceptions').insert({ logId: log!.id, logVersion: 2, kind: 'log_edit', severity: 'warning', hour: 7, hourLabel: '07:00', message: 'Locked: the title separation is 4 h', details: { editId } });
    const url = `${WEB}/stations/kqtr/logs/${date}`;
    const load = (search: string, who = cookie) => logPage.loader(args(new Request(`${url}${search}`, { headers: { Cookie: who } }), { station: 'kqtr', date }));

    // The replace panel of the first entry: the library's songs, each with its length and the separation it would break there.
    const replacing = await load(`?edit=${entries[0]!.id}&do=replace`);
    expect(replacing.may.edit).toBe(true);
    expect(replacing.panel).toMatchObject({ entryId: entries[0]!.id, choice: 'replace', q: '' });
    expect(replacing.candidates?.problem).toBeNull();
    expect(replacing.candidates?.items.map((c) => c.title).sort()).toEqual(songs.map((s) => s.title).sort());
    const same = replacing.candidates!.items.find((c) => c.id === songs[0]!.id)!;
    expect(same.warnings.join(' ')).toMatch(/title separation/);
    // The search narrows them; a note needs no search.
    const searched = await load(`?edit=${entries[0]!.id}&do=insert-after&q=${encodeURIComponent(songs[1]!.title)}`);
    expect(searched.candidates?.items.map((c) => c.id)).toEqual([songs[1]!.id]);
    expect((await load(`?edit=${entries[0]!.id}&do=insert-after&what=note`)).candidates).toBeNull();
    expect((await load(`?edit=${entries[0]!.id}&do=teleport`)).panel).toBeNull();
    // The day's edits and locks; the edit just made, in words with its warning.
    expect(replacing.log.entries.map((e) => e.locked)).toEqual([false, true]);
    expect(replacing.log.edits).toEqual([expect.objectContaining({ id: editId, kind: 'lock', state: 'active', reason: 'Premiere, announced on air', madeBy: { id: tess.id, name: 'Tess Traffic' }, madeInVersion: 2 })]);
    expect((await load(`?edited=${editId}`)).edited).toEqual({ id: editId, version: 2, summary: `Locked "${songs[0]!.title}" at 07:03`, warnings: ['Locked: the title separation is 4 h'] });
    // A programme director may edit too.
    expect((await load('', await signedInCookie('programming'))).may.edit).toBe(true);

    const edit = (fields: Record<string, string>) =>
      logPage.action(args(new Request(`${url}?edit=${entries[0]!.id}&do=${fields.choice}`, { method: 'POST', headers: { Cookie: cookie }, body: form({ intent: 'edit', version: '2', entryId: entries[0]!.id, ...fields }) }), { station: 'kqtr', date }));
    // Said at once, next to the fields, without asking the API; what was typed comes back.
    const noWhy = await edit({ choice: 'insert-after', what: 'note', noteText: 'Live read: Rainbow Motors', noteLength: 'half a minute', reason: ' ' });
    expect(noWhy.edit).toMatchObject({ choice: 'insert-after', errors: { reason: expect.stringContaining('Say why') as string, noteLength: expect.stringContaining('0:30') as string }, values: { noteText: 'Live read: Rainbow Motors' } });
    expect((await edit({ choice: 'move', reason: 'Better after the news' })).edit?.errors).toEqual({ anchorEntryId: 'Choose the entry to put it next to.' });
    // The API's refusals: a track not in the library at its field, a version not the log's for the whole edit.
    const stranger = await edit({ choice: 'replace', trackId: randomUUID(), reason: 'Request from the PD' });
    expect(stranger.edit).toMatchObject({ message: '', errors: { trackId: 'Is not a track of this station.' } });
    const stale = await logPage.action(
      args(new Request(url, { method: 'POST', headers: { Cookie: cookie }, body: form({ intent: 'edit', version: '1', choice: 'delete', entryId: entries[0]!.id, reason: 'Artist asked us not to play it' }) }), { station: 'kqtr', date }),
    );
    expect(stale.edit?.message).toMatch(/has changed/);
    // A well-formed edit goes to the day's run (which this API server has no connection to).
    expect((await edit({ choice: 'delete', reason: 'Artist asked us not to play it' })).edit?.message).toBe('This API server has no connection to Temporal.');
  });
});
