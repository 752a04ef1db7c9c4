// The order fields the paperwork needs (issue 13, item 6), through the real app and
// PostgreSQL: order number, agency and its commission, the rate per spot with gross,
// commission and net, and each copy's ISCI code or Ad-ID — refused by field when wrong, and
// audited before and after.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'order-fields-secret';
const db = useTestDatabase();
const KQTR = '/api/v1/stations/kqtr';

const api = () =>
  request(createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, validateResponses: true, log: (error) => console.error(error) }));

interface Problem {
  errors?: { path: string; message: string }[];
}
interface Campaign {
  id: string;
  version: number;
  orderNumber: string | null;
  agency: string | null;
  agencyCommission: number;
  ratePerSpotCents: number | null;
  currency: string;
  delivery: { ordered: number };
  money: { spots: number; rateCents: number; currency: string; grossCents: number; commissionCents: number; netCents: number } | null;
  copy: { ref: string | null; isci: string | null }[];
}

/** KQTR with a second spot for Rainbow Motors; an owner to enter orders. */
async function kqtr() {
  const bundle = smallStationBundle();
  bundle.library!.push({ ref: 'adv-2', type: 'ADV', title: 'Rainbow Motors — Trucks', length: 30, categories: ['auto'] });
  await importStationBundle(db, bundle);
  const { id: advertiserId } = (await db('advertisers').where({ name: 'Rainbow Motors' }).first('id')) as { id: string };
  const admin = (await makePerson(db, SECRET, 'admin')).authorization;
  return { advertiserId, admin };
}

// 4 weeks × 10 spots a week = 40 spots ordered.
const winterDrive = (advertiserId: string) => ({
  advertiserId,
  name: 'Winter Drive',
  start: '2027-01-04',
  end: '2027-01-31',
  spotsPerWeek: 10,
  orderNumber: 'KQTR-2027-0042',
  agency: 'Desert Media Partners',
  ratePerSpotCents: 8_000,
  copy: [
    { track: 'adv-1', isci: 'rbmo1234' },
    { track: 'adv-2', isci: 'RBMO0001000H' },
  ],
});

