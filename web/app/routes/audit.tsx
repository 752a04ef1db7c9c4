// The audit log: who did what and when, sign-ins included, newest first. Owners read everything;
// a station's admin reads the entries of their stations. Filters by station, kind of action
// and period; each entry says what happened in words, when in the station's time (or the
// reader's), a short before → after, and the full record for whoever needs it.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { DateTime } from 'luxon';
import { addDays, isCalendarDate } from '../../../domain/calendar-date.js';
import { inZone, LocalTime, useReadersZone } from '../components/local-time.js';
import { api } from '../lib/api.server.js';
import { whoAmI } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Audit log · LibreLog' }];

interface AuditEntry {
  id: number;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  station: string | null;
  before: unknown;
  after: unknown;
}

/** The kinds of action to filter by: an exact action, or a prefix ending in "." (the API's rule). */
const ACTIONS: { value: string; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'auth.', label: 'Sign-ins, sign-outs and tokens' },
  { value: 'auth.sign_in_failed', label: 'Failed sign-ins' },
  { value: 'user.', label: 'People added or changed' },
  { value: 'api_client.', label: 'Trusted apps added or changed' },
  { value: 'log.', label: 'Logs built, approved, published' },
  { value: 'campaign.', label: 'Campaigns' },
  { value: 'advertiser.', label: 'Advertisers' },
  { value: 'voice_track.', label: 'Voice tracks' },
  { value: 'clock.', label: 'Clocks' },
  { value: 'grid.', label: 'The grid' },
  { value: 'track.', label: 'Library tracks' },
  { value: 'station.', label: 'Station settings and bundles' },
];

const PAGE_SIZE = 50;
const ACTION = /^[a-z_.]{1,100}$/;

function validZone(zone: string | null): string | null {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const me = await whoAmI(request);
  const readable = me.owner ? me.stations : me.stations.filter((s) => s.roles.includes('admin'));
  if (!me.owner && readable.length === 0) throw new Response('The audit log is for the install’s owners and the admins of a station.', { status: 403, statusText: 'Forbidden' });
  const timezones = new Map((await api<{ slug: string; timezone: string }[]>(request, '/stations')).map((s) => [s.slug, s.timezone]));

  const url = new URL(request.url);
  const asked = (name: string) => url.searchParams.get(name)?.trim() ?? '';
  const filters = { station: asked('station'), action: asked('action'), from: asked('from'), to: asked('to'), tz: asked('tz') };
  const problems: Partial<Record<'station' | 'action' | 'from' | 'to', string>> = {};
  const station = readable.find((s) => s.slug === filters.station);
  if (filters.station && !station) problems.station = 'Choose one of your stations.';
  if (filters.action && !ACTION.test(filters.action)) problems.action = 'Choose a kind of action from the list.';
  if (filters.from && !isCalendarDate(filters.from)) problems.from = 'A date, YYYY-MM-DD.';
  if (filters.to && !isCalendarDate(filters.to)) problems.to = 'A date, YYYY-MM-DD.';
  if (!problems.from && !problems.to && filters.from && filters.to && filters.to < filters.from) problems.to = 'The last day comes on or after the first.';

  // The period's days are the chosen station's, else the reader's (the browser says which), else UTC's.
  const zone = (station && timezones.get(station.slug)) ?? validZone(filters.tz) ?? 'UTC';
  const startOf = (date: string) => DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO()!;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (station) query.set('station', station.slug);
  if (filters.action && !problems.action) query.set('action', filters.action);
  if (filters.from && !problems.from) query.set('from', startOf(filters.from));
  if (filters.to && !problems.to && !problems.from) query.set('to', startOf(addDays(filters.to, 1)));
  const before = asked('before');
  if (/^\d{1,15}$/.test(before)) query.set('before', before);

  const page = await api<{ entries: AuditEntry[]; nextBefore: number | null }>(request, `/audit?${query.toString()}`);
  const stationNames = new Map(me.stations.map((s) => [s.slug, s.name]));
  return {
    stations: readable.map(({ slug, name }) => ({ slug, name })),
    filters,
    problems,
    zone,
    older: query.has('before'),
    nextBefore: page.nextBefore,
    entries: page.entries.map((e) => {
      const stationZone = e.station ? timezones.get(e.station) : undefined;
      return {
        id: e.id,
        at: e.at,
        // An entry of a station in that station's time; any other in the reader's (UTC until the browser says).
        when: inZone(e.at, stationZone ?? 'UTC'),
        inStationTime: Boolean(stationZone),
        who: who(e),
        what: whatHappened(e),
        station: e.station ? (stationNames.get(e.station) ?? e.station) : null,
        change: changeSummary(e.before, e.after, stationNames),
        before: e.before,
        after: e.after,
      };
    }),
  };
}

