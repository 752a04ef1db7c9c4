// A station bundle carries the order fields the paperwork needs (issue 13, item 6): order
// number, agency and commission, rate per spot and currency, each copy's ISCI or Ad-ID — and
// brings them back the same after an export and an import.
import { describe, expect, it } from 'vitest';
import { exportStationBundle } from '../../db/bundle-export.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { BundleCampaign, StationBundle } from '../../domain/bundle/types.js';
import { BundleValidationError, validateStationBundle } from '../../domain/bundle/validate.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

function withOrders(): StationBundle {
  const bundle = smallStationBundle();
  bundle.library!.push({ ref: 'adv-2', type: 'ADV', title: 'Rainbow Motors — Trucks', length: 30, categories: ['auto'] });
  const fallSale = bundle.campaigns![0]!;
  Object.assign(fallSale, { orderNumber: 'KQTR-2026-0107', agency: 'Desert Media Partners', ratePerSpotCents: 8_000 } satisfies Partial<BundleCampaign>);
  fallSale.copy = [
    { track: 'adv-1', weight: 2, isci: 'rbmo1234' },
    { track: 'adv-2', isci: 'RBMO0001000H' },
  ];
  bundle.campaigns!.push({
    advertiser: 'Rainbow Motors',
    name: 'Winter Direct',
    start: '2027-01-04',
    end: '2027-01-31',
    spotsPerWeek: 10,
    ratePerSpotCents: 1_999,
    currency: 'CAD',
    copy: [{ track: 'adv-2' }],
  });
  return bundle;
}

const problemsOf = (bundle: unknown) => {
  try {
    validateStationBundle(bundle);
    return [];
  } catch (error) {
    if (error instanceof BundleValidationError) return error.problems;
    throw error;
  }
};

describe('order fields in a station bundle', () => {
  it('imports them (codes in upper case, 15% for an agency without a percent) and exports them back the same', async () => {
    await importStationBundle(db, withOrders());
    expect(await db('campaigns').orderBy('name').select('name', 'orderNumber', 'agency', 'agencyCommissionPercent', 'rateCents', 'currency')).toEqual([
      { name: 'Fall Sale', orderNumber: 'KQTR-2026-0107', agency: 'Desert Media Partners', agencyCommissionPercent: '15.00', rateCents: 8_000, currency: 'USD' },
      { name: 'Winter Direct', orderNumber: null, agency: null, agencyCommissionPercent: '0.00', rateCents: 1_999, currency: 'CAD' },
    ]);

    const { id: stationId } = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const exported = await exportStationBundle(db, stationId);
    expect(exported.campaigns).toEqual([
      expect.objectContaining({
        name: 'Fall Sale',
        orderNumber: 'KQTR-2026-0107',
        agency: 'Desert Media Partners',
        agencyCommission: 15,
        ratePerSpotCents: 8_000,
        currency: 'USD',
        copy: [
          { track: 'adv-1', weight: 2, isci: 'RBMO1234' },
          { track: 'adv-2', weight: 1, isci: 'RBMO0001000H' },
        ],
      }),
      expect.objectContaining({ name: 'Winter Direct', ratePerSpotCents: 1_999, currency: 'CAD', copy: [{ track: 'adv-2', weight: 1 }] }),
    ]);
    // A campaign without an agency says nothing of a commission.
    expect(exported.campaigns![1]).not.toHaveProperty('agencyCommission');
    expect(exported.campaigns![1]).not.toHaveProperty('agency');
    expect(() => validateStationBundle(exported)).not.toThrow();

    // Round trip: the exported bundle imports onto the station and exports the same again.
    await db('campaigns').update({ agencyCommissionPercent: 0, agency: null, orderNumber: null, rateCents: null });
    await db('campaign_copy').update({ isci: null });
    await importStationBundle(db, exported);
    expect(await exportStationBundle(db, stationId)).toEqual(exported);
  });

  it('refuses a bad code, a negative rate and a commission without an agency, by JSON path', () => {
    const bundle = withOrders();
    bundle.campaigns![0]!.copy[1]!.isci = 'RBMO12345';
    bundle.campaigns![1]!.ratePerSpotCents = -5;
    bundle.campaigns![1]!.agencyCommission = 10;
    bundle.campaigns![1]!.currency = 'cad';
    const schemaProblems = problemsOf(bundle).map((p) => p.path);
    expect(schemaProblems).toEqual(expect.arrayContaining(['$.campaigns[1].ratePerSpotCents', '$.campaigns[1].currency']));

    bundle.campaigns![1]!.ratePerSpotCents = 5;
    bundle.campaigns![1]!.currency = 'CAD';
    expect(problemsOf(bundle)).toEqual([
      { path: '$.campaigns[0].copy[1].isci', message: expect.stringMatching(/is 9 characters: an ISCI code is 8 .* an Ad-ID 11/) as string },
      { path: '$.campaigns[1].agencyCommission', message: expect.stringContaining('name the agency') as string },
    ]);
  });
});