describe('order fields on a campaign', () => {
  it('an order through an agency carries its number, 15% commission, rate and codes, and is worth $3,200 gross, $480 commission, $2,720 net', async () => {
    const { advertiserId, admin } = await kqtr();
    const created = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send(winterDrive(advertiserId)).expect(201);
    const campaign = created.body as Campaign;
    expect(campaign).toMatchObject({
      orderNumber: 'KQTR-2027-0042',
      agency: 'Desert Media Partners',
      agencyCommission: 15,
      ratePerSpotCents: 8_000,
      currency: 'USD',
      delivery: { ordered: 40 },
      money: { spots: 40, rateCents: 8_000, currency: 'USD', grossCents: 320_000, commissionCents: 48_000, netCents: 272_000 },
      copy: [
        { ref: 'adv-1', isci: 'RBMO1234' },
        { ref: 'adv-2', isci: 'RBMO0001000H' },
      ],
    });
    // Stored as the paperwork needs them: integer cents, upper-case codes.
    expect(await db('campaigns').where({ id: campaign.id }).first('rateCents', 'currency', 'agencyCommissionPercent')).toEqual({ rateCents: 8_000, currency: 'USD', agencyCommissionPercent: '15.00' });
    expect(await db('campaign_copy').where({ campaignId: campaign.id }).orderBy('position').pluck('isci')).toEqual(['RBMO1234', 'RBMO0001000H']);

    // The list shows them too.
    const listed = (await api().get(`${KQTR}/campaigns`).set('Authorization', admin).expect(200)).body as Campaign[];
    expect(listed.find((c) => c.id === campaign.id)).toMatchObject({ orderNumber: 'KQTR-2027-0042', money: { netCents: 272_000 } });
  });

  it('a direct order has no commission, and one without a rate has no money on it', async () => {
    const { advertiserId, admin } = await kqtr();
    const direct = (await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), agency: undefined, ratePerSpotCents: 1_999, currency: 'CAD' })
      .expect(201)).body as Campaign;
    expect(direct).toMatchObject({ agency: null, agencyCommission: 0, currency: 'CAD', money: { grossCents: 79_960, commissionCents: 0, netCents: 79_960 } });
    // The campaign the bundle brought has none of the new fields.
    const fallSale = (await db('campaigns').where({ name: 'Fall Sale' }).first('id')) as { id: string };
    const old = (await api().get(`${KQTR}/campaigns/${fallSale.id}`).set('Authorization', admin).expect(200)).body as Campaign;
    expect(old).toMatchObject({ orderNumber: null, agency: null, agencyCommission: 0, ratePerSpotCents: null, currency: 'USD', money: null, copy: [{ isci: null }] });
  });

  it('a change sets and clears the fields; the audit has them before and after', async () => {
    const { advertiserId, admin } = await kqtr();
    const { id } = (await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), agency: undefined, ratePerSpotCents: undefined }).expect(201)).body as Campaign;

    // Naming an agency where there was none gives it the usual 15%; a percent given wins.
    const named = (await api().patch(`${KQTR}/campaigns/${id}`).set('Authorization', admin).set('If-Match', '"1"').send({ agency: 'Desert Media Partners', ratePerSpotCents: 750 }).expect(200)).body as Campaign;
    expect(named).toMatchObject({ version: 2, agency: 'Desert Media Partners', agencyCommission: 15, money: { spots: 40, grossCents: 30_000, commissionCents: 4_500, netCents: 25_500 } });
    const percent = (await api().patch(`${KQTR}/campaigns/${id}`).set('Authorization', admin).send({ agencyCommission: 12.5, orderNumber: 'KQTR-2027-0042-R1' }).expect(200)).body as Campaign;
    expect(percent).toMatchObject({ agencyCommission: 12.5, orderNumber: 'KQTR-2027-0042-R1', money: { commissionCents: 3_750 } });
    // Other changes keep the percent.
    expect(((await api().patch(`${KQTR}/campaigns/${id}`).set('Authorization', admin).send({ priority: 6 }).expect(200)).body as Campaign).agencyCommission).toBe(12.5);
    // New copy with a new code; clearing the agency clears its commission; clearing the rate, the money.
    const cleared = (await api()
      .patch(`${KQTR}/campaigns/${id}`)
      .set('Authorization', admin)
      .send({ agency: null, ratePerSpotCents: null, orderNumber: null, copy: [{ track: 'adv-2', isci: 'abcd1234000' }] })
      .expect(200)).body as Campaign;
    expect(cleared).toMatchObject({ agency: null, agencyCommission: 0, ratePerSpotCents: null, orderNumber: null, money: null, copy: [{ ref: 'adv-2', isci: 'ABCD1234000' }] });

    const audit = (await db('audit_log').where({ entity: 'campaign', entityId: id }).orderBy('id').select('action', 'before', 'after')) as { action: string; before: Campaign | null; after: Campaign }[];
    expect(audit.map((a) => a.action)).toEqual(['campaign.create', 'campaign.update', 'campaign.update', 'campaign.update', 'campaign.update']);
    expect(audit[0]!.after).toMatchObject({ orderNumber: 'KQTR-2027-0042', agency: null, copy: [{ isci: 'RBMO1234' }, { isci: 'RBMO0001000H' }] });
    expect(audit[1]!.before).toMatchObject({ agency: null, agencyCommission: 0, ratePerSpotCents: null });
    expect(audit[1]!.after).toMatchObject({ agency: 'Desert Media Partners', agencyCommission: 15, ratePerSpotCents: 750, money: { netCents: 25_500 } });
    expect(audit[4]!.before).toMatchObject({ agency: 'Desert Media Partners', agencyCommission: 12.5, copy: [{ isci: 'RBMO1234' }, { isci: 'RBMO0001000H' }] });
    expect(audit[4]!.after).toMatchObject({ agency: null, copy: [{ isci: 'ABCD1234000' }] });
  });

  it('a bad code, a negative rate or a commission without an agency is refused, naming the field and the rule', async () => {
    const { advertiserId, admin } = await kqtr();
    const badCodes = await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), copy: [{ track: 'adv-1', isci: 'RBMO1234' }, { track: 'adv-2', isci: 'RBMO12X4' }, { track: 'adv-1', isci: 'RBMO0001000Q' }, { track: 'adv-2', isci: 'RB-MO' }] })
      .expect(400);
    const errors = (badCodes.body as Problem).errors!;
    expect(errors.map((e) => e.path)).toEqual(['body.copy[1].isci', 'body.copy[2].isci', 'body.copy[3].isci']);
    expect(errors[0]!.message).toMatch(/not an ISCI code: after its 4-letter prefix an ISCI code has 4 digits/);
    expect(errors[1]!.message).toMatch(/not an Ad-ID: .* its 12th may only be H .* or D/);
    expect(errors[2]!.message).toMatch(/letters and digits only/);

    const negative = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), ratePerSpotCents: -100 }).expect(400);
    expect((negative.body as Problem).errors?.map((e) => e.path)).toEqual(['body.ratePerSpotCents']);
    const fraction = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), ratePerSpotCents: 80.5 }).expect(400);
    expect((fraction.body as Problem).errors?.map((e) => e.path)).toEqual(['body.ratePerSpotCents']);
    const overHundred = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), agencyCommission: 101 }).expect(400);
    expect((overHundred.body as Problem).errors?.map((e) => e.path)).toEqual(['body.agencyCommission']);
    const thousandth = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), agencyCommission: 15.125 }).expect(400);
    expect((thousandth.body as Problem).errors).toEqual([{ path: 'body.agencyCommission', message: expect.stringContaining('to the hundredth') as string }]);
    const noAgency = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), agency: undefined, agencyCommission: 10 }).expect(400);
    expect((noAgency.body as Problem).errors).toEqual([{ path: 'body.agencyCommission', message: expect.stringContaining('name the agency') as string }]);
    const badCurrency = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send({ ...winterDrive(advertiserId), currency: 'usd' }).expect(400);
    expect((badCurrency.body as Problem).errors?.map((e) => e.path)).toEqual(['body.currency']);
    expect(await db('campaigns').count('* as n').first()).toEqual({ n: 1 });

    // On a change as well, by the index of the copy sent.
    const fallSale = (await db('campaigns').where({ name: 'Fall Sale' }).first('id')) as { id: string };
    const changed = await api()
      .patch(`${KQTR}/campaigns/${fallSale.id}`)
      .set('Authorization', admin)
      .send({ copy: [{ track: 'adv-1' }, { track: 'adv-2', isci: '0BCD1234000' }] })
      .expect(400);
    expect((changed.body as Problem).errors).toEqual([{ path: 'body.copy[1].isci', message: expect.stringContaining('cannot start with zero') as string }]);
    await api().patch(`${KQTR}/campaigns/${fallSale.id}`).set('Authorization', admin).send({ ratePerSpotCents: -1 }).expect(400);
    await api().patch(`${KQTR}/campaigns/${fallSale.id}`).set('Authorization', admin).send({ agencyCommission: 15 }).expect(400);
  });
});
