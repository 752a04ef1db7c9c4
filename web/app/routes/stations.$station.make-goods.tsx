// Make-goods: the spots the station owes its advertisers, by advertiser and campaign. Each says
// in the station's words which spot it makes good ("the 07:20 MST spot of Tue 1 Dec"), where it
// was placed and when it expires (warned when that is close). Traffic (and admin) waive an owed
// one with a reason, confirmed, or ask for it on a day between today and when it expires and/or
// in a daypart. A make-good for an order left short says which week of the flight it was short in.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { DateTime } from 'luxon';
import { isCalendarDate } from '../../../domain/calendar-date.js';
import { MAKE_GOOD_STATUSES, type MakeGoodStatus } from '../../../domain/vocabulary.js';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, type FieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Make-goods · LibreLog' }];

interface MakeGood {
  id: string;
  status: MakeGoodStatus;
  reason: string;
  campaign: { id: string; name: string };
  advertiser: { id: string; name: string };
  original: { entryId: string; date: string; startsAt: string; title: string } | null;
  scheduled: { entryId: string; date: string; startsAt: string } | null;
  wantedOn: string | null;
  wantedDaypart: { id: string; name: string } | null;
  shortWeek: { startsOn: string; endsOn: string } | null;
  waivedReason: string | null;
  expiresOn: string;
  createdAt: string;
  updatedAt: string;
}

interface Station {
  slug: string;
  name: string;
  timezone: string;
}

/** The statuses to show: the open ones unless asked otherwise. */
const SHOWN: { value: string; label: string; statuses: readonly MakeGoodStatus[] }[] = [
  { value: '', label: 'Owed and scheduled', statuses: ['owed', 'scheduled'] },
  { value: 'owed', label: 'Owed', statuses: ['owed'] },
  { value: 'scheduled', label: 'Scheduled', statuses: ['scheduled'] },
  { value: 'aired', label: 'Aired', statuses: ['aired'] },
  { value: 'waived', label: 'Waived', statuses: ['waived'] },
  { value: 'expired', label: 'Expired', statuses: ['expired'] },
  { value: 'all', label: 'All', statuses: MAKE_GOOD_STATUSES },
];

