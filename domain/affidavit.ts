// The affidavit (proof of performance) an advertiser or agency gets with an invoice: the
// station, the advertiser and their orders, the period, one line per spot from the as-run,
// the totals and the station's certification (../../docs/affidavits.md). Pure assembly from
// rows db/affidavits.ts reads: no I/O; the PDF is drawn by reports/affidavit-pdf.ts.
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { DEFAULT_RECONCILIATION_RULES } from './reconciliation/rules.js';
import { broadcastMonth, calendarMonth, daysIn, overlap, type DateSpan, type PeriodKind } from './broadcast-calendar.js';
import { agencyCommission, orderMoney, type OrderMoney } from './orders.js';

/** What the station certifies, printed above the signature (../shared/guide/reports.md). */
export const CERTIFICATION_STATEMENT =
  'The announcements listed above as aired were broadcast on the dates and at the times shown, as recorded in the station’s program log (its as-run).';

/** How far from its scheduled start a spot may air and still be on time for its slot: reconciliation's window for spots. */
const WINDOW_MS = DEFAULT_RECONCILIATION_RULES.matchWindowMs.ADV;

export interface AffidavitStationInput {
  slug: string;
  name: string;
  timezone: string;
  callLetters: string | null;
  market: string | null;
}

export interface AffidavitCampaignInput {
  id: string;
  name: string;
  advertiser: string;
  orderNumber: string | null;
  agency: string | null;
  /** numeric(5,2) as PostgreSQL sends it ("15.00"), or a number. */
  agencyCommissionPercent: string | number | null;
  rateCents: number | null;
  currency: string;
  startsOn: string;
  endsOn: string;
  spotsPerDay: number | null;
  spotsPerWeek: number | null;
}

/** A campaign's spot in a log of the period, with what aired for it. */
export interface AffidavitSpotInput {
  entryId: string;
  campaignId: string;
  /** The log's broadcast date. */
  broadcastDate: string;
  scheduledAt: Date;
  lengthMs: number;
  /** The copy's title (its track), else the entry's title. */
  copyTitle: string;
  isci: string | null;
  /** The first play the as-run matched to the entry; null when none did. */
  airedAt: Date | null;
  airedUntil: Date | null;
  /** Whether the day has been reconciled (its as-run is in): only then is a spot with no play missed. */
  reconciled: boolean;
  /** The make-good owed for this spot, when it did not air as ordered. */
  owedFor: { reason: 'missed' | 'preempted'; status: string } | null;
  /** When the spot is itself a make-good: why it was owed and the spot it makes good. */
  makeGoodOf: { reason: 'missed' | 'preempted'; original: { entryId: string; scheduledAt: Date; broadcastDate: string } | null } | null;
}

export interface AffidavitPeriod extends DateSpan {
  kind: PeriodKind;
  /** What the period is called in a file name and on the page: 2026-11, 2026-11 (broadcast), or the flight's days. */
  label: string;
}

export type SpotStatus = 'aired' | 'missed' | 'preempted' | 'awaiting_as_run';

export interface AffidavitLine {
  entryId: string;
  campaignId: string;
  campaign: string;
  orderNumber: string | null;
  status: SpotStatus;
  /** Air date and time in the station's timezone; null when it did not air. */
  airDate: string | null;
  airTime: string | null;
  /** The zone's abbreviation at that moment (MST, CEST, or GMT+1 where there is none). */
  timeZone: string | null;
  /** The play's start with its UTC offset (2026-11-03T07:20:05-07:00). */
  airedAt: string | null;
  scheduledDate: string;
  scheduledTime: string;
  /** The window the spot was due in: its scheduled start ± the spot match window. */
  window: { from: string; to: string };
  lengthSeconds: number;
  copyTitle: string;
  isci: string | null;
  rateCents: number | null;
  currency: string;
  bonus: boolean;
  /** For a make-good: why one was owed and, when known, the original it makes good. */
  makeGood: { reason: 'missed' | 'preempted'; original: { entryId: string; date: string; time: string; timeZone: string } | null } | null;
}

export interface AffidavitCampaignTotals {
  campaignId: string;
  campaign: string;
  orderNumber: string | null;
  agency: string | null;
  commissionPercent: number;
  flight: DateSpan;
  /** Spots the order asks for on the period's days of the flight. */
  ordered: number;
  /** Spots that aired: ordered ones, make-goods and bonus alike. */
  aired: number;
  makeGoodsAired: number;
  bonus: number;
  /** Spots of the period's logs with no play, the day reconciled (preempted ones included). */
  missed: number;
  preempted: number;
  awaitingAsRun: number;
  /** Money for the spots that aired and are charged (aired − bonus); null without a rate. */
  money: OrderMoney | null;
}

