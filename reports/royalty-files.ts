// The royalty and compliance files a station can make, in one list the API, the reports page
// and the monthly Schedule share (docs/royalty-formats.md): what each is for, the station
// details it cannot be made without, what it lacks in the period's plays, and its writer.
// Never invents data: a file whose station details are missing is not made (the caller says
// which to fill in), and plays lacking a field are listed for the library to fix.
import type { Knex } from 'knex';
import { airedPlays, periodInstants, reportStation, storedTuningHours, type ReportStationReading } from '../db/royalty-plays.js';
import { addDays } from '../domain/calendar-date.js';
import type { AiredPlay, MissingData, ReportPeriod, ReportStation, RoyaltyFile } from '../domain/royalty/index.js';
import {
  bmiEmr,
  bmiMissing,
  crtcMusicList,
  crtcMusicListMissing,
  crtcProgramLog,
  crtcProgramLogMissing,
  industryLog,
  industryLogMissing,
  legalIdCsv,
  legalIdHours,
  proMusicUseCsv,
  proMusicUseMissing,
  socanMissing,
  soundExchangeMissing,
  soundExchangeReport,
} from '../domain/royalty/index.js';
import { socanMusicUseXlsx } from './royalty/socan-xlsx.js';
import { stationLogPdf } from './station-log-pdf.js';

export const ROYALTY_REPORT_IDS = [
  'soundexchange-census',
  'soundexchange-ath',
  'bmi',
  'pro-music-use',
  'socan',
  'industry-log',
  'crtc-program-log',
  'crtc-music-list',
  'legal-ids',
  'station-log',
] as const;
export type RoyaltyReportId = (typeof ROYALTY_REPORT_IDS)[number];

/** What a file is made from, besides the station and its plays. */
export interface RoyaltyFileInputs {
  station: ReportStation;
  plays: readonly AiredPlay[];
  period: ReportPeriod;
  /** When it is made. */
  now: Date;
  /** SoundExchange: the 14 header rows, or none. */
  headers?: boolean;
  /** SoundExchange ATH: the period's aggregate tuning hours (from the listener sessions). */
  aggregateTuningHours?: number;
}

export interface RoyaltyReport {
  id: RoyaltyReportId;
  /** As the station says it. */
  name: string;
  /** Who it goes to and why, one sentence. */
  purpose: string;
  /** The countries whose stations file it (ISO 3166); empty: any. */
  countries: readonly string[];
  /** What the Schedule prepares it for: each calendar month, or on request only. */
  cadence: 'monthly' | 'on request';
  /** Days after the period it is due, where the rule says (SoundExchange: 45). */
  dueDays: number | null;
  /** ReportStation fields it cannot be made without (as reportStation() names them). */
  needs: (headers: boolean) => readonly string[];
  missing: (inputs: RoyaltyFileInputs) => MissingData[];
  write: (inputs: RoyaltyFileInputs) => RoyaltyFile | Promise<RoyaltyFile>;
}

const CONTACT = ['contact.name', 'contact.street', 'contact.city', 'contact.region', 'contact.postalCode', 'contact.phone', 'contact.email'];
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

