// The reconciliation report (docs/reconciliation.md §The reconciliation report): a day's
// outcomes said as the station says them — one line per entry in station time, the plays no
// entry asked for, each campaign's totals — and the totals of a period's days. Pure: the
// caller reads the day (db/reconciliation-report.ts) and says what time it is.
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { ElementType, EntryOutcomeKind, MissedReason, NotDueReason, UnscheduledReason } from '../vocabulary.js';
import { ENTRY_OUTCOMES } from '../vocabulary.js';
import { asRunDeadline } from './day.js';
import { reconcileDay } from './reconcile.js';
import { campaignTotals, type CampaignTotals } from './totals.js';
import type { AsRunPlaySource, EntryOutcome, Interruption, MatchedBy, Period, PlayRef, ReconcileDayInput, ScheduledEntry } from './types.js';

export interface ReportStation {
  slug: string;
  name: string;
  timezone: string;
}

export interface ReportCampaignName {
  name: string;
  advertiser: string;
}

export type ReportDayState = 'awaiting_as_run' | 'reconciled';

export interface ReportPlay {
  /** The play's start in station time with its offset (2026-12-01T07:20:40-07:00). */
  at: string;
  /** HH:mm:ss, station time. */
  time: string;
  title: string | null;
  artist: string | null;
  source: AsRunPlaySource;
  /** How long it played by the as-run's word (null where it does not say). */
  playedSeconds: number | null;
}

export interface ReportEntry {
  entryId: string;
  position: number;
  scheduledAt: string;
  scheduledTime: string;
  lengthSeconds: number;
  type: ElementType;
  title: string;
  artist: string | null;
  campaign: ({ id: string } & ReportCampaignName) | null;
  /** For a make-good: the entry it makes good. */
  makeGoodOf: string | null;
  /** Null while the day awaits its as-run. */
  outcome: EntryOutcomeKind | null;
  timing: 'on_time' | 'early' | 'late' | null;
  /** Play start − scheduled start, whole seconds (negative: early); null when nothing of its own played. */
  offsetSeconds: number | null;
  /** What played: the entry's play, or what played in its place (substituted). */
  played: (ReportPlay & { matchedBy: MatchedBy | null }) | null;
  /** Why it missed or was not due. */
  reason: MissedReason | NotDueReason | null;
  /** An operator's note (a reported miss). */
  note: string | null;
  /** The outcome in words: "Aired 40 s late". */
  description: string;
}

export interface ReportUnscheduled extends ReportPlay {
  reason: UnscheduledReason;
  description: string;
}

export interface ReportCampaign extends CampaignTotals, ReportCampaignName {
  /** Placed spots of days still awaiting their as-run (counted in `placed` only). */
  awaitingAsRun: number;
}

export type ReportCounts = Record<EntryOutcomeKind, number> & { entries: number; unscheduled: number; awaiting_as_run: number };

export interface DayReport {
  station: ReportStation;
  date: string;
  state: ReportDayState;
  /** The state in words: "Reconciled from libretime" or "Awaiting the as-run, due by …". */
  stateText: string;
  /** While awaiting: when the as-run is due (station time with offset), and whether that has passed. */
  deadline?: string;
  overdue?: boolean;
  /** The day has not finished airing (the report then awaits the as-run). */
  airing?: boolean;
  sources: AsRunPlaySource[];
  counts: ReportCounts;
  entries: ReportEntry[];
  unscheduled: ReportUnscheduled[];
  campaigns: ReportCampaign[];
}

export interface DayReportInput {
  station: ReportStation;
  date: string;
  day: Period;
  entries: readonly ScheduledEntry[];
  plays: ReconcileDayInput['plays'];
  /** Live shows playout reported taking over (what the reconciliation step was given). */
  interruptions?: readonly Interruption[];
  /** Campaign names by id. */
  campaigns: Readonly<Record<string, ReportCampaignName>>;
  /** Spots each campaign's order asks for on the day (campaign id → spots). */
  ordered?: Readonly<Record<string, number>>;
  now: number;
}