export interface Affidavit {
  station: { slug: string; name: string; callLetters: string | null; market: string | null; timezone: string };
  advertiser: string;
  /** The campaign, when the affidavit is for one. */
  campaign: string | null;
  agencies: string[];
  orderNumbers: string[];
  period: AffidavitPeriod;
  lines: AffidavitLine[];
  totals: {
    ordered: number;
    aired: number;
    makeGoodsAired: number;
    bonus: number;
    missed: number;
    preempted: number;
    awaitingAsRun: number;
    /** Sum over the campaigns with a rate, when they share one currency; else null (see byCampaign). */
    money: Omit<OrderMoney, 'rateCents'> | null;
    byCampaign: AffidavitCampaignTotals[];
  };
  certification: { statement: string; signer: { name: string; title: string | null } | null; date: string };
  generatedAt: string;
}

// ---- periods ------------------------------------------------------------------------------

/** The days a period covers: a calendar or broadcast month (`YYYY-MM`), or a flight. */
export function affidavitPeriod(kind: PeriodKind, month: string | null, flight: DateSpan | null): AffidavitPeriod {
  if (kind === 'month') return { kind, ...calendarMonth(month!), label: month! };
  if (kind === 'broadcast-month') return { kind, ...broadcastMonth(month!), label: `${month!}-broadcast` };
  if (!flight) throw new RangeError('a flight period needs the flight');
  return { kind, ...flight, label: `${flight.first}-to-${flight.last}` };
}

/**
 * Spots the order asks for on the days of the flight that fall in the period: per day × days,
 * or per week × days ÷ 7 rounded up (as the campaign's whole-flight count is worked out).
 */
export function orderedInPeriod(c: Pick<AffidavitCampaignInput, 'startsOn' | 'endsOn' | 'spotsPerDay' | 'spotsPerWeek'>, period: DateSpan): number {
  const days = overlap({ first: c.startsOn, last: c.endsOn }, period);
  if (!days) return 0;
  const n = daysIn(days);
  if (c.spotsPerDay) return c.spotsPerDay * n;
  return Math.ceil(((c.spotsPerWeek ?? 0) * n) / 7);
}

// ---- assembly -----------------------------------------------------------------------------