const REPORTS: readonly RoyaltyReport[] = [
  {
    id: 'soundexchange-census',
    name: 'SoundExchange Report of Use — census (ATP)',
    purpose: 'Every recording streamed, with its plays × listeners (actual total performances): what most webcasters and simulcasters owe SoundExchange each month.',
    countries: ['US'],
    cadence: 'monthly',
    dueDays: 45,
    needs: (headers) => ['soundExchangeServiceName', 'transmissionCategory', ...(headers ? CONTACT : [])],
    missing: ({ station, plays, period }) => soundExchangeMissing(station, plays, period, 'ATP'),
    write: ({ station, plays, period, now, headers }) => soundExchangeReport(station, plays, period, { form: { kind: 'ATP' }, headers: headers ?? true, generatedOn: dayOf(now) }),
  },
  {
    id: 'soundexchange-ath',
    name: 'SoundExchange Report of Use — aggregate tuning hours (ATH)',
    purpose: 'Every recording with its play count and the channel’s aggregate tuning hours: the form eligible minimum-fee webcasters may file instead of the census.',
    countries: ['US'],
    cadence: 'on request',
    dueDays: 45,
    needs: (headers) => ['soundExchangeServiceName', 'transmissionCategory', ...(headers ? CONTACT : [])],
    missing: ({ station, plays, period }) => soundExchangeMissing(station, plays, period, 'ATH'),
    write: ({ station, plays, period, now, headers, aggregateTuningHours }) =>
      soundExchangeReport(station, plays, period, {
        form: { kind: 'ATH', aggregateTuningHours: aggregateTuningHours ?? 0, channelOrProgramName: station.name },
        headers: headers ?? true,
        generatedOn: dayOf(now),
      }),
  },
  {
    id: 'bmi',
    name: 'BMI music use (EMR)',
    purpose: 'Every music play in BMI’s fixed-width electronic music report, for the periods BMI asks a station to log.',
    countries: ['US'],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters', 'band', 'format'],
    missing: ({ station, plays, period }) => bmiMissing(station, plays, period),
    write: ({ station, plays, period, now }) => bmiEmr(station, plays, period, { createdAt: now.getTime() }),
  },
  {
    id: 'pro-music-use',
    name: 'Music use (ASCAP, SESAC, GMR)',
    purpose: 'Every music play with its writers, publishers and usage, as one CSV for the performing-rights organisations that ask for a log.',
    countries: [],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters'],
    missing: ({ station, plays, period }) => proMusicUseMissing(station, plays, period),
    write: ({ station, plays, period }) => proMusicUseCsv(station, plays, period),
  },
  {
    id: 'socan',
    name: 'SOCAN music-use list (spreadsheet)',
    purpose: 'The daily, sequential list of every musical work performed, as SOCAN Tariff 1.A asks of commercial radio.',
    countries: ['CA'],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters'],
    missing: ({ station, plays, period }) => socanMissing(station, plays, period),
    write: ({ station, plays, period, now }) => socanMusicUseXlsx(station, plays, period, { generatedAt: now }),
  },
  {
    id: 'industry-log',
    name: 'Industry log (campus and community)',
    purpose: 'The CRTC log with each piece’s usage (theme, background, feature) and cue lengths, which campus and community stations may file with SOCAN.',
    countries: ['CA'],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters', 'communityOfLicense', 'frequency'],
    missing: ({ station, plays, period }) => industryLogMissing(station, plays, period),
    write: ({ station, plays, period }) => industryLog(station, plays, period),
  },
  {
    id: 'crtc-program-log',
    name: 'CRTC program log',
    purpose: 'What the Radio Regulations (s. 8) ask to be kept for four weeks: station identifications, programmes with their category and origin, commercials by quarter hour.',
    countries: ['CA'],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters', 'communityOfLicense', 'frequency'],
    missing: ({ station, plays, period }) => crtcProgramLogMissing(station, plays, period),
    write: ({ station, plays, period }) => crtcProgramLog(station, plays, period),
  },
  {
    id: 'crtc-music-list',
    name: 'CRTC music list',
    purpose: 'The selections in broadcast order with their Canadian-content (MAPL), hit, instrumental and language flags, kept for the CRTC on request.',
    countries: ['CA'],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters'],
    missing: ({ station, plays, period }) => crtcMusicListMissing(station, plays, period),
    write: ({ station, plays, period }) => crtcMusicList(station, plays, period),
  },
  {
    id: 'legal-ids',
    name: 'Hourly legal IDs',
    purpose: 'Each hour with the time its station identification aired, from the as-run, and the hours without one: proof of the FCC’s hourly ID rule.',
    countries: [],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters'],
    missing: () => [],
    write: ({ station, plays, period }) => legalIdCsv(station, legalIdHours(station, plays, period), period),
  },
  {
    id: 'station-log',
    name: 'Station log (PDF)',
    purpose: 'What aired, hour by hour, in local time marked with its zone, each hour headed by the time its legal ID aired: a printable log to keep with the station’s records.',
    countries: [],
    cadence: 'monthly',
    dueDays: null,
    needs: () => ['callLetters', 'communityOfLicense'],
    missing: () => [],
    write: ({ station, plays, period, now }) => stationLogPdf(station, plays, period, { generatedAt: now }),
  },
];

export const ROYALTY_REPORTS: ReadonlyMap<RoyaltyReportId, RoyaltyReport> = new Map(REPORTS.map((r) => [r.id, r]));

export function royaltyReport(id: string): RoyaltyReport | undefined {
  return ROYALTY_REPORTS.get(id as RoyaltyReportId);
}

/** The reports a station in `country` files (all of them when the country is not known). */
export function reportsFor(country: string | null | undefined): RoyaltyReport[] {
  return REPORTS.filter((r) => !country || r.countries.length === 0 || r.countries.includes(country));
}

/** The station details `report` needs that the station has not filled in. */
export function stationDetailsLacking(report: RoyaltyReport, stationMissing: readonly string[], headers: boolean): string[] {
  return report.needs(headers).filter((field) => stationMissing.includes(field));
}

/** The day a file for `period` is due, when its rule says. */
export function dueOn(report: RoyaltyReport, period: ReportPeriod): string | null {
  if (report.dueDays === null) return null;
  const due = new Date(`${period.to}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + report.dueDays);
  return due.toISOString().slice(0, 10);
}

export interface PreparedRoyaltyFile {
  report: RoyaltyReport;
  period: ReportPeriod;
  station: ReportStationReading;
  /** Station details the file cannot be made without (empty: it was made). */
  lacking: string[];
  /** Plays the file cannot report in full, in air order. */
  missing: MissingData[];
  plays: readonly AiredPlay[];
  /** The file, unless details are lacking. */
  file: RoyaltyFile | null;
}

/** Reads what `report` needs for the period and makes the file (or says what is lacking). */
export async function prepareRoyaltyFile(
  db: Knex,
  stationId: string,
  report: RoyaltyReport,
  period: ReportPeriod,
  options: { headers?: boolean; now?: Date } = {},
): Promise<PreparedRoyaltyFile> {
  const station = await reportStation(db, stationId);
  const headers = options.headers ?? true;
  const now = options.now ?? new Date();
  // Legal IDs near midnight belong to the next or previous day's hour: half an hour either side.
  const margin = report.id === 'legal-ids' || report.id === 'station-log' ? 1 : 0;
  const plays = await airedPlays(db, stationId, margin ? { from: addDays(period.from, -margin), to: addDays(period.to, margin) } : period, station.station.timezone);
  const { from, to } = periodInstants(period, station.station.timezone);
  const aggregateTuningHours = report.id === 'soundexchange-ath' ? (await storedTuningHours(db, stationId, from, to)).hours : undefined;
  const inputs: RoyaltyFileInputs = { station: station.station, plays, period, now, headers, ...(aggregateTuningHours !== undefined && { aggregateTuningHours }) };
  const lacking = stationDetailsLacking(report, station.missing, headers);
  return { report, period, station, lacking, missing: report.missing(inputs), plays, file: lacking.length ? null : await report.write(inputs) };
}