// ---- words and times ---------------------------------------------------------------------

const zoned = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone });
/** An instant in station time with its offset, whole seconds unless the as-run gave more. */
export const stationInstant = (ms: number, zone: string) => zoned(ms, zone).toISO({ suppressMilliseconds: true })!;
const stationClock = (ms: number, zone: string) => zoned(ms, zone).toFormat('HH:mm:ss');
const seconds = (ms: number) => Math.round(ms) / 1000;

/** A span in words: "40 s", "2 min 5 s", "1 h 3 min". */
export function spanInWords(totalSeconds: number): string {
  const s = Math.round(Math.abs(totalSeconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const MISSED_WORDS: Record<MissedReason, string> = {
  nothing_in_window: 'Missed: other items played in its window, not this',
  playout_gap: 'Missed: playout recorded nothing at the time',
  live_takeover: 'Missed: a live show took over',
  reported_missed: 'Missed: reported by an operator',
};
const NOT_DUE_WORDS: Record<NotDueReason, string> = {
  live_show: 'Not due: in a planned live show',
  outside_programme: 'Not due: outside programme (playout was not to air it)',
};
export const UNSCHEDULED_WORDS: Record<UnscheduledReason, string> = {
  not_in_log: 'Played, not in the log',
  played_again: 'Played again (the log had it once)',
};
/** Each outcome's name as a person reads it (the web app's badges say the same). */
export const OUTCOME_NAMES: Record<EntryOutcomeKind | 'awaiting_as_run', string> = {
  aired: 'Aired',
  aired_partially: 'Cut short',
  substituted: 'Substituted',
  moved: 'Moved',
  missed: 'Missed',
  not_due: 'Not due',
  awaiting_as_run: 'Awaiting as-run',
};

const what = (p: PlayRef) => (p.title ? `“${p.title}”${p.artist ? ` by ${p.artist}` : ''}` : 'another item');

/** An entry's outcome in words, as the station says it. */
export function describeOutcome(o: EntryOutcome, timezone: string): string {
  switch (o.outcome) {
    case 'aired':
      return o.timing === 'on_time' ? 'Aired on time' : `Aired ${spanInWords(o.offsetSeconds)} ${o.timing}`;
    case 'aired_partially': {
      const played = o.play.playedMs === null ? null : Math.round(o.play.playedMs / 1000);
      return `Cut short: played ${played ?? '?'} s of ${Math.round(o.lengthMs / 1000)} s (${Math.round(o.playedShare * 100)} %)`;
    }
    case 'substituted':
      return `Substituted: ${what(o.play)} played in its place at ${stationClock(o.play.startedAt, timezone)}`;
    case 'moved':
      return `Moved: aired at ${stationClock(o.play.startedAt, timezone)}, ${spanInWords(o.offsetSeconds)} ${o.offsetSeconds < 0 ? 'early' : 'late'}`;
    case 'missed':
      return o.note ? `${MISSED_WORDS[o.reason]}: ${o.note}` : MISSED_WORDS[o.reason];
    case 'not_due':
      return NOT_DUE_WORDS[o.reason];
  }
}

function reportPlay(p: PlayRef, timezone: string): ReportPlay {
  return { at: stationInstant(p.startedAt, timezone), time: stationClock(p.startedAt, timezone), title: p.title, artist: p.artist, source: p.source, playedSeconds: p.playedMs === null ? null : seconds(p.playedMs) };
}

function emptyCounts(entries: number): ReportCounts {
  return { entries, awaiting_as_run: 0, ...(Object.fromEntries(ENTRY_OUTCOMES.map((k) => [k, 0])) as Record<EntryOutcomeKind, number>), unscheduled: 0 };
}

// ---- a day -------------------------------------------------------------------------------

/**
 * The day's report, recomputed from what the reconciliation step reads (so it says what the
 * step would say now). A day still on air, or whose as-run has not come, awaits it: its entries
 * are listed with no outcome, and nothing is counted missed.
 */
export function dayReport(input: DayReportInput): DayReport {
  const { station, date, day, now } = input;
  const tz = station.timezone;
  const names = input.campaigns;
  const campaignOf = (id: string | null) => (id ? { id, name: names[id]?.name ?? '(unknown campaign)', advertiser: names[id]?.advertiser ?? '' } : null);
  const scheduled = (e: ScheduledEntry) => ({
    entryId: e.id,
    position: e.position,
    scheduledAt: stationInstant(e.startsAt, tz),
    scheduledTime: stationClock(e.startsAt, tz),
    lengthSeconds: seconds(e.lengthMs),
    type: e.type,
    title: e.title,
    artist: e.artist,
    campaign: campaignOf(e.campaignId),
    makeGoodOf: e.makeGoodOf ?? null,
  });
  const entries = [...input.entries].sort((a, b) => a.position - b.position);
  const airing = now < day.endsAt;
  const result = airing
    ? { state: 'awaiting_as_run' as const, deadline: asRunDeadline(day), overdue: false }
    : reconcileDay({ day, entries, plays: input.plays, interruptions: input.interruptions ?? [], now });

  if (result.state === 'awaiting_as_run') {
    const due = zoned(result.deadline, tz).toFormat('ccc d LLL HH:mm ZZZZ');
    const counts = emptyCounts(entries.length);
    counts.awaiting_as_run = entries.length;
    return {
      station,
      date,
      state: 'awaiting_as_run',
      stateText: airing ? `On air: awaiting the as-run when the day is over (due by ${due})` : result.overdue ? `The as-run is overdue: it was due by ${due}` : `Awaiting the as-run (due by ${due}): nothing is counted missed until it comes`,
      deadline: stationInstant(result.deadline, tz),
      overdue: result.overdue,
      ...(airing && { airing: true }),
      sources: [],
      counts,
      entries: entries.map((e) => ({ ...scheduled(e), outcome: null, timing: null, offsetSeconds: null, played: null, reason: null, note: null, description: 'Awaiting the as-run' })),
      unscheduled: [],
      campaigns: awaitingCampaigns(entries, names, input.ordered ?? {}),
    };
  }

  const byId = new Map(entries.map((e) => [e.id, e]));
  const lines: ReportEntry[] = result.outcomes.map((o) => {
    const e = byId.get(o.entryId)!;
    const played = 'play' in o ? { ...reportPlay(o.play, tz), matchedBy: 'matchedBy' in o ? o.matchedBy : null } : null;
    return {
      ...scheduled(e),
      outcome: o.outcome,
      timing: o.outcome === 'aired' || o.outcome === 'aired_partially' ? o.timing : null,
      offsetSeconds: 'offsetSeconds' in o && o.outcome !== 'substituted' ? o.offsetSeconds : null,
      played,
      reason: o.outcome === 'missed' || o.outcome === 'not_due' ? o.reason : null,
      note: o.outcome === 'missed' ? o.note : null,
      description: describeOutcome(o, tz),
    };
  });
  const counts = emptyCounts(entries.length);
  for (const k of ENTRY_OUTCOMES) counts[k] = result.counts[k];
  counts.unscheduled = result.counts.unscheduled;
  return {
    station,
    date,
    state: 'reconciled',
    stateText: `Reconciled from ${result.sources.join(', ') || 'an operator’s report'}`,
    sources: result.sources,
    counts,
    entries: lines,
    unscheduled: result.unscheduled.map((u) => ({ ...reportPlay(u.play, tz), reason: u.reason, description: UNSCHEDULED_WORDS[u.reason] })),
    campaigns: named(campaignTotals(result.outcomes, input.ordered ?? {}), names),
  };
}

function named(totals: readonly CampaignTotals[], names: Readonly<Record<string, ReportCampaignName>>): ReportCampaign[] {
  return totals.map((t) => ({ ...t, name: names[t.campaignId]?.name ?? '(unknown campaign)', advertiser: names[t.campaignId]?.advertiser ?? '', awaitingAsRun: 0 })).sort(byAdvertiserThenName);
}

const byAdvertiserThenName = (a: ReportCampaign, b: ReportCampaign) => a.advertiser.localeCompare(b.advertiser) || a.name.localeCompare(b.name) || (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0);

function awaitingCampaigns(entries: readonly ScheduledEntry[], names: Readonly<Record<string, ReportCampaignName>>, ordered: Readonly<Record<string, number>>): ReportCampaign[] {
  const zero = (campaignId: string): ReportCampaign => ({
    campaignId,
    name: names[campaignId]?.name ?? '(unknown campaign)',
    advertiser: names[campaignId]?.advertiser ?? '',
    ordered: 0,
    placed: 0,
    aired: 0,
    moved: 0,
    partiallyAired: 0,
    missed: 0,
    substituted: 0,
    notDue: 0,
    makeGoodsPlaced: 0,
    madeGood: 0,
    awaitingAsRun: 0,
  });
  const totals = new Map<string, ReportCampaign>();
  for (const id of Object.keys(ordered)) totals.set(id, zero(id));
  for (const e of entries) {
    if (!e.campaignId) continue;
    const t = totals.get(e.campaignId) ?? zero(e.campaignId);
    totals.set(e.campaignId, t);
    if (e.makeGoodOf) t.makeGoodsPlaced++;
    else {
      t.placed++;
      t.awaitingAsRun++;
    }
  }
  return [...totals.values()].map((t) => ({ ...t, ordered: ordered[t.campaignId] ?? t.placed })).sort(byAdvertiserThenName);
}

// ---- a period ----------------------------------------------------------------------------

export interface PeriodDay {
  date: string;
  state: ReportDayState | 'not_built';
  deadline?: string;
  overdue?: boolean;
  counts: ReportCounts;
}

export interface PeriodReport {
  station: ReportStation;
  from: string;
  to: string;
  days: PeriodDay[];
  counts: ReportCounts;
  campaigns: ReportCampaign[];
}

const COUNTED: readonly ('placed' | 'aired' | 'moved' | 'partiallyAired' | 'missed' | 'substituted' | 'notDue' | 'makeGoodsPlaced' | 'madeGood')[] = ['placed', 'aired', 'moved', 'partiallyAired', 'missed', 'substituted', 'notDue', 'makeGoodsPlaced', 'madeGood'];

/**
 * The period's report from its days' reports (null for a day not built): each day's state and
 * counts, and each campaign's totals over the period. `ordered` is what each order asks for
 * over the whole period (else the spots placed).
 */
export function periodReport(input: { station: ReportStation; from: string; to: string; days: readonly { date: string; report: DayReport | null }[]; ordered?: Readonly<Record<string, number>>; names?: Readonly<Record<string, ReportCampaignName>> }): PeriodReport {
  const counts = emptyCounts(0);
  const campaigns = new Map<string, ReportCampaign>();
  const days: PeriodDay[] = input.days.map(({ date, report }) => {
    if (!report) return { date, state: 'not_built', counts: emptyCounts(0) };
    for (const k of Object.keys(counts) as (keyof ReportCounts)[]) counts[k] += report.counts[k];
    for (const c of report.campaigns) {
      const t = campaigns.get(c.campaignId);
      if (!t) campaigns.set(c.campaignId, { ...c, ordered: 0 });
      else {
        for (const k of COUNTED) t[k] += c[k];
        t.awaitingAsRun += c.awaitingAsRun;
      }
    }
    return { date, state: report.state, ...(report.deadline !== undefined && { deadline: report.deadline, overdue: report.overdue ?? false }), counts: report.counts };
  });
  const ordered = input.ordered ?? {};
  for (const id of Object.keys(ordered)) {
    if (!campaigns.has(id)) {
      const name = input.names?.[id];
      campaigns.set(id, { campaignId: id, name: name?.name ?? '(unknown campaign)', advertiser: name?.advertiser ?? '', ordered: 0, placed: 0, aired: 0, moved: 0, partiallyAired: 0, missed: 0, substituted: 0, notDue: 0, makeGoodsPlaced: 0, madeGood: 0, awaitingAsRun: 0 });
    }
  }
  return {
    station: input.station,
    from: input.from,
    to: input.to,
    days,
    counts,
    campaigns: [...campaigns.values()].map((c) => ({ ...c, ordered: ordered[c.campaignId] ?? c.placed })).sort(byAdvertiserThenName),
  };
}

// ---- CSV ---------------------------------------------------------------------------------

/** The day CSV's header row (docs/reconciliation.md §The reconciliation report). */
export const DAY_CSV_COLUMNS = [
  'station',
  'date',
  'position',
  'scheduled_at',
  'length_seconds',
  'type',
  'title',
  'artist',
  'advertiser',
  'campaign',
  'make_good_of',
  'outcome',
  'timing',
  'offset_seconds',
  'aired_at',
  'aired_seconds',
  'aired_title',
  'aired_artist',
  'source',
  'matched_by',
  'reason',
  'description',
  'entry_id',
] as const;

export const PERIOD_DAYS_CSV_COLUMNS = ['station', 'date', 'state', 'deadline', 'entries', 'awaiting_as_run', 'aired', 'aired_partially', 'substituted', 'moved', 'missed', 'not_due', 'unscheduled'] as const;

export const PERIOD_CAMPAIGNS_CSV_COLUMNS = [
  'station',
  'from',
  'to',
  'advertiser',
  'campaign',
  'campaign_id',
  'ordered',
  'placed',
  'aired',
  'moved',
  'partially_aired',
  'missed',
  'substituted',
  'not_due',
  'awaiting_as_run',
  'make_goods_placed',
  'made_good',
] as const;

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** RFC 4180: quoted where needed, quotes doubled, CRLF after every record, the header row first. */
const csv = (header: readonly string[], rows: string[][]) => stringify([[...header], ...rows], { record_delimiter: '\r\n' });

export function dayReportCsv(r: DayReport): string {
  return csv(
    DAY_CSV_COLUMNS,
    r.entries.map((e) => [
      r.station.slug,
      r.date,
      text(e.position),
      e.scheduledAt,
      text(e.lengthSeconds),
      e.type,
      e.title,
      text(e.artist),
      text(e.campaign?.advertiser),
      text(e.campaign?.name),
      text(e.makeGoodOf),
      e.outcome ?? 'awaiting_as_run',
      text(e.timing),
      text(e.offsetSeconds),
      text(e.played?.at),
      text(e.played?.playedSeconds),
      text(e.played?.title),
      text(e.played?.artist),
      text(e.played?.source),
      text(e.played?.matchedBy),
      text(e.reason),
      e.description,
      e.entryId,
    ]),
  );
}

export function periodDaysCsv(r: PeriodReport): string {
  return csv(
    PERIOD_DAYS_CSV_COLUMNS,
    r.days.map((d) => [r.station.slug, d.date, d.state, text(d.deadline), ...(['entries', 'awaiting_as_run', 'aired', 'aired_partially', 'substituted', 'moved', 'missed', 'not_due', 'unscheduled'] as const).map((k) => text(d.counts[k]))]),
  );
}

export function periodCampaignsCsv(r: PeriodReport): string {
  return csv(
    PERIOD_CAMPAIGNS_CSV_COLUMNS,
    r.campaigns.map((c) => [
      r.station.slug,
      r.from,
      r.to,
      c.advertiser,
      c.name,
      c.campaignId,
      ...(['ordered', 'placed', 'aired', 'moved', 'partiallyAired', 'missed', 'substituted', 'notDue', 'awaitingAsRun', 'makeGoodsPlaced', 'madeGood'] as const).map((k) => text(c[k])),
    ]),
  );
}
