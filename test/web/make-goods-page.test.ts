// The make-goods page's loader and action, called as Remix calls them, against the real API and
// PostgreSQL (issue 13, item 4): make-goods grouped by advertiser then campaign, each in the
// station's words; traffic waives one with a reason (confirmed) and asks for one on a day; a
// past day is refused next to its field; a viewer gets no controls and a change as a viewer is
// refused; a waived one no longer changes, said in words.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { addDays } from '../../domain/calendar-date.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as makeGoods from '../../web/app/routes/stations.$station.make-goods.js';
import * as signIn from '../../web/app/routes/sign-in.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';
const STATION = 'kmgp';
const PASSWORD = 'make-goods page password';
const EMAIL = { traffic: 'traffic@kmgp.example', viewer: 'viewer@kmgp.example' } as const;
type Who = keyof typeof EMAIL;
/** Today at the station (Phoenix, no DST). */
const today = () => DateTime.now().setZone('America/Phoenix').toISODate()!;

/** The make-goods set up below, by what they are. */
const mg = { waiveMe: '', scheduleMe: '', placed: '', waived: '', short: '' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-make-goods-page-'));
  const bundle = smallStationBundle();
  bundle.library!.push({ ref: 'adv-2', type: 'ADV', title: 'Desert Bloom — Winter Bouquets', length: 30, categories: ['health'] });
  bundle.advertisers!.push({ name: 'Desert Bloom Florist' });
  bundle.campaigns!.push({ advertiser: 'Desert Bloom Florist', name: 'Winter Bouquets', start: '2026-11-01', end: '2026-12-31', priority: 5, spotsPerDay: 2, spotLength: 30, dayparts: ['morning drive'], copy: [{ track: 'adv-2', weight: 1 }] });
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: STATION, name: 'Make-Goods FM' } });
  await addPerson(db, { email: EMAIL.traffic, name: 'Tara Traffic', role: 'traffic', stations: [STATION], password: PASSWORD });
  await addPerson(db, { email: EMAIL.viewer, name: 'Vera Viewer', role: 'viewer', stations: [STATION], password: PASSWORD });

  const campaigns = (await db('campaigns').where({ stationId }).select('id', 'name')) as { id: string; name: string }[];
  const fallSale = campaigns.find((c) => c.name === 'Fall Sale')!.id;
  const bouquets = campaigns.find((c) => c.name === 'Winter Bouquets')!.id;
  // The Fall Sale runs another month; Winter Bouquets ended 12 days ago, so with the 14 days'
  // grace its make-goods expire after the day after tomorrow.
  await db('campaigns').where({ id: fallSale }).update({ startsOn: '2026-01-01', endsOn: addDays(today(), 30) });
  await db('campaigns').where({ id: bouquets }).update({ startsOn: '2026-01-01', endsOn: addDays(today(), -12) });

  const logs: Record<string, string> = {};
  for (const date of ['2026-12-01', '2026-12-02', '2026-12-05']) {
    const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:${STATION}:${date}`, status: 'reconciled', version: 1 }).returning('id')) as { id: string }[];
    logs[date] = log!.id;
  }
  let position = 0;
  const entry = async (date: string, startsAt: string, campaignId: string) => {
    const id = randomUUID();
    await db('log_entries').insert({ id, logId: logs[date], position: position++, startsAt: new Date(startsAt), lengthMs: 30_000, type: 'ADV', campaignId, hour: 7, title: 'Rainbow Motors — Fall Sale' });
    return id;
  };
  const makeGood = async (row: Record<string, unknown>) => ((await db('make_goods').insert({ stationId, reason: 'missed', ...row }).returning('id')) as { id: string }[])[0]!.id;
  // 07:20 and 08:10 Phoenix time (UTC−7) on Tue 1 and Wed 2 Dec did not air.
  mg.waiveMe = await makeGood({ campaignId: fallSale, missedEntryId: await entry('2026-12-01', '2026-12-01T14:20:00Z', fallSale) });
  mg.scheduleMe = await makeGood({ campaignId: fallSale, missedEntryId: await entry('2026-12-02', '2026-12-02T15:10:00Z', fallSale) });
  // 09:40 on Tue 1 Dec, placed at 06:50 on Sat 5 Dec.
  mg.placed = await makeGood({ campaignId: fallSale, status: 'scheduled', missedEntryId: await entry('2026-12-01', '2026-12-01T16:40:00Z', fallSale), scheduledEntryId: await entry('2026-12-05', '2026-12-05T13:50:00Z', fallSale) });
  mg.waived = await makeGood({ campaignId: fallSale, status: 'waived', waivedReason: 'Credited on the November invoice', missedEntryId: await entry('2026-12-02', '2026-12-02T16:00:00Z', fallSale) });
  // An order left short by preemption in the week of Mon 9 Nov: no one spot it makes good.
  mg.short = await makeGood({ campaignId: bouquets, reason: 'preempted', shortWeekStartsOn: '2026-11-09' });

  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'make-goods-page-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'make-goods-page-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const args = (request: Request) => ({ request, params: { station: STATION }, context: {} });

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
  const request = new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: EMAIL[who], password: PASSWORD, next: '/' }) });
  const response = await responseOf(() => signIn.action({ request, params: {}, context: {} }));
  expect(response.status).toBe(302);
  return response.headers.get('Set-Cookie')!.split(';')[0]!;
}

const page = async (query = '', who: Who = 'traffic') => makeGoods.loader(args(new Request(`${WEB}/stations/${STATION}/make-goods${query}`, { headers: { Cookie: await cookieOf(who) } })));
const post = async (fields: Record<string, string>, who: Who = 'traffic') =>
  makeGoods.action(args(new Request(`${WEB}/stations/${STATION}/make-goods`, { method: 'POST', headers: { Cookie: await cookieOf(who) }, body: form(fields) })));
const rowsOf = (loaded: Awaited<ReturnType<typeof page>>) => loaded.groups.flatMap((g) => g.campaigns.flatMap((c) => c.makeGoods));
const stored = async (id: string) => (await db('make_goods').where({ id }).first(db.raw(`status, waived_reason, to_char(wanted_on, 'YYYY-MM-DD') as wanted_on`))) as { status: string; waivedReason: string | null; wantedOn: string | null };
/** "Tue 1 Dec", with the year when the test runs in another year. */
const day = (words: string, date: string) => new RegExp(`${words}${date.slice(0, 4) === today().slice(0, 4) ? '' : ` ${date.slice(0, 4)}`}`);

describe('the make-goods page', () => {
  it('lists the owed and scheduled ones by advertiser, then campaign, in the station’s words', async () => {
    const loaded = await page();
    expect(loaded.station).toMatchObject({ slug: STATION, timezone: 'America/Phoenix' });
    expect(loaded.mayChange).toBe(true);
    expect(loaded.groups.map((g) => [g.advertiser.name, g.campaigns.map((c) => [c.campaign.name, c.makeGoods.map((m) => m.id)])])).toEqual([
      ['Desert Bloom Florist', [['Winter Bouquets', [mg.short]]]],
      ['Rainbow Motors', [['Fall Sale', [mg.waiveMe, mg.placed, mg.scheduleMe]]]],
    ]);
    const rows = new Map(rowsOf(loaded).map((m) => [m.id, m]));
    expect(rows.get(mg.waiveMe)).toMatchObject({ status: 'owed', why: 'did not air as ordered', placed: 'Not placed yet; the next log built takes it', warning: null, changeable: true, title: 'Rainbow Motors — Fall Sale' });
    expect(rows.get(mg.waiveMe)!.makesGood).toMatch(day('^the 07:20 MST spot of Tue 1 Dec', '2026-12-01'));
    expect(rows.get(mg.scheduleMe)!.makesGood).toMatch(day('^the 08:10 MST spot of Wed 2 Dec', '2026-12-02'));
    expect(rows.get(mg.placed)).toMatchObject({ status: 'scheduled', placedLog: '2026-12-05', changeable: false });
    expect(rows.get(mg.placed)!.placed).toMatch(day('^Placed at 06:50 MST on Sat 5 Dec', '2026-12-05'));
    // Winter Bouquets' make-good expires after the day after tomorrow: warned.
    expect(rows.get(mg.short)).toMatchObject({ makesGood: 'a spot its order was left short of in the week Mon 9 Nov – Sun 15 Nov', why: 'preempted or bumped', expiresOn: addDays(today(), 2), warning: 'expires in 2 days' });

    // Filters: the waived ones, one advertiser, and an advertiser not in the list.
    const waived = rowsOf(await page('?status=waived'));
    expect(waived.map((m) => [m.id, m.placed])).toEqual([[mg.waived, 'Waived: “Credited on the November invoice”']]);
    const bouquets = await page(`?advertiser=${loaded.groups[0]!.advertiser.id}`);
    expect(rowsOf(bouquets).map((m) => m.id)).toEqual([mg.short]);
    expect((await page('?advertiser=nobody')).problems).toEqual({ advertiser: 'Choose an advertiser from the list.' });
    expect(rowsOf(await page('?status=all'))).toHaveLength(5);
  });

  it('traffic waives one with a reason, confirmed; then it leaves the open list', async () => {
    const unconfirmed = await post({ intent: 'waive', makeGoodId: mg.waiveMe, reason: ' ' });
    expect(unconfirmed).toMatchObject({ ok: false, errors: { reason: expect.stringContaining('Say why it is waived') as string, confirm: expect.stringContaining('Tick the box') as string } });
    expect(await stored(mg.waiveMe)).toMatchObject({ status: 'owed' });

    const waived = await post({ intent: 'waive', makeGoodId: mg.waiveMe, reason: '  Credited on the December invoice ', confirm: 'yes' });
    expect(waived).toMatchObject({ id: mg.waiveMe, ok: true, errors: {} });
    expect(waived.message).toMatch(day('^Waived Rainbow Motors’s make-good of the 07:20 MST spot of Tue 1 Dec', '2026-12-01'));
    expect(await stored(mg.waiveMe)).toEqual({ status: 'waived', waivedReason: 'Credited on the December invoice', wantedOn: null });
    expect(rowsOf(await page()).map((m) => m.id)).not.toContain(mg.waiveMe);
  });

  it('traffic asks for one on a day, and clears the day again', async () => {
    const tomorrow = addDays(today(), 1);
    const asked = await post({ intent: 'schedule', makeGoodId: mg.scheduleMe, wantedOn: tomorrow });
    expect(asked).toMatchObject({ ok: true, message: expect.stringContaining('that day’s log places it first') as string });
    expect(await stored(mg.scheduleMe)).toMatchObject({ status: 'owed', wantedOn: tomorrow });
    const row = rowsOf(await page()).find((m) => m.id === mg.scheduleMe)!;
    expect(row).toMatchObject({ wantedOn: tomorrow, placed: expect.stringMatching(/^Not placed yet; wanted on /) as string });

    expect(await post({ intent: 'clear', makeGoodId: mg.scheduleMe })).toMatchObject({ ok: true, message: expect.stringContaining('goes in the next log built') as string });
    expect(await stored(mg.scheduleMe)).toMatchObject({ wantedOn: null });
  });

  it('traffic asks for one in a daypart, from the station’s dayparts; one not in the list is refused next to the field', async () => {
    const { dayparts } = await page();
    const drive = dayparts.find((d) => d.name === 'morning drive')!;
    const asked = await post({ intent: 'schedule', makeGoodId: mg.scheduleMe, daypart: drive.id });
    expect(asked).toMatchObject({ ok: true, message: expect.stringContaining('in morning drive: the next log with room there places it') as string });
    expect(rowsOf(await page()).find((m) => m.id === mg.scheduleMe)).toMatchObject({ wantedDaypartId: drive.id, placed: 'Not placed yet; wanted in morning drive' });
    const wrong = await post({ intent: 'schedule', makeGoodId: mg.scheduleMe, daypart: randomUUID() });
    expect(wrong).toMatchObject({ ok: false, errors: { wantedDaypartId: 'The daypart must be one of the station’s dayparts.' } });
    expect(await post({ intent: 'clear', makeGoodId: mg.scheduleMe })).toMatchObject({ ok: true });
    expect(rowsOf(await page()).find((m) => m.id === mg.scheduleMe)).toMatchObject({ wantedDaypartId: null, wantedOn: null });
  });

  it('a past day, or one after it expires, is refused next to the day’s field, keeping what was typed', async () => {
    const past = await post({ intent: 'schedule', makeGoodId: mg.scheduleMe, wantedOn: '2026-01-01' });
    expect(past).toMatchObject({ ok: false, values: { wantedOn: '2026-01-01' } });
    expect(past.errors.wantedOn).toBe(`The day must be today (${today()}) or later.`);
    const expiresOn = rowsOf(await page()).find((m) => m.id === mg.scheduleMe)!.expiresOn;
    const late = await post({ intent: 'schedule', makeGoodId: mg.scheduleMe, wantedOn: addDays(expiresOn, 1) });
    expect(late.errors.wantedOn).toBe(`The day must be no later than ${expiresOn}, when the make-good expires.`);
    expect(await post({ intent: 'schedule', makeGoodId: mg.scheduleMe, wantedOn: '' })).toMatchObject({ ok: false, errors: { wantedOn: 'Choose a day or a daypart, or clear what was asked for.' } });
    expect(await stored(mg.scheduleMe)).toMatchObject({ wantedOn: null });
  });

  it('a viewer sees the list with no controls, and a change sent as a viewer is refused', async () => {
    const loaded = await page('', 'viewer');
    expect(loaded.mayChange).toBe(false);
    expect(rowsOf(loaded).map((m) => m.id)).toContain(mg.scheduleMe);
    const refused = await post({ intent: 'waive', makeGoodId: mg.scheduleMe, reason: 'Not mine to waive', confirm: 'yes' }, 'viewer');
    expect(refused).toMatchObject({ ok: false, message: 'Not changed: only traffic or an admin at this station may change make-goods.' });
    expect(await stored(mg.scheduleMe)).toMatchObject({ status: 'owed', waivedReason: null });
  });

  it('a waived one does not change, and the page says why in words', async () => {
    const again = await post({ intent: 'schedule', makeGoodId: mg.waived, wantedOn: addDays(today(), 1) });
    expect(again).toMatchObject({ ok: false, message: 'Not changed: only an owed make-good changes; this one is waived.' });
    expect(await stored(mg.waived)).toMatchObject({ status: 'waived', wantedOn: null });
  });
});
