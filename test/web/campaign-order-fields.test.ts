// The campaign form's order fields (issue 13, item 6), called as Remix calls the routes,
// against the real API and PostgreSQL: what was typed is kept, the API's problems stand next
// to their fields (a copy's code next to that copy), and the campaign page shows what the
// ordered spots are worth.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as campaignPage from '../../web/app/routes/stations.$station.campaigns.$campaignId.js';
import * as campaignNew from '../../web/app/routes/stations.$station.campaigns.new.js';
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
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-campaign-order-'));
  const bundle = smallStationBundle();
  bundle.library!.push({ ref: 'adv-2', type: 'ADV', title: 'Rainbow Motors — Trucks', length: 30, categories: ['auto'] });
  await importStationBundle(db, bundle);
  // An admin of KQTR (not an owner of the install) enters orders there.
  await addPerson(db, { email: 'orders@kqtr.example', name: 'Orla Orders', role: 'admin', stations: ['kqtr'], password: 'orders password' });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'campaign-order-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'campaign-order-session-secret';
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

async function thrownResponse(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error('expected a Response');
}

async function signInCookie(): Promise<string> {
  const request = new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: 'orders@kqtr.example', password: 'orders password', next: '/stations/kqtr/campaigns' }) });
  const response = await thrownResponse(() => signIn.action(args(request)));
  return response.headers.get('Set-Cookie')!.split(';')[0]!;
}
// The token endpoint limits sign-ins per account: sign in once.
let cookie: Promise<string> | undefined;
const signedIn = () => (cookie ??= signInCookie());

const post = async (fields: Record<string, string | string[]>, url = `${WEB}/stations/kqtr/campaigns/new`) =>
  new Request(url, { method: 'POST', headers: { Cookie: await signedIn() }, body: form(fields) });

