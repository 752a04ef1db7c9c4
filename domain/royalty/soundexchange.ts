// The SoundExchange Report of Use (37 CFR 370.4, the census form; docs/royalty-formats.md):
// one line per sound recording of the period, MUS plays only. ASCII, `|` between fields, text
// in `^…^`, numbers bare, every delimiter present, each line ended by a CR (no LF), with or
// without the 14 header rows. A play without artist, title, and an ISRC or else both album
// and label (or, for the ATP form, without its audience) is left out and listed: the file
// never carries an empty label standing in for an unknown one.
import { compactDate, has, missingIn, periodPlays, remembered, toAscii } from './common.js';
import { TRANSMISSION_CATEGORIES, type AiredPlay, type MissingData, type ReportPeriod, type ReportStation, type RoyaltyFile } from './types.js';

/**
 * ATP: ACTUAL_TOTAL_PERFORMANCES, plays × listeners (the census form most webcasters owe).
 * ATH: AGGREGATE_TUNING_HOURS of the channel for the period, its name, and each recording's PLAY_FREQUENCY.
 */
export type SoundExchangeForm = { kind: 'ATP' } | { kind: 'ATH'; aggregateTuningHours: number; channelOrProgramName: string };

export interface SoundExchangeOptions {
  form: SoundExchangeForm;
  /** The 14 header rows before the data (370.4(e)), or none. */
  headers: boolean;
  /** The day the report is made (header row 9), YYYY-MM-DD. */
  generatedOn: string;
}

const RECORDING_COLUMNS = ['NAME_OF_SERVICE', 'TRANSMISSION_CATEGORY', 'FEATURED_ARTIST', 'SOUND_RECORDING_TITLE', 'ISRC', 'ALBUM_TITLE', 'MARKETING_LABEL'];
export const SOUNDEXCHANGE_ATP_COLUMNS = [...RECORDING_COLUMNS, 'ACTUAL_TOTAL_PERFORMANCES'] as const;
export const SOUNDEXCHANGE_ATH_COLUMNS = [...RECORDING_COLUMNS, 'AGGREGATE_TUNING_HOURS', 'CHANNEL_OR_PROGRAM_NAME', 'PLAY_FREQUENCY'] as const;

const CR = '\r';

/**
 * A text field as the file carries it: ASCII (common.ts toAscii), and since the format has no
 * escape, the text qualifier `^` becomes `'` and the delimiter `|` becomes `/` inside a value.
 */
export const soundExchangeText = (value: string | null | undefined) => toAscii(value).replaceAll('^', "'").replaceAll('|', '/');
const qualified = (value: string | null | undefined) => `^${soundExchangeText(value)}^`;

/** ISRCs as the 12 characters of the code: hyphens and spaces dropped, capitals. */
export const isrcCode = (isrc: string | null | undefined) => (isrc ? isrc.replace(/[\s-]/g, '').toUpperCase() : '');

const number = (n: number) => String(Math.round(n * 100) / 100);

/** What a MUS play lacks for this form, by AiredPlay's field names. */
function lacks(p: AiredPlay, form: SoundExchangeForm['kind'], text: (v: string | null | undefined) => string = soundExchangeText): string[] {
  const fields: string[] = [];
  if (!text(p.performer)) fields.push('performer');
  if (!text(p.title)) fields.push('title');
  if (!isrcCode(p.isrc)) {
    const album = !!text(p.album);
    const label = !!text(p.label);
    if (!album || !label) fields.push('isrc', ...(album ? [] : ['album']), ...(label ? [] : ['label']));
  }
  if (form === 'ATP' && (p.listeners === null || !Number.isFinite(p.listeners) || p.listeners < 0)) fields.push('listeners');
  return fields;
}

/** The period's MUS plays the report cannot carry, with what each lacks; they are left out of the file. */
export function soundExchangeMissing(station: Pick<ReportStation, 'timezone'>, plays: readonly AiredPlay[], period: ReportPeriod, form: SoundExchangeForm['kind'] = 'ATP'): MissingData[] {
  return missingIn(station, plays, period, (p) => p.trackType === 'MUS', (p) => lacks(p, form));
}