const local = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone });
const two = (n: number) => String(n).padStart(2, '0');
/** HH:mm:ss (what toFormat says, without its cost on a 2,000-line month). */
const clock = (t: DateTime) => `${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
const abbreviations = new Map<string, string>();
/** The zone's abbreviation at that moment (MST, CEST; GMT+1 where the zone has none): one per zone and offset. */
function zoneAbbreviation(t: DateTime): string {
  const key = `${t.zoneName ?? ''} ${t.offset}`;
  let name = abbreviations.get(key);
  if (name === undefined) abbreviations.set(key, (name = t.toFormat('ZZZZ')));
  return name;
}

export interface AffidavitInput {
  station: AffidavitStationInput;
  /** The advertiser's name. */
  advertiser: string;
  /** Set when the affidavit is for one campaign. */
  campaign: string | null;
  campaigns: readonly AffidavitCampaignInput[];
  spots: readonly AffidavitSpotInput[];
  period: AffidavitPeriod;
  signer: { name: string; title: string | null } | null;
  now: Date;
}

/**
 * The affidavit: one line per spot of the period's logs (aired first in air order, the rest by
 * their scheduled time), the totals per campaign and overall, and the certification.
 * A spot that aired beyond what the order asks for in the period (make-goods aside) is a bonus:
 * listed, counted, and not charged.
 */
export function assembleAffidavit(input: AffidavitInput): Affidavit {
  const zone = input.station.timezone;
  const campaigns = new Map(input.campaigns.map((c) => [c.id, c]));
  const ordered = new Map(input.campaigns.map((c) => [c.id, orderedInPeriod(c, input.period)]));

  const spots = [...input.spots].sort(
    (a, b) => (a.airedAt ?? a.scheduledAt).getTime() - (b.airedAt ?? b.scheduledAt).getTime() || a.scheduledAt.getTime() - b.scheduledAt.getTime() || a.entryId.localeCompare(b.entryId),
  );
  // Bonus: regular (not make-good) spots that aired after the order's count for the period was reached.
  const regularAired = new Map<string, number>();
  const lines = spots.map((spot): AffidavitLine => {
    const c = campaigns.get(spot.campaignId);
    if (!c) throw new RangeError(`spot ${spot.entryId} is of campaign ${spot.campaignId}, which is not among the affidavit's campaigns`);
    const status: SpotStatus = spot.airedAt ? 'aired' : spot.owedFor?.reason === 'preempted' ? 'preempted' : spot.owedFor || spot.reconciled ? 'missed' : 'awaiting_as_run';
    let bonus = false;
    if (status === 'aired' && !spot.makeGoodOf) {
      const n = (regularAired.get(c.id) ?? 0) + 1;
      regularAired.set(c.id, n);
      bonus = n > (ordered.get(c.id) ?? 0);
    }
    const scheduled = local(spot.scheduledAt, zone);
    const aired = spot.airedAt ? local(spot.airedAt, zone) : null;
    const original = spot.makeGoodOf?.original;
    const originalAt = original ? local(original.scheduledAt, zone) : null;
    return {
      entryId: spot.entryId,
      campaignId: c.id,
      campaign: c.name,
      orderNumber: c.orderNumber,
      status,
      airDate: aired?.toISODate() ?? null,
      airTime: aired ? clock(aired) : null,
      timeZone: aired ? zoneAbbreviation(aired) : null,
      airedAt: aired?.toISO({ suppressMilliseconds: true }) ?? null,
      scheduledDate: spot.broadcastDate,
      scheduledTime: clock(scheduled),
      window: { from: clock(scheduled.minus({ milliseconds: WINDOW_MS })).slice(0, 5), to: clock(scheduled.plus({ milliseconds: WINDOW_MS })).slice(0, 5) },
      lengthSeconds: Math.round(spot.lengthMs / 1000),
      copyTitle: spot.copyTitle,
      isci: spot.isci,
      rateCents: c.rateCents,
      currency: c.currency,
      bonus,
      makeGood: spot.makeGoodOf
        ? { reason: spot.makeGoodOf.reason, original: original && originalAt ? { entryId: original.entryId, date: original.broadcastDate, time: clock(originalAt), timeZone: zoneAbbreviation(originalAt) } : null }
        : null,
    };
  });
  // Aired lines first, in air order; then what did not air, by its scheduled time.
  const sorted = [...lines.filter((l) => l.status === 'aired'), ...lines.filter((l) => l.status !== 'aired').sort((a, b) => `${a.scheduledDate} ${a.scheduledTime}`.localeCompare(`${b.scheduledDate} ${b.scheduledTime}`))];

  const byCampaign = input.campaigns.map((c): AffidavitCampaignTotals => {
    const mine = sorted.filter((l) => l.campaignId === c.id);
    const count = (f: (l: AffidavitLine) => boolean) => mine.filter(f).length;
    const aired = count((l) => l.status === 'aired');
    const bonus = count((l) => l.bonus);
    const commissionPercent = agencyCommission(c.agency, c.agencyCommissionPercent === null ? null : Number(c.agencyCommissionPercent));
    return {
      campaignId: c.id,
      campaign: c.name,
      orderNumber: c.orderNumber,
      agency: c.agency,
      commissionPercent,
      flight: { first: c.startsOn, last: c.endsOn },
      ordered: ordered.get(c.id) ?? 0,
      aired,
      makeGoodsAired: count((l) => l.status === 'aired' && l.makeGood !== null),
      bonus,
      missed: count((l) => l.status === 'missed' || l.status === 'preempted'),
      preempted: count((l) => l.status === 'preempted'),
      awaitingAsRun: count((l) => l.status === 'awaiting_as_run'),
      money: c.rateCents === null ? null : orderMoney({ spots: aired - bonus, rateCents: c.rateCents, commissionPercent, currency: c.currency }),
    };
  });
  const sum = (k: 'ordered' | 'aired' | 'makeGoodsAired' | 'bonus' | 'missed' | 'preempted' | 'awaitingAsRun') => byCampaign.reduce((n, t) => n + t[k], 0);
  const priced = byCampaign.map((t) => t.money).filter((m): m is OrderMoney => m !== null);
  const currencies = new Set(priced.map((m) => m.currency));
  const money =
    priced.length && currencies.size === 1
      ? {
          spots: priced.reduce((n, m) => n + m.spots, 0),
          currency: priced[0]!.currency,
          grossCents: priced.reduce((n, m) => n + m.grossCents, 0),
          commissionCents: priced.reduce((n, m) => n + m.commissionCents, 0),
          netCents: priced.reduce((n, m) => n + m.netCents, 0),
        }
      : null;
  const unique = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))];

  return {
    station: { slug: input.station.slug, name: input.station.name, callLetters: input.station.callLetters, market: input.station.market, timezone: zone },
    advertiser: input.advertiser,
    campaign: input.campaign,
    agencies: unique(input.campaigns.map((c) => c.agency)),
    orderNumbers: unique(input.campaigns.map((c) => c.orderNumber)),
    period: input.period,
    lines: sorted,
    totals: {
      ordered: sum('ordered'),
      aired: sum('aired'),
      makeGoodsAired: sum('makeGoodsAired'),
      bonus: sum('bonus'),
      missed: sum('missed'),
      preempted: sum('preempted'),
      awaitingAsRun: sum('awaitingAsRun'),
      money,
      byCampaign,
    },
    certification: { statement: CERTIFICATION_STATEMENT, signer: input.signer, date: local(input.now, zone).toISODate()! },
    generatedAt: input.now.toISOString(),
  };
}

