// The affidavit's assembly: lines from the as-run in station time, make-goods naming their
// originals, bonus spots, what did not air, totals with the order's money, and the CSV.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  AFFIDAVIT_CSV_COLUMNS,
  affidavitCsv,
  affidavitFileName,
  affidavitPeriod,
  assembleAffidavit,
  fileSlug,
  orderedInPeriod,
  type AffidavitCampaignInput,
  type AffidavitSpotInput,
} from '../../domain/affidavit.js';

const station = { slug: 'kqtr', name: 'KQTR Community Radio', timezone: 'America/Phoenix', callLetters: 'KQTR-FM', market: 'Phoenix, AZ' };
const fallSale: AffidavitCampaignInput = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Fall Sale',
  advertiser: 'Rainbow Motors',
  orderNumber: 'RM-2026-114',
  agency: 'Saguaro Media',
  agencyCommissionPercent: '15.00',
  rateCents: 8_000,
  currency: 'USD',
  startsOn: '2026-11-01',
  endsOn: '2026-11-30',
  spotsPerDay: null,
  spotsPerWeek: 7,
};

let n = 0;
function spot(over: Partial<AffidavitSpotInput> & { scheduledAt: Date }): AffidavitSpotInput {
  n += 1;
  return {
    entryId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    campaignId: fallSale.id,
    broadcastDate: over.scheduledAt.toISOString().slice(0, 10),
    lengthMs: 30_000,
    copyTitle: 'Rainbow Motors — Fall Sale',
    isci: 'RBMO1234',
    airedAt: null,
    airedUntil: null,
    reconciled: true,
    owedFor: null,
    makeGoodOf: null,
    ...over,
  };
}

// 07:20 Phoenix time is 14:20 UTC (Arizona keeps MST all year).
const aired = spot({ scheduledAt: new Date('2026-11-03T14:20:00Z'), airedAt: new Date('2026-11-03T14:20:05Z'), airedUntil: new Date('2026-11-03T14:20:35Z') });
const missed = spot({ scheduledAt: new Date('2026-11-03T15:40:00Z'), owedFor: { reason: 'missed', status: 'scheduled' } });
const makeGood = spot({
  scheduledAt: new Date('2026-11-04T14:50:00Z'),
  airedAt: new Date('2026-11-04T14:51:10Z'),
  makeGoodOf: { reason: 'missed', original: { entryId: missed.entryId, scheduledAt: missed.scheduledAt, broadcastDate: '2026-11-03' } },
});
const now = new Date('2026-12-02T17:00:00Z');

function affidavit(spots: AffidavitSpotInput[], campaign = fallSale, period = affidavitPeriod('month', '2026-11', null)) {
  return assembleAffidavit({ station, advertiser: 'Rainbow Motors', campaign: null, campaigns: [campaign], spots, period, signer: { name: 'Alex Kim', title: 'Traffic Manager' }, now });
}