/** `<ServiceName><YYYYMMDD>-<YYYYMMDD>.txt`: the service name's ASCII letters, digits, `-` and `_`; the period's first and last day. */
export function soundExchangeFileName(station: Pick<ReportStation, 'soundExchangeServiceName'>, period: ReportPeriod): string {
  const name = toAscii(station.soundExchangeServiceName).replace(/[^A-Za-z0-9_-]/g, '');
  if (!name) throw new RangeError('the SoundExchange service name has no ASCII letters or digits to name the file with');
  return `${name}${compactDate(period.from)}-${compactDate(period.to)}.txt`;
}

interface Recording {
  /** Artist, title, ISRC, album and label as the line carries them. */
  fields: string;
  performances: number;
  plays: number;
}

/**
 * The Report of Use for the period: one line per recording (the same artist, title, ISRC,
 * album and label as written), in the order each first aired; ATP sums the listeners of its
 * plays, ATH counts them.
 */
export function soundExchangeReport(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod, options: SoundExchangeOptions): RoyaltyFile {
  if (!TRANSMISSION_CATEGORIES.includes(station.transmissionCategory)) throw new RangeError(`not a SoundExchange transmission category: "${String(station.transmissionCategory)}"`);
  const { form } = options;
  if (form.kind === 'ATH' && !(Number.isFinite(form.aggregateTuningHours) && form.aggregateTuningHours >= 0)) throw new RangeError('the ATH form needs the aggregate tuning hours (a number ≥ 0)');
  const service = qualified(station.soundExchangeServiceName);
  const category = qualified(station.transmissionCategory);

  // Each distinct text is made ASCII once, not once a play.
  const ascii = remembered(soundExchangeText);
  const text = (v: string | null | undefined) => (v ? ascii(v) : '');
  const isrc = remembered(isrcCode);
  const recordings = new Map<string, Recording>();
  for (const play of periodPlays(plays, period, station.timezone, (p) => p.trackType === 'MUS')) {
    if (lacks(play, form.kind, text).length) continue;
    const key = `^${text(play.performer)}^|^${text(play.title)}^|^${play.isrc ? isrc(play.isrc) : ''}^|^${text(play.album)}^|^${text(play.label)}^`;
    let r = recordings.get(key);
    if (!r) recordings.set(key, (r = { fields: key, performances: 0, plays: 0 }));
    r.plays += 1;
    r.performances += Math.round(play.listeners ?? 0);
  }

  const ath = form.kind === 'ATH' ? `|${number(form.aggregateTuningHours)}|${qualified(form.channelOrProgramName)}|` : '';
  const lines: string[] = [];
  for (const r of recordings.values()) {
    const head = `${service}|${category}|${r.fields}|`;
    lines.push(form.kind === 'ATP' ? `${head}${r.performances}` : `${head.slice(0, -1)}${ath}${r.plays}`);
  }

  let header = '';
  if (options.headers) {
    const c = station.contact;
    const cityLine = [has(c.city) ? c.city : null, [c.region, c.postalCode].filter(has).join(' ')].filter(has).join(', ');
    const columns = form.kind === 'ATP' ? SOUNDEXCHANGE_ATP_COLUMNS : SOUNDEXCHANGE_ATH_COLUMNS;
    header = [
      station.soundExchangeServiceName,
      c.name,
      c.street,
      cityLine,
      c.phone,
      c.email,
      compactDate(period.from),
      compactDate(period.to),
      compactDate(options.generatedOn),
      String(lines.length),
      '^',
      '|',
      '',
      columns.join('|'),
    ]
      .map((v, i) => (i < 6 ? soundExchangeText(v) : v) + CR)
      .join('');
  }

  return {
    fileName: soundExchangeFileName(station, period),
    contentType: 'text/plain; charset=us-ascii',
    body: header + lines.map((l) => l + CR).join(''),
    rows: lines.length,
  };
}