describe('the campaign form’s order fields', () => {
  it('keeps what was typed and puts a bad code next to its copy and a bad rate next to the rate', async () => {
    const { choices } = await campaignNew.loader(args(new Request(`${WEB}/stations/kqtr/campaigns/new`, { headers: { Cookie: await signedIn() } }), { station: 'kqtr' }));
    const advertiserId = choices.advertisers[0]!.id;
    const [fall, trucks] = [choices.copy.find((c) => c.title.endsWith('Fall Sale'))!.id, choices.copy.find((c) => c.title.endsWith('Trucks'))!.id];
    const typed = {
      advertiserId,
      name: 'Winter Drive',
      start: '2027-01-04',
      end: '2027-01-31',
      spotsPerDay: '2',
      orderNumber: 'KQTR-2027-0042',
      agency: 'Desert Media Partners',
      agencyCommission: '',
      rate: '$80',
      currency: 'USD',
      copy: [fall, trucks],
      [`isci:${fall}`]: 'rbmo1234',
      [`isci:${trucks}`]: 'RBMO12X4',
    };

    // The form itself reads the rate: words are not dollars and cents.
    const wordy = await campaignNew.action(args(await post({ ...typed, rate: 'eighty' }), { station: 'kqtr' }));
    expect(wordy.errors).toEqual({ rate: 'Type the rate as dollars and cents, like 80.00.' });
    expect(wordy.values).toMatchObject({ rate: 'eighty', orderNumber: 'KQTR-2027-0042' });

    // The API refuses the second copy's code: the problem stands next to that copy, all else kept.
    const refused = await campaignNew.action(args(await post(typed), { station: 'kqtr' }));
    expect(refused.errors).toEqual({ [`isci:${trucks}`]: expect.stringContaining('after its 4-letter prefix an ISCI code has 4 digits') as string });
    expect(refused.values).toMatchObject({ orderNumber: 'KQTR-2027-0042', agency: 'Desert Media Partners', rate: '$80', copy: [fall, trucks], isci: { [fall]: 'rbmo1234', [trucks]: 'RBMO12X4' } });

    // A commission over 100% is the API's to refuse, next to the commission.
    const greedy = await campaignNew.action(args(await post({ ...typed, [`isci:${trucks}`]: 'RBMO0001000H', agencyCommission: '150' }), { station: 'kqtr' }));
    expect(Object.keys(greedy.errors)).toEqual(['agencyCommission']);

    // Corrected, it saves and goes back to the list.
    const corrected = await post({ ...typed, [`isci:${trucks}`]: 'RBMO0001000H' });
    const saved = await thrownResponse(() => campaignNew.action(args(corrected, { station: 'kqtr' })));
    expect(saved.status).toBe(302);
    expect(saved.headers.get('Location')).toBe('/stations/kqtr/campaigns');
  });

  it('the campaign page shows the order and what the ordered spots are worth, and a change keeps the codes typed', async () => {
    const { id } = (await db('campaigns').where({ name: 'Winter Drive' }).first('id')) as { id: string };
    const params = { station: 'kqtr', campaignId: id };
    const page = await campaignPage.loader(args(new Request(`${WEB}/stations/kqtr/campaigns/${id}`, { headers: { Cookie: await signedIn() } }), params));
    // 28 days × 2 spots at $80.00, 15% to the agency.
    expect(page.order).toEqual({
      advertiser: 'Rainbow Motors',
      orderNumber: 'KQTR-2027-0042',
      agency: 'Desert Media Partners',
      agencyCommission: 15,
      money: { spots: 56, rateCents: 8_000, currency: 'USD', grossCents: 448_000, commissionCents: 67_200, netCents: 380_800 },
    });
    expect(page.values).toMatchObject({ rate: '80.00', agencyCommission: '15', orderNumber: 'KQTR-2027-0042' });
    expect(Object.values(page.values.isci).sort()).toEqual(['RBMO0001000H', 'RBMO1234']);

    const [fall, trucks] = page.values.copy;
    const changed = await campaignPage.action(
      args(
        await post(
          {
            version: String(page.version),
            advertiserId: page.values.advertiserId,
            name: page.values.name,
            start: page.values.start,
            end: page.values.end,
            spotsPerDay: page.values.spotsPerDay,
            rate: '80.00',
            agency: 'Desert Media Partners',
            agencyCommission: '15',
            copy: [fall!, trucks!],
            [`isci:${fall!}`]: 'RBMO1234',
            [`isci:${trucks!}`]: '0BMO0001000',
          },
          `${WEB}/stations/kqtr/campaigns/${id}`,
        ),
        params,
      ),
    );
    expect(changed.errors).toEqual({ [`isci:${trucks!}`]: expect.stringContaining('cannot start with zero') as string });
    expect(changed.values.isci[trucks!]).toBe('0BMO0001000');

    // Corrected, the change saves (an edit keeps its advertiser) and the codes are stored in upper case.
    const corrected = await post(
      { version: String(page.version), advertiserId: page.values.advertiserId, name: page.values.name, start: page.values.start, end: page.values.end, spotsPerDay: '2', rate: '80.00', agency: 'Desert Media Partners', copy: [trucks!], [`isci:${trucks!}`]: 'rbmo0002000' },
      `${WEB}/stations/kqtr/campaigns/${id}`,
    );
    expect((await thrownResponse(() => campaignPage.action(args(corrected, params)))).status).toBe(302);
    expect(await db('campaign_copy').where({ campaignId: id }).pluck('isci')).toEqual(['RBMO0002000']);
    expect(await db('campaigns').where({ id }).first('agencyCommissionPercent', 'version')).toEqual({ agencyCommissionPercent: '15.00', version: 2 });
  });

  it('each copy’s weight and first and last day are kept, refused next to their copy when wrong; the page shows where the order stands and its delivery over the flight', async () => {
    const { id } = (await db('campaigns').where({ name: 'Winter Drive' }).first('id')) as { id: string };
    const params = { station: 'kqtr', campaignId: id };
    const read = async () => campaignPage.loader(args(new Request(`${WEB}/stations/kqtr/campaigns/${id}`, { headers: { Cookie: await signedIn() } }), params));
    const page = await read();
    // Its flight (January 2027) has not begun: upcoming, with a day per flight day to draw.
    expect(page.state).toBe('upcoming');
    expect(page.delivery.days).toHaveLength(28);
    expect(page.delivery.days.at(-1)).toMatchObject({ date: '2027-01-31', orderedToDate: 56, placedToDate: 0, airedToDate: 0 });
    const { choices } = await campaignNew.loader(args(new Request(`${WEB}/stations/kqtr/campaigns/new`, { headers: { Cookie: await signedIn() } }), { station: 'kqtr' }));
    const fall = choices.copy.find((c) => c.title.endsWith('Fall Sale'))!.id;
    const trucks = page.values.copy[0]!;
    const fields = {
      version: String(page.version),
      advertiserId: page.values.advertiserId,
      name: page.values.name,
      start: page.values.start,
      end: page.values.end,
      spotsPerDay: '2',
      rate: '80.00',
      agency: 'Desert Media Partners',
      copy: [trucks, fall],
      [`isci:${trucks}`]: 'RBMO0002000',
      [`weight:${trucks}`]: '3',
      [`weight:${fall}`]: '1',
      [`copyStart:${fall}`]: '2027-01-18',
      [`copyEnd:${fall}`]: '2027-01-10',
    };
    const refused = await campaignPage.action(args(await post(fields, `${WEB}/stations/kqtr/campaigns/${id}`), params));
    expect(refused.errors).toEqual({ [`copyEnd:${fall}`]: 'The last day comes on or after the first.' });
    expect(await campaignPage.action(args(await post({ ...fields, [`weight:${fall}`]: '0', [`copyEnd:${fall}`]: '2027-01-31' }, `${WEB}/stations/kqtr/campaigns/${id}`), params))).toMatchObject({
      errors: { [`weight:${fall}`]: 'A weight is a whole number from 1 to 100.' },
    });
    const saved = await post({ ...fields, [`copyEnd:${fall}`]: '2027-01-31' }, `${WEB}/stations/kqtr/campaigns/${id}`);
    expect((await thrownResponse(() => campaignPage.action(args(saved, params)))).status).toBe(302);
    const after = await read();
    expect(after.values).toMatchObject({ weight: { [trucks]: '3', [fall]: '1' }, copyStart: { [fall]: '2027-01-18' }, copyEnd: { [fall]: '2027-01-31' } });
  });
});