const record = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** Who did it, by name when they still exist. */
function who(e: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName'>): string {
  if (e.actorType === 'system') return 'LibreLog';
  if (e.actorType === 'anonymous') return 'Someone not signed in';
  const name = e.actorName ?? (e.actorType === 'api_client' ? 'A removed app' : 'A removed person');
  return e.actorType === 'api_client' ? `${name} (trusted app)` : name;
}

const VERBS: Record<string, string> = { create: 'added', update: 'changed', replace: 'replaced', remove: 'removed', import: 'imported', sync: 'synced', cancel: 'cancelled' };
const THINGS: Record<string, string> = {
  user: 'person',
  api_client: 'trusted app',
  advertiser: 'advertiser',
  campaign: 'campaign',
  clock: 'clock',
  grid: 'grid',
  track: 'track',
  category: 'category',
  daypart: 'daypart',
  music_rule_set: 'music rule set',
  voice_track: 'voice track',
  station: 'station',
  daily_log: 'log',
};
const SIGN_IN_FAILURES: Record<string, string> = {
  unknown_email: 'no such email',
  wrong_password: 'wrong password',
  disabled: 'account disabled',
  unknown_client: 'no such app',
  wrong_secret: 'wrong secret',
};
const SIGNED_OUT: Record<string, string> = {
  signed_out: 'signed out',
  reused: 'a sign-in was ended: its renewal token was used twice (copied or stolen)',
  password_changed: 'signed out everywhere: new password',
  disabled: 'signed out everywhere: disabled',
};

/** What happened, in words. */
function whatHappened(e: Pick<AuditEntry, 'action' | 'entity' | 'entityId' | 'before' | 'after'>): string {
  const after = record(e.after) ?? {};
  const before = record(e.before) ?? {};
  const named = str(after.name) ?? str(before.name) ?? str(after.title) ?? str(before.title);
  const day = /(\d{4}-\d{2}-\d{2})$/.exec(e.entityId ?? '')?.[1];
  const version = typeof after.version === 'number' ? ` (version ${after.version})` : '';
  const theLog = day ? `the log of ${day}` : 'a log';
  switch (e.action) {
    case 'auth.sign_in':
      return 'signed in';
    case 'auth.sign_in_failed':
      return `failed to sign in${str(after.email) ? ` as ${str(after.email)}` : ''}${SIGN_IN_FAILURES[String(after.reason)] ? ` (${SIGN_IN_FAILURES[String(after.reason)]})` : ''}`;
    case 'auth.refresh':
      return 'renewed their sign-in';
    case 'auth.token':
      return 'got an API token';
    case 'auth.token_failed':
      return `was refused an API token${SIGN_IN_FAILURES[String(after.reason)] ? ` (${SIGN_IN_FAILURES[String(after.reason)]})` : ''}`;
    case 'auth.revoke':
      return SIGNED_OUT[String(after.reason)] ?? 'sign-ins ended';
    case 'user.create':
      return `added ${named ?? 'a person'}${str(after.email) ? ` (${str(after.email)})` : ''}`;
    case 'user.update':
      return `changed ${named ?? 'a person'}${after.passwordChanged ? ': new password' : ''}`;
    case 'station_roles.update': {
      const roles = Array.isArray(after.roles) ? (after.roles as string[]) : [];
      return roles.length ? `gave ${named ?? 'someone'} the roles ${roles.join(', ')} here` : `took ${named ?? 'someone'}'s roles here away`;
    }
    case 'api_client.create':
      return `added the trusted app ${named ?? ''}`.trim();
    case 'api_client.update':
      return `changed the trusted app ${named ?? ''}`.trim();
    case 'log.build':
      return `started building ${theLog}`;
    case 'log.rebuild':
      return `asked for ${theLog} to be rebuilt${str(after.reason) ? `: “${str(after.reason)}”` : ''}`;
    case 'log.approve':
      return `approved ${theLog}${version}`;
    case 'log.publish':
      return `published ${theLog}${version}`;
    case 'station.bundle.import':
      return 'imported a station bundle';
    case 'library.sync':
      return 'started a library sync from LibreTime';
    case 'grid.replace':
      return 'changed the grid';
  }
  const verb = e.action.split('.').at(-1) ?? e.action;
  const thing = THINGS[e.entity] ?? e.entity.replace(/_/g, ' ');
  return `${VERBS[verb] ?? verb.replace(/_/g, ' ')} ${named ? `the ${thing} ${named}` : `a ${thing}`}`;
}

/** Keys that change with every change and say nothing about it. */
const QUIET = new Set(['id', 'createdAt', 'updatedAt', 'stationId', 'family', 'familyId']);

function shortOf(value: unknown, stationNames: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value.length > 40 ? `${value.slice(0, 39)}…` : value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => record(v) && typeof record(v)!.station === 'string' && Array.isArray(record(v)!.roles))) {
    return value.length ? (value as { station: string; roles: string[] }[]).map((s) => `${stationNames.get(s.station) ?? s.station}: ${s.roles.join(', ')}`).join('; ') : 'no roles';
  }
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