const STATUS_LABELS: Record<MakeGoodStatus, string> = { owed: 'Owed', scheduled: 'Scheduled', aired: 'Aired', waived: 'Waived', expired: 'Expired' };
const REASONS: Record<string, string> = { missed: 'did not air as ordered', preempted: 'preempted or bumped' };
/** An expiry this many days away, or closer, is warned about. */
const WARN_DAYS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 'YYYY-MM-DD' as "Tue 1 Dec", with the year when it is not this year at the station. */
function dayWords(date: string, thisYear: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).formatToParts(new Date(`${date}T12:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return [part('weekday'), part('day'), part('month'), ...(date.slice(0, 4) === thisYear ? [] : [date.slice(0, 4)])].join(' ');
}

/** An instant as the station's clock with its zone marked, "07:20 MST". */
function timeWords(iso: string, timezone: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${time} ${zone}` : time;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** One make-good in the station's words, as the page shows it. */
function describe(m: MakeGood, station: Station, today: string) {
  const year = today.slice(0, 4);
  const day = (date: string) => dayWords(date, year);
  const makesGood = m.original
    ? `the ${timeWords(m.original.startsAt, station.timezone)} spot of ${day(m.original.date)}`
    : m.shortWeek
      ? `a spot its order was left short of in the week ${day(m.shortWeek.startsOn)} – ${day(m.shortWeek.endsOn)}`
      : 'a spot its order was left short of';
  const wanted = [m.wantedOn ? `on ${day(m.wantedOn)}` : null, m.wantedDaypart ? `in ${m.wantedDaypart.name}` : null].filter(Boolean).join(' ');
  const placedAt = m.scheduled ? `${timeWords(m.scheduled.startsAt, station.timezone)} on ${day(m.scheduled.date)}` : null;
  const placed =
    m.status === 'scheduled' && placedAt
      ? `Placed at ${placedAt}`
      : m.status === 'aired'
        ? placedAt
          ? `Aired at ${placedAt}`
          : 'Aired'
        : m.status === 'waived'
          ? `Waived${m.waivedReason ? `: “${m.waivedReason}”` : ''}`
          : m.status === 'expired'
            ? 'Expired without airing'
            : wanted
              ? `Not placed yet; wanted ${wanted}`
              : 'Not placed yet; the next log built takes it';
  const open = m.status === 'owed' || m.status === 'scheduled';
  const left = daysBetween(today, m.expiresOn);
  const warning = !open ? null : left < 0 ? 'past its last day' : left === 0 ? 'expires after today' : left === 1 ? 'expires after tomorrow' : left <= WARN_DAYS ? `expires in ${left} days` : null;
  return {
    id: m.id,
    status: m.status,
    statusLabel: STATUS_LABELS[m.status] ?? m.status,
    makesGood,
    title: m.original?.title ?? null,
    why: REASONS[m.reason] ?? m.reason,
    placed,
    placedLog: m.scheduled && (m.status === 'scheduled' || m.status === 'aired') ? m.scheduled.date : null,
    lastDay: day(m.expiresOn),
    expiresOn: m.expiresOn,
    warning,
    wantedOn: m.wantedOn,
    wantedDaypartId: m.wantedDaypart?.id ?? null,
    changeable: m.status === 'owed',
  };
}
type Row = ReturnType<typeof describe>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const url = new URL(request.url);
  const asked = { status: url.searchParams.get('status')?.trim() ?? '', advertiser: url.searchParams.get('advertiser')?.trim() ?? '' };
  const problems: Partial<Record<'status' | 'advertiser', string>> = {};
  const shown = SHOWN.find((s) => s.value === asked.status);
  if (!shown) problems.status = 'Choose which make-goods to show from the list.';
  if (asked.advertiser && !UUID.test(asked.advertiser)) problems.advertiser = 'Choose an advertiser from the list.';

  const query = new URLSearchParams();
  if (asked.advertiser && !problems.advertiser) query.set('advertiser', asked.advertiser);
  const statuses = (shown ?? SHOWN[0]!).statuses;
  if (statuses.length === 1) query.set('status', statuses[0]!);
  const [station, advertisers, dayparts, makeGoods, roles] = await Promise.all([
    api<Station>(request, `/stations/${slug}`),
    api<{ id: string; name: string }[]>(request, `/stations/${slug}/advertisers`),
    api<{ id: string; name: string }[]>(request, `/stations/${slug}/dayparts`),
    api<MakeGood[]>(request, `/stations/${slug}/make-goods${query.size ? `?${query.toString()}` : ''}`),
    rolesAt(request, params.station),
  ]);
  if (asked.advertiser && !problems.advertiser && !advertisers.some((a) => a.id === asked.advertiser)) problems.advertiser = 'Choose an advertiser from the list.';
  const today = DateTime.now().setZone(station.timezone).toISODate()!;

  // By advertiser, then campaign (both by name), then the spot each makes good (oldest first).
  const groups: { advertiser: { id: string; name: string }; campaigns: { campaign: { id: string; name: string }; makeGoods: Row[] }[] }[] = [];
  const sorted = makeGoods
    .filter((m) => statuses.includes(m.status))
    .sort(
      (a, b) =>
        a.advertiser.name.localeCompare(b.advertiser.name) ||
        a.campaign.name.localeCompare(b.campaign.name) ||
        (a.original?.startsAt ?? a.createdAt).localeCompare(b.original?.startsAt ?? b.createdAt) ||
        a.id.localeCompare(b.id),
    );
  for (const m of sorted) {
    let group = groups.at(-1);
    if (group?.advertiser.id !== m.advertiser.id) groups.push((group = { advertiser: m.advertiser, campaigns: [] }));
    let campaign = group.campaigns.at(-1);
    if (campaign?.campaign.id !== m.campaign.id) group.campaigns.push((campaign = { campaign: m.campaign, makeGoods: [] }));
    campaign.makeGoods.push(describe(m, station, today));
  }

  return {
    station: { slug: station.slug, name: station.name, timezone: station.timezone },
    today,
    filters: asked,
    problems,
    advertisers: [...advertisers].sort((a, b) => a.name.localeCompare(b.name)).map(({ id, name }) => ({ id, name })),
    dayparts: dayparts.map(({ id, name }) => ({ id, name })),
    groups,
    count: sorted.length,
    mayChange: mayAny(roles, ['traffic']),
  };
}

type Intent = 'waive' | 'schedule' | 'clear';
interface ActionResult {
  id: string;
  intent: Intent | '';
  ok: boolean;
  message: string;
  errors: FieldErrors;
  values: { reason?: string; wantedOn?: string; daypart?: string } | null;
}

/** The API's words for a field, as a sentence next to it. */
function fieldSentence(field: string, message: string): string {
  const said = message.replace(/\.$/, '');
  if (field === 'wantedOn' && /^must\b/.test(said)) return `The day ${said}.`;
  if (field === 'wantedDaypartId' && /^must\b/.test(said)) return `The daypart ${said}.`;
  if (field === 'reason' && /^must\b/.test(said)) return `The reason ${said}.`;
  return `${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
}

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const form = await request.formData();
  const id = text(form, 'makeGoodId');
  const asked = text(form, 'intent');
  const intent: Intent | '' = asked === 'waive' || asked === 'schedule' || asked === 'clear' ? asked : '';
  const values = { reason: text(form, 'reason'), wantedOn: text(form, 'wantedOn').trim(), daypart: text(form, 'daypart').trim() };
  const refuse = (errors: FieldErrors, message: string): ActionResult => ({ id, intent, ok: false, message, errors, values });
  if (!UUID.test(id)) return refuse({}, 'Choose a make-good from the list.');

  let body: { status: 'waived'; reason: string } | { wantedOn: string | null; wantedDaypartId: string | null };
  if (intent === 'waive') {
    const reason = values.reason.trim();
    const errors: FieldErrors = {};
    if (reason.length < 3) errors.reason = 'Say why it is waived (at least 3 characters): the advertiser will ask.';
    else if (reason.length > 500) errors.reason = 'Keep the reason to 500 characters.';
    if (text(form, 'confirm') !== 'yes') errors.confirm = 'Tick the box to confirm: a waived make-good never airs.';
    if (Object.keys(errors).length) return refuse(errors, 'Not waived.');
    body = { status: 'waived', reason };
  } else if (intent === 'schedule') {
    if (!values.wantedOn && !values.daypart) return refuse({ wantedOn: 'Choose a day or a daypart, or clear what was asked for.' }, 'Nothing asked for.');
    if (values.wantedOn && !isCalendarDate(values.wantedOn)) return refuse({ wantedOn: 'A date, YYYY-MM-DD.' }, 'Nothing asked for.');
    if (values.daypart && !UUID.test(values.daypart)) return refuse({ wantedDaypartId: 'Choose a daypart from the list.' }, 'Nothing asked for.');
    body = { wantedOn: values.wantedOn || null, wantedDaypartId: values.daypart || null };
  } else if (intent === 'clear') {
    body = { wantedOn: null, wantedDaypartId: null };
  } else return refuse({}, `Unknown action “${asked}”.`);

  const slug = encodeURIComponent(String(params.station));
  try {
    const changed = await api<MakeGood>(request, `/stations/${slug}/make-goods/${encodeURIComponent(id)}`, { method: 'PATCH', body });
    const station = await api<Station>(request, `/stations/${slug}`);
    const today = DateTime.now().setZone(station.timezone).toISODate()!;
    const what = `${changed.advertiser.name}’s make-good of ${describe(changed, station, today).makesGood}`;
    const message =
      intent === 'waive'
        ? `Waived ${what}: it will not air.`
        : intent === 'schedule'
          ? `Asked for ${what}${values.wantedOn ? ` on ${dayWords(values.wantedOn, today.slice(0, 4))}` : ''}${changed.wantedDaypart ? ` in ${changed.wantedDaypart.name}` : ''}: ${values.wantedOn ? 'that day’s log places it first' : 'the next log with room there places it'}.`
          : `${what.charAt(0).toUpperCase()}${what.slice(1)} goes in the next log built.`;
    return { id, intent, ok: true, message, errors: {}, values: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { problem } = error;
    const errors = Object.fromEntries(Object.entries(fieldErrors(problem)).map(([field, message]) => [field, fieldSentence(field, message)]));
    const said = (problem.detail ?? problem.title).replace(/\.$/, '');
    const detail = `${said.charAt(0).toLowerCase()}${said.slice(1)}`;
    const message =
      problem.status === 409
        ? `Not changed: ${detail}.`
        : problem.status === 403
          ? 'Not changed: only traffic or an admin at this station may change make-goods.'
          : problem.status === 404
            ? 'Not changed: that make-good is not at this station any more.'
            : `Not changed: ${detail}.`;
    return refuse(errors, message);
  }
}

function ScheduleForm({ row, today, result }: { row: Row; today: string; result: ActionResult | undefined }) {
  const { dayparts } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== 'idle';
  const mine = result && result.id === row.id && (result.intent === 'schedule' || result.intent === 'clear') && !result.ok ? result : undefined;
  return (
    <Form method="post" noValidate className="mg-schedule" aria-label={`Ask for the make-good of ${row.makesGood} on a day or in a daypart`}>
      <input type="hidden" name="makeGoodId" value={row.id} />
      <Field name={`${row.id}-wantedOn`} label="Day to air it" error={mine?.errors.wantedOn} hint={`Today (${today}) to its last day (${row.expiresOn}).`}>
        {(attrs) => <input {...attrs} name="wantedOn" type="date" min={today} max={row.expiresOn} defaultValue={mine?.values?.wantedOn ?? row.wantedOn ?? ''} />}
      </Field>
      <Field name={`${row.id}-daypart`} label="Daypart" error={mine?.errors.wantedDaypartId} hint="It airs only in this daypart’s hours, or stays owed.">
        {(attrs) => (
          <select {...attrs} name="daypart" defaultValue={mine?.values?.daypart ?? row.wantedDaypartId ?? ''}>
            <option value="">Any time its campaign may air</option>
            {dayparts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="mg-buttons">
        <button type="submit" name="intent" value="schedule" disabled={busy}>
          Ask for it
        </button>
        {row.wantedOn || row.wantedDaypartId ? (
          <button type="submit" name="intent" value="clear" className="secondary" disabled={busy}>
            Clear what was asked
          </button>
        ) : null}
      </div>
    </Form>
  );
}

function WaiveForm({ row, result }: { row: Row; result: ActionResult | undefined }) {
  const busy = useNavigation().state !== 'idle';
  const mine = result && result.id === row.id && result.intent === 'waive' && !result.ok ? result : undefined;
  const confirmId = `field-${row.id}-confirm`;
  return (
    <details className="mg-waive" open={Boolean(mine)}>
      <summary>Waive…</summary>
      <Form method="post" noValidate aria-label={`Waive the make-good of ${row.makesGood}`}>
        <input type="hidden" name="makeGoodId" value={row.id} />
        <Field name={`${row.id}-reason`} label="Why it is waived" error={mine?.errors.reason} hint="Kept with the make-good, e.g. “credited on the December invoice”.">
          {(attrs) => <textarea {...attrs} name="reason" rows={2} maxLength={500} defaultValue={mine?.values?.reason ?? ''} />}
        </Field>
        <div className="field">
          <label className="check">
            <input type="checkbox" name="confirm" value="yes" aria-invalid={Boolean(mine?.errors.confirm)} aria-describedby={mine?.errors.confirm ? `${confirmId}-error` : undefined} /> Waive it: this
            make-good will never air
          </label>
          {mine?.errors.confirm ? (
            <p id={`${confirmId}-error`} className="field-error">
              {mine.errors.confirm}
            </p>
          ) : null}
        </div>
        <button type="submit" name="intent" value="waive" className="danger" disabled={busy}>
          Waive make-good
        </button>
      </Form>
    </details>
  );
}

function Filters() {
  const { filters, problems, advertisers } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== 'idle';
  const field = (name: keyof typeof problems) => ({ id: `filter-${name}`, name, 'aria-invalid': Boolean(problems[name]), 'aria-describedby': problems[name] ? `filter-${name}-error` : undefined });
  const error = (name: keyof typeof problems) =>
    problems[name] ? (
      <p id={`filter-${name}-error`} className="field-error">
        {problems[name]}
      </p>
    ) : null;
  return (
    <Form method="get" className="filters" role="search" aria-label="Filter the make-goods">
      <div className="field">
        <label htmlFor="filter-status">Show</label>
        <select {...field('status')} defaultValue={filters.status}>
          {SHOWN.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        {error('status')}
      </div>
      <div className="field">
        <label htmlFor="filter-advertiser">Advertiser</label>
        <select {...field('advertiser')} defaultValue={filters.advertiser}>
          <option value="">Every advertiser</option>
          {advertisers.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        {error('advertiser')}
      </div>
      <button type="submit" className="secondary" disabled={busy}>
        Show
      </button>
    </Form>
  );
}

export default function MakeGoods() {
  const { station, today, groups, count, filters, mayChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const loading = useNavigation().state === 'loading';
  const rowIds = new Set(groups.flatMap((g) => g.campaigns.flatMap((c) => c.makeGoods.map((m) => m.id))));
  // A change's outcome is said at the top when it succeeded (the row may leave the list) or its row is not shown.
  const atTop = result && (result.ok || !rowIds.has(result.id)) ? result : undefined;
  const filtered = filters.status !== '' || filters.advertiser !== '';
  return (
    <>
      <h1>Make-goods</h1>
      <p className="muted">
        Spots {station.name} owes its advertisers for spots that did not air as ordered. Times are the station’s ({station.timezone.replace(/_/g, ' ')}); a make-good may air until the end of its last
        day.
      </p>
      <Filters />
      {atTop ? (
        <p className={atTop.ok ? 'notice' : 'problem'} role={atTop.ok ? 'status' : 'alert'}>
          {atTop.message}
        </p>
      ) : null}
      {count === 0 ? (
        <p className="empty">{filtered ? 'No make-goods match these filters.' : 'Nothing owed: no make-goods are owed or scheduled.'}</p>
      ) : (
        <div className="make-goods" aria-busy={loading}>
          <p className="muted">
            {count} make-good{count === 1 ? '' : 's'}
          </p>
          {groups.map((g) => (
            <section key={g.advertiser.id} className="mg-advertiser" aria-labelledby={`mg-advertiser-${g.advertiser.id}`}>
              <h2 id={`mg-advertiser-${g.advertiser.id}`}>{g.advertiser.name}</h2>
              {g.campaigns.map((c) => (
                <section key={c.campaign.id} className="mg-campaign" aria-labelledby={`mg-campaign-${c.campaign.id}`}>
                  <h3 id={`mg-campaign-${c.campaign.id}`}>
                    <Link to={`/stations/${station.slug}/campaigns/${c.campaign.id}`}>{c.campaign.name}</Link>{' '}
                    <span className="muted">
                      ({c.makeGoods.length} make-good{c.makeGoods.length === 1 ? '' : 's'})
                    </span>
                  </h3>
                  <ul className="mg-list">
                    {c.makeGoods.map((m) => {
                      // Problems with a field are said next to it; the others here.
                      const problem = result && !result.ok && result.id === m.id && Object.keys(result.errors).length === 0 ? result : undefined;
                      return (
                        <li key={m.id} className={`mg mg-${m.status}`} data-testid={`make-good-${m.id}`}>
                          <p className="mg-what">
                            <span className={`mg-status mg-status-${m.status}`}>{m.statusLabel}</span> Makes good <strong>{m.makesGood}</strong>
                            {m.title ? <span className="muted"> · {m.title}</span> : null} <span className="muted">({m.why})</span>
                          </p>
                          <p className="mg-placed">
                            {m.placed}
                            {m.placedLog ? (
                              <>
                                {' '}
                                · <Link to={`/stations/${station.slug}/logs/${m.placedLog}`}>the log of {m.placedLog}</Link>
                              </>
                            ) : null}
                          </p>
                          <p className={m.warning ? 'mg-expires mg-expires-soon' : 'mg-expires'}>
                            Last day to air: {m.lastDay}
                            {m.warning ? <strong> — {m.warning}</strong> : null}
                          </p>
                          {problem ? (
                            <p className="problem" role="alert">
                              {problem.message}
                            </p>
                          ) : null}
                          {mayChange && m.changeable ? (
                            <div className="mg-actions">
                              <ScheduleForm row={m} today={today} result={result} />
                              <WaiveForm row={m} result={result} />
                            </div>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </section>
              ))}
            </section>
          ))}
        </div>
      )}
    </>
  );
}

/** The page's own error, under the station's navigation. */
export function ErrorBoundary() {
  const error = useRouteError();
  const said = isRouteErrorResponse(error) && typeof error.data === 'string' && error.data ? error.data : null;
  return (
    <section className="error-panel" role="alert">
      <h1>Make-goods</h1>
      <p>{isRouteErrorResponse(error) && error.status === 404 ? (said ?? 'There is no such station.') : isRouteErrorResponse(error) && error.status === 403 ? (said ?? 'Your role may not see make-goods here.') : 'LibreLog could not list the make-goods. Check that the API is running, then try again in a moment.'}</p>
      <p>
        <Link to="/">Back to the stations</Link>
      </p>
    </section>
  );
}
