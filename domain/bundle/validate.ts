// Validating a station bundle: first its shape (JSON Schema), then what a schema cannot
// say (names that must resolve, unique keys, lengths that fit). Every error names the JSON
// path of what is wrong, e.g. `$.clocks[3].elements[1].ruleSet`.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { createRequire } from 'node:module';
import { DateTime, IANAZone } from 'luxon';
import { durationToMs, timeOfDayToMinutes } from '../durations.js';
import { stationBundleSchema } from './schema.js';
import type { BundleClock, BundleClockElement, StationBundle } from './types.js';
import type { StartKind } from '../vocabulary.js';
import { isCalendarDate } from '../calendar-date.js';
import { checkSpotCode } from '../orders.js';
import { checkIswc, checkUpc } from '../track-metadata.js';
import { clockElementProblems } from '../clock-elements.js';

export interface BundleProblem {
  /** JSON path of the offending value, `$` for the whole document. */
  path: string;
  message: string;
}

export class BundleValidationError extends Error {
  override name = 'BundleValidationError';
  constructor(readonly problems: BundleProblem[]) {
    super(
      `The station bundle is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
        problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ') +
        (problems.length > 5 ? '; …' : ''),
    );
  }
}

// ajv-formats is CommonJS whose typings describe an ESM default export; require() gets the function as it is.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv2020, formats: string[]) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv, ['email']);
// A date is a day that exists (PostgreSQL has no year 0, and no 2024-02-30).
ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
const checkShape = ajv.compile<StationBundle>(stationBundleSchema);

/** "/clocks/3/elements/1" → "$.clocks[3].elements[1]" */
export function pointerToJsonPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
      .join('')
  );
}

function describeSchemaError(error: ErrorObject): BundleProblem {
  const path = pointerToJsonPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: `${path}.${String(error.params.additionalProperty)}`, message: 'is not a known field' };
    case 'required':
      return { path: `${path}.${String(error.params.missingProperty)}`, message: 'is required' };
    case 'enum':
      return { path, message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}

/** Drops ajv's "must match a schema in anyOf/oneOf" noise when a more specific error covers the same spot. */
function schemaProblems(errors: ErrorObject[]): BundleProblem[] {
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const chosen = errors.filter((e) => {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') return true;
    return !specific.some((s) => s.instancePath.startsWith(e.instancePath) && s.instancePath !== e.instancePath);
  });
  const seen = new Set<string>();
  return chosen.map(describeSchemaError).filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An element's start kind as the bundle means it: `kind` when given, else hard for a live programme, soft for the rest. */
export function bundleStartKind(e: BundleClockElement): StartKind | null {
  return e.start ? (e.start.kind ?? (e.type === 'LIVE' ? 'hard' : 'soft')) : null;
}

export function clockName(clock: BundleClock): string {
  return clock.name ?? clock.hour ?? '';
}

/** Returns the bundle typed when it is valid; throws BundleValidationError naming every problem otherwise. */
export function validateStationBundle(input: unknown): StationBundle {
  if (!checkShape(input)) throw new BundleValidationError(schemaProblems(checkShape.errors ?? []));
  const bundle = input;
  const problems: BundleProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  if (!IANAZone.isValidZone(bundle.station.timezone)) problem('$.station.timezone', `"${bundle.station.timezone}" is not an IANA timezone`);

  // Keys that must be unique, and the sets later references resolve against.
  const unique = <T>(items: T[] | undefined, key: (item: T) => string, path: string, what: string): Set<string> => {
    const seen = new Set<string>();
    (items ?? []).forEach((item, index) => {
      const value = key(item);
      if (seen.has(value)) problem(`${path}[${index}]`, `${what} "${value}" appears more than once`);
      seen.add(value);
    });
    return seen;
  };
  const categories = unique(bundle.categories, (c) => c.code, '$.categories', 'category code');
  const dayparts = unique(bundle.dayparts, (d) => d.name, '$.dayparts', 'daypart name');
  const ruleSets = unique(bundle.ruleSets, (r) => r.name, '$.ruleSets', 'rule set name');
  const clocks = unique(bundle.clocks, clockName, '$.clocks', 'clock name');
  const trackRefs = unique(bundle.library, (t) => t.ref, '$.library', 'track ref');
  const advertisers = unique(bundle.advertisers, (a) => a.name, '$.advertisers', 'advertiser name');
  unique(bundle.campaigns, (c) => `${c.advertiser} / ${c.name}`, '$.campaigns', 'campaign');
  const trackTypes = new Map((bundle.library ?? []).map((t) => [t.ref, t.type]));

  const mustResolve = (set: Set<string>, value: string | undefined, path: string, what: string) => {
    if (value !== undefined && !set.has(value)) problem(path, `no ${what} named "${value}" in this bundle`);
  };
  const range = (r: { min?: number; max?: number } | undefined, path: string) => {
    if (r?.min !== undefined && r.max !== undefined && r.min > r.max) problem(path, `min (${r.min}) is greater than max (${r.max})`);
  };
  const dateOrder = (start: string | undefined, end: string | undefined, path: string) => {
    if (start && end && end < start) problem(path, `ends (${end}) before it starts (${start})`);
  };
  const validDate = (value: string | undefined, path: string) => {
    if (value && !DateTime.fromISO(value).isValid) problem(path, `"${value}" is not a calendar date`);
  };

  bundle.dayparts?.forEach((d, i) => {
    if (timeOfDayToMinutes(d.start) === timeOfDayToMinutes(d.end) % 1440) problem(`$.dayparts[${i}].end`, 'a daypart cannot start and end at the same time');
  });

  bundle.ruleSets?.forEach((r, i) => {
    range(r.bpm, `$.ruleSets[${i}].bpm`);
    range(r.energy, `$.ruleSets[${i}].energy`);
    r.dayparts?.forEach((d, j) => mustResolve(dayparts, d, `$.ruleSets[${i}].dayparts[${j}]`, 'daypart'));
  });

  bundle.clocks?.forEach((c, i) => {
    mustResolve(dayparts, c.daypart, `$.clocks[${i}].daypart`, 'daypart');
    c.elements.forEach((e, j) => {
      const at = `$.clocks[${i}].elements[${j}]`;
      mustResolve(categories, e.category, `${at}.category`, 'category');
      mustResolve(ruleSets, e.ruleSet, `${at}.ruleSet`, 'rule set');
      mustResolve(trackRefs, e.track, `${at}.track`, 'track');
      if (e.ruleSet && e.type !== 'MUS') problem(`${at}.ruleSet`, `only MUS elements take a music rule set (this one is ${e.type})`);
      if (e.track && trackTypes.has(e.track) && trackTypes.get(e.track) !== e.type) {
        problem(`${at}.track`, `"${e.track}" is a ${trackTypes.get(e.track)} track, the element is ${e.type}`);
      }
    });
    // Live programmes: source, hard start, a length within the hour, nothing timed inside them.
    const shapes = c.elements.map((e) => ({
      type: e.type,
      count: e.count ?? 1,
      liveSource: e.source ?? null,
      targetLengthMs: e.length === undefined ? null : durationToMs(e.length),
      startOffsetMs: e.start ? timeOfDayToMinutes(e.start.at) * 1000 : null,
      startKind: bundleStartKind(e),
      names: { track: e.track !== undefined, category: e.category !== undefined, ruleSet: e.ruleSet !== undefined, fallback: e.fallback !== undefined },
    }));
    for (const p of clockElementProblems(shapes)) problem(`$.clocks[${i}].elements[${p.index}].${p.field}`, p.message);
  });

  bundle.grid?.weekly?.forEach((w, i) => mustResolve(clocks, w.clock, `$.grid.weekly[${i}].clock`, 'clock'));
  bundle.grid?.overrides?.forEach((o, i) => {
    validDate(o.date, `$.grid.overrides[${i}].date`);
    mustResolve(clocks, o.clock, `$.grid.overrides[${i}].clock`, 'clock');
  });

  bundle.library?.forEach((t, i) => {
    const at = `$.library[${i}]`;
    const length = durationToMs(t.length);
    if (length <= 0) problem(`${at}.length`, 'a track must have a length');
    const cueIn = t.cueIn === undefined ? 0 : durationToMs(t.cueIn);
    const cueOut = t.cueOut === undefined ? length : durationToMs(t.cueOut);
    if (cueOut > length) problem(`${at}.cueOut`, 'cue out is after the end of the track');
    if (cueIn >= cueOut) problem(`${at}.cueIn`, 'cue in must come before cue out');
    if (t.composer !== undefined && t.writers !== undefined) problem(`${at}.composer`, 'give the writers as `writers` or (in an older bundle) `composer`, not both');
    if (t.publisher !== undefined && t.publishers !== undefined) problem(`${at}.publisher`, 'give the publishers as `publishers` or (in an older bundle) `publisher`, not both');
    const iswc = t.iswc === undefined ? undefined : checkIswc(t.iswc);
    if (iswc && !iswc.ok) problem(`${at}.iswc`, iswc.problem);
    const upc = t.upc === undefined ? undefined : checkUpc(t.upc);
    if (upc && !upc.ok) problem(`${at}.upc`, upc.problem);
    t.categories?.forEach((c, j) => mustResolve(categories, c, `${at}.categories[${j}]`, 'category'));
    t.dayparts?.forEach((d, j) => mustResolve(dayparts, d, `${at}.dayparts[${j}]`, 'daypart'));
  });

  bundle.advertisers?.forEach((a, i) => mustResolve(categories, a.category, `$.advertisers[${i}].category`, 'category'));

  bundle.campaigns?.forEach((c, i) => {
    const at = `$.campaigns[${i}]`;
    mustResolve(advertisers, c.advertiser, `${at}.advertiser`, 'advertiser');
    mustResolve(categories, c.category, `${at}.category`, 'category');
    validDate(c.start, `${at}.start`);
    validDate(c.end, `${at}.end`);
    dateOrder(c.start, c.end, `${at}.end`);
    c.dayparts?.forEach((d, j) => mustResolve(dayparts, d, `${at}.dayparts[${j}]`, 'daypart'));
    c.copy.forEach((copy, j) => {
      mustResolve(trackRefs, copy.track, `${at}.copy[${j}].track`, 'track');
      const type = trackTypes.get(copy.track);
      if (type && type !== 'ADV') problem(`${at}.copy[${j}].track`, `copy must be an ADV track; "${copy.track}" is ${type}`);
      dateOrder(copy.start, copy.end, `${at}.copy[${j}].end`);
      const code = copy.isci === undefined ? undefined : checkSpotCode(copy.isci);
      if (code && !code.ok) problem(`${at}.copy[${j}].isci`, code.problem);
    });
    if (c.agencyCommission !== undefined) {
      if (Math.abs(c.agencyCommission * 100 - Math.round(c.agencyCommission * 100)) > 1e-6) problem(`${at}.agencyCommission`, 'a commission is a percent to the hundredth');
      else if (c.agencyCommission > 0 && c.agency === undefined) problem(`${at}.agencyCommission`, 'a commission is paid to an agency: name the agency, or leave the commission out');
    }
  });

  if (problems.length > 0) throw new BundleValidationError(problems);
  return bundle;
}