/** A short before → after: the fields that changed, or what a new record says (leaving out what it does not have). */
function changeSummary(before: unknown, after: unknown, stationNames: ReadonlyMap<string, string>): string {
  const shortValue = (value: unknown) => shortOf(value, stationNames);
  const b = record(before);
  const a = record(after);
  const parts: string[] = [];
  if (b && a) {
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (QUIET.has(key) || JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
      parts.push(`${key}: ${shortValue(b[key])} → ${shortValue(a[key])}`);
    }
  } else if (a || b) {
    const only = (a ?? b)!;
    const said = (value: unknown) => value !== null && value !== undefined && value !== false && value !== '' && !(Array.isArray(value) && value.length === 0);
    for (const key of Object.keys(only)) if (!QUIET.has(key) && said(only[key])) parts.push(`${key}: ${shortValue(only[key])}`);
    if (!a) parts.unshift('removed');
  } else if (before !== null || after !== null) {
    parts.push(`${shortValue(before)} → ${shortValue(after)}`);
  }
  return parts.length > 3 ? `${parts.slice(0, 3).join('; ')}; and ${parts.length - 3} more` : parts.join('; ');
}

function Filters() {
  const { stations, filters, problems, zone } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== 'idle';
  // The browser's zone, so that the dates are the reader's days when no station is chosen.
  const readersZone = useReadersZone();
  const known = ACTIONS.some((a) => a.value === filters.action);
  const field = (name: keyof typeof problems) => ({ id: `filter-${name}`, name, 'aria-invalid': Boolean(problems[name]), 'aria-describedby': problems[name] ? `filter-${name}-error` : undefined });
  const error = (name: keyof typeof problems) =>
    problems[name] ? (
      <p id={`filter-${name}-error`} className="field-error">
        {problems[name]}
      </p>
    ) : null;
  return (
    <Form method="get" className="filters" role="search" aria-label="Filter the audit log">
      <input type="hidden" name="tz" value={readersZone || filters.tz} />
      <div className="field">
        <label htmlFor="filter-station">Station</label>
        <select {...field('station')} defaultValue={filters.station}>
          <option value="">All your stations</option>
          {stations.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
        {error('station')}
      </div>
      <div className="field">
        <label htmlFor="filter-action">What</label>
        <select {...field('action')} defaultValue={filters.action}>
          {ACTIONS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
          {known ? null : <option value={filters.action}>{filters.action}</option>}
        </select>
        {error('action')}
      </div>
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input {...field('from')} type="date" defaultValue={filters.from} />
        {error('from')}
      </div>
      <div className="field">
        <label htmlFor="filter-to">To (including)</label>
        <input {...field('to')} type="date" defaultValue={filters.to} />
        {error('to')}
      </div>
      <button type="submit" className="secondary" disabled={busy}>
        Show
      </button>
      <p className="muted hint filters-zone">
        Days are the chosen station’s, else yours ({(readersZone || zone).replace(/_/g, ' ')}); “To” includes its whole day.
      </p>
    </Form>
  );
}

function FullRecord({ before, after }: { before: unknown; after: unknown }) {
  if ((before === null || before === undefined) && (after === null || after === undefined)) return null;
  return (
    <details className="full-record">
      <summary>Full record</summary>
      {before !== null && before !== undefined ? (
        <>
          <p className="record-label">Before</p>
          <pre>{JSON.stringify(before, null, 2)}</pre>
        </>
      ) : null}
      {after !== null && after !== undefined ? (
        <>
          <p className="record-label">After</p>
          <pre>{JSON.stringify(after, null, 2)}</pre>
        </>
      ) : null}
    </details>
  );
}

export default function Audit() {
  const { entries, nextBefore, older, filters } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  const keep = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">Who did what and when, sign-ins included, newest first. A station’s entries are in the station’s time; the others in yours.</p>
      <Filters />
      {entries.length === 0 ? (
        <p className="empty">{older ? 'No older entries.' : Object.keys(keep).some((k) => k !== 'tz') ? 'Nothing matches these filters.' : 'Nothing recorded yet.'}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Audit entries" tabIndex={0} aria-busy={loading}>
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Station</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid={`audit-${e.id}`}>
                  <td className="when">{e.inStationTime ? <time dateTime={e.at}>{e.when}</time> : <LocalTime iso={e.at} written={e.when} />}</td>
                  <td>{e.who}</td>
                  <td>{e.what}</td>
                  <td>{e.station ?? <span className="muted">—</span>}</td>
                  <td className="change">
                    {e.change ? <span>{e.change}</span> : null}
                    <FullRecord before={e.before} after={e.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Audit pages">
        {older ? <Link to={`?${new URLSearchParams(keep).toString()}`}>← Newest entries</Link> : null}
        {nextBefore ? <Link to={`?${new URLSearchParams({ ...keep, before: String(nextBefore) }).toString()}`}>Older entries →</Link> : null}
      </nav>
    </>
  );
}