describe('an affidavit', () => {
  it('lists each aired spot at its actual time in station time with the zone marked, its window, length and ISCI', () => {
    const a = affidavit([aired]);
    expect(a.lines).toEqual([
      expect.objectContaining({
        status: 'aired',
        airDate: '2026-11-03',
        airTime: '07:20:05',
        timeZone: 'MST',
        airedAt: '2026-11-03T07:20:05-07:00',
        scheduledDate: '2026-11-03',
        scheduledTime: '07:20:00',
        window: { from: '07:15', to: '07:25' },
        lengthSeconds: 30,
        copyTitle: 'Rainbow Motors — Fall Sale',
        isci: 'RBMO1234',
        bonus: false,
        makeGood: null,
      }),
    ]);
  });

  it('marks the zone of each time: on the night clocks go back, 01:30 happens twice, EDT then EST', () => {
    const ny = { ...station, timezone: 'America/New_York' };
    const first = spot({ scheduledAt: new Date('2026-11-01T05:30:00Z'), airedAt: new Date('2026-11-01T05:30:00Z') });
    const again = spot({ scheduledAt: new Date('2026-11-01T06:30:00Z'), airedAt: new Date('2026-11-01T06:30:00Z') });
    const a = assembleAffidavit({ station: ny, advertiser: 'Rainbow Motors', campaign: null, campaigns: [fallSale], spots: [again, first], period: affidavitPeriod('month', '2026-11', null), signer: null, now });
    expect(a.lines.map((l) => [l.airDate, l.airTime, l.timeZone, l.airedAt])).toEqual([
      ['2026-11-01', '01:30:00', 'EDT', '2026-11-01T01:30:00-04:00'],
      ['2026-11-01', '01:30:00', 'EST', '2026-11-01T01:30:00-05:00'],
    ]);
  });

  it('a make-good line names its original by date and time; the missed spot is listed as missed after the aired ones', () => {
    const a = affidavit([makeGood, missed, aired]);
    expect(a.lines.map((l) => l.status)).toEqual(['aired', 'aired', 'missed']);
    expect(a.lines[1]).toMatchObject({ airTime: '07:51:10', makeGood: { reason: 'missed', original: { entryId: missed.entryId, date: '2026-11-03', time: '08:40:00', timeZone: 'MST' } } });
    expect(a.lines[2]).toMatchObject({ entryId: missed.entryId, airDate: null, airTime: null });
  });

  it('totals: ordered for the period, aired, make-goods aired, missed; money for the spots that aired', () => {
    const a = affidavit([makeGood, missed, aired]);
    // 7 a week over the 30 days of November: 30 spots ordered.
    expect(a.totals).toMatchObject({ ordered: 30, aired: 2, makeGoodsAired: 1, bonus: 0, missed: 1, preempted: 0, awaitingAsRun: 0 });
    // 2 × $80.00 = $160.00; 15% commission $24.00; net $136.00.
    expect(a.totals.byCampaign[0]!.money).toEqual({ spots: 2, rateCents: 8_000, currency: 'USD', grossCents: 16_000, commissionCents: 2_400, netCents: 13_600 });
    expect(a.totals.money).toEqual({ spots: 2, currency: 'USD', grossCents: 16_000, commissionCents: 2_400, netCents: 13_600 });
    expect(a.agencies).toEqual(['Saguaro Media']);
    expect(a.orderNumbers).toEqual(['RM-2026-114']);
  });

  it('an order without a rate shows no money', () => {
    expect(affidavit([aired], { ...fallSale, rateCents: null }).totals).toMatchObject({ money: null, byCampaign: [expect.objectContaining({ money: null })] });
  });

  it('spots that aired beyond the period’s order are bonus: listed, counted, not charged', () => {
    const oneDay = { ...fallSale, startsOn: '2026-11-03', endsOn: '2026-11-03', spotsPerDay: 1, spotsPerWeek: null };
    const extra = spot({ scheduledAt: new Date('2026-11-03T18:00:00Z'), airedAt: new Date('2026-11-03T18:00:02Z') });
    const a = affidavit([extra, aired], oneDay);
    expect(a.lines.map((l) => [l.airTime, l.bonus])).toEqual([
      ['07:20:05', false],
      ['11:00:02', true],
    ]);
    expect(a.totals).toMatchObject({ ordered: 1, aired: 2, bonus: 1 });
    expect(a.totals.byCampaign[0]!.money).toMatchObject({ spots: 1, grossCents: 8_000 });
  });

  it('a preempted spot is flagged preempted; a spot of a day not yet reconciled awaits its as-run, not missed', () => {
    const preempted = spot({ scheduledAt: new Date('2026-11-05T14:20:00Z'), owedFor: { reason: 'preempted', status: 'owed' } });
    const waiting = spot({ scheduledAt: new Date('2026-11-29T14:20:00Z'), reconciled: false });
    const a = affidavit([preempted, waiting]);
    expect(a.lines.map((l) => l.status)).toEqual(['preempted', 'awaiting_as_run']);
    expect(a.totals).toMatchObject({ missed: 1, preempted: 1, awaitingAsRun: 1 });
  });

  it('orders per week count the days of the flight inside the period, rounded up', () => {
    expect(orderedInPeriod({ startsOn: '2026-11-20', endsOn: '2026-12-31', spotsPerDay: null, spotsPerWeek: 10 }, { first: '2026-11-01', last: '2026-11-30' })).toBe(16); // 11 days × 10 / 7
    expect(orderedInPeriod({ startsOn: '2026-11-20', endsOn: '2026-12-31', spotsPerDay: 3, spotsPerWeek: null }, { first: '2026-11-01', last: '2026-11-30' })).toBe(33);
    expect(orderedInPeriod({ startsOn: '2026-12-01', endsOn: '2026-12-31', spotsPerDay: 3, spotsPerWeek: null }, { first: '2026-11-01', last: '2026-11-30' })).toBe(0);
  });

  it('is certified with what the station certifies, by the signer named, dated in station time', () => {
    expect(affidavit([aired]).certification).toEqual({
      statement: expect.stringContaining('were broadcast on the dates and at the times shown, as recorded in the station’s program log') as unknown,
      signer: { name: 'Alex Kim', title: 'Traffic Manager' },
      date: '2026-12-02',
    });
  });
});

describe('the affidavit’s files', () => {
  it('are named station-affidavit-advertiser-period, year first', () => {
    const a = affidavit([aired]);
    expect(affidavitFileName(a, 'pdf')).toBe('kqtr-affidavit-rainbow-motors-2026-11.pdf');
    expect(affidavitFileName({ ...a, campaign: 'Fall Sale', period: affidavitPeriod('broadcast-month', '2026-11', null) }, 'csv')).toBe('kqtr-affidavit-rainbow-motors-fall-sale-2026-11-broadcast.csv');
    expect(fileSlug('Café Olé & Sons!')).toBe('cafe-ole-and-sons');
    expect(fileSlug('東京')).toBe('advertiser');
  });

  it('the CSV: the header row, one record per line, CRLF, quoted where RFC 4180 says', () => {
    const a = affidavit([makeGood, missed, aired], { ...fallSale, name: 'Fall Sale, "Big" Weekend' });
    const csv = affidavitCsv(a);
    expect(csv.split('\r\n')[0]).toBe(AFFIDAVIT_CSV_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(csv).toContain('"Fall Sale, ""Big"" Weekend"');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ status: 'aired', air_time: '07:51:10', time_zone: 'MST', make_good: 'yes', make_good_of_date: '2026-11-03', make_good_of_time: '08:40:00 MST', isci_ad_id: 'RBMO1234', rate: '80.00' });
    expect(rows[2]).toMatchObject({ status: 'missed', air_date: '', make_good: 'no' });
  });
});