// ---- words and file names -----------------------------------------------------------------

/** "0:30", "1:05" */
export function spotLength(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** What a line's notes column says: make-good of which original, bonus, missed or preempted. */
export function lineNote(line: AffidavitLine): string {
  const notes: string[] = [];
  if (line.makeGood) {
    const o = line.makeGood.original;
    notes.push(o ? `Make-good of ${o.date} ${o.time.slice(0, 5)} ${o.timeZone}` : `Make-good (a ${line.makeGood.reason} spot)`);
  }
  if (line.bonus) notes.push('Bonus (no charge)');
  if (line.status === 'missed') notes.push('Missed');
  if (line.status === 'preempted') notes.push('Preempted');
  if (line.status === 'awaiting_as_run') notes.push('Awaiting as-run');
  return notes.join('; ');
}

/** A name as it goes into a file name: lower case ASCII letters and digits between hyphens. */
export function fileSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 60).replace(/-+$/, '') || 'advertiser';
}

/** `kqtr-affidavit-rainbow-motors-2026-11.pdf`: station, advertiser (and campaign), period; dates year first. */
export function affidavitFileName(a: Pick<Affidavit, 'station' | 'advertiser' | 'campaign' | 'period'>, extension: 'pdf' | 'csv' | 'json'): string {
  const who = [a.advertiser, a.campaign].filter((s): s is string => !!s).map(fileSlug).join('-');
  return `${a.station.slug}-affidavit-${who}-${a.period.label}.${extension}`;
}

// ---- CSV ----------------------------------------------------------------------------------

/** The CSV's columns, in order; its first row (docs/affidavits.md describes each). */
export const AFFIDAVIT_CSV_COLUMNS = [
  'station',
  'advertiser',
  'agency',
  'campaign',
  'order_number',
  'status',
  'air_date',
  'air_time',
  'time_zone',
  'aired_at',
  'scheduled_date',
  'scheduled_time',
  'window_start',
  'window_end',
  'length',
  'copy_title',
  'isci_ad_id',
  'make_good',
  'make_good_of_date',
  'make_good_of_time',
  'bonus',
  'preempted',
  'rate',
  'currency',
] as const;

const amount = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** The CSV's rows after the header: one per line, every value a string. */
export function affidavitCsvRows(a: Affidavit): string[][] {
  const agencyOf = new Map(a.totals.byCampaign.map((t) => [t.campaignId, t.agency]));
  const station = a.station.callLetters ?? a.station.name;
  return a.lines.map((l) => [
    station,
    a.advertiser,
    agencyOf.get(l.campaignId) ?? '',
    l.campaign,
    l.orderNumber ?? '',
    l.status,
    l.airDate ?? '',
    l.airTime ?? '',
    l.timeZone ?? '',
    l.airedAt ?? '',
    l.scheduledDate,
    l.scheduledTime,
    l.window.from,
    l.window.to,
    spotLength(l.lengthSeconds),
    l.copyTitle,
    l.isci ?? '',
    l.makeGood ? 'yes' : 'no',
    l.makeGood?.original?.date ?? '',
    l.makeGood?.original ? `${l.makeGood.original.time} ${l.makeGood.original.timeZone}` : '',
    l.bonus ? 'yes' : 'no',
    l.status === 'preempted' ? 'yes' : 'no',
    l.rateCents === null ? '' : l.bonus ? '0.00' : amount(l.rateCents),
    l.rateCents === null ? '' : l.currency,
  ]);
}

/**
 * The CSV agencies load: RFC 4180 (fields with a comma, quote or line break quoted, quotes
 * doubled), CRLF after every record, UTF-8 without a byte-order mark, the header row first.
 */
export function affidavitCsv(a: Affidavit): string {
  return stringify([[...AFFIDAVIT_CSV_COLUMNS], ...affidavitCsvRows(a)], { record_delimiter: '\r\n' });
}
