// A day's as-run for stations whose playout LibreLog cannot ask (docs/reconciliation.md): upload
// the as-run file (a LibreLog as-run CSV or a Rivendell export), or sign the day — or hours of it
// — as aired as logged, saying for each spot that did not what became of it: did not run,
// another ran in its place, or ran at another time. Either way the day's run reconciles again at once. Traffic (and admin) only; the page says what the API read and what it could not.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { DateTime } from 'luxon';
import { isCalendarDate } from '../../../domain/calendar-date.js';
import type { DayReport } from '../../../domain/reconciliation/report.js';
import { Field } from '../components/field.js';
import { api, ApiError, apiSendFile } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'As-run · LibreLog' }];

interface ImportResult {
  format: string;
  plays: number;
  added: number;
  problems: { line: number | null; column: string | null; message: string }[];
  reconciling: boolean;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const station = await api<{ timezone: string; name: string }>(request, `/stations/${slug}`);
  // (The zone goes to the form: a spot moved to 14:05 is 14:05 at the station.)
  const asked = new URL(request.url).searchParams.get('date') ?? '';
  const date = isCalendarDate(asked) ? asked : DateTime.now().setZone(station.timezone).minus({ days: 1 }).toISODate()!;
  const mayImport = mayAny(await rolesAt(request, params.station), ['traffic']);
  // The day as reconciliation sees it: its state and its spots (to tick the ones that did not run).
  const report = await api<DayReport>(request, `/stations/${slug}/logs/${date}/reconciliation`).catch((error: unknown) => {
    if (error instanceof Response && error.status === 404) return null;
    throw error;
  });
  const spots = (report?.entries ?? []).filter((e) => e.type === 'ADV').map((e) => ({ id: e.entryId, at: e.scheduledTime, title: e.title, outcome: e.outcome }));
  return { date, stationName: station.name, timezone: station.timezone, mayImport, built: report !== null, state: report?.state ?? null, spots };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const date = text(form, 'date');
  const base = `/stations/${encodeURIComponent(String(params.station))}/logs/${encodeURIComponent(date)}`;
  try {
    if (text(form, 'intent') === 'upload') {
      const file = form.get('file');
      if (!(file instanceof Blob) || file.size === 0) return { ok: false as const, message: 'Choose the as-run file to upload.', problems: [] as ImportResult['problems'] };
      const name = 'name' in file && typeof file.name === 'string' ? file.name : '';
      const result = await apiSendFile<ImportResult>(request, `${base}/as-run${name ? `?fileName=${encodeURIComponent(name)}` : ''}`, await file.text(), 'text/csv');
      return { ok: true as const, message: `Read ${result.plays} play(s) from the file, ${result.added} new${result.reconciling ? '; the day is being reconciled again' : ''}.`, problems: result.problems };
    }
    const hours = text(form, 'hours')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const read = exceptionsOf(form, date, text(form, 'timezone'));
    if (read.problems.length) return { ok: false as const, message: 'Some spots need a word more: nothing was signed.', problems: read.problems };
    const { exceptions } = read;
    const result = await api<ImportResult>(request, `${base}/confirmation`, {
      method: 'POST',
      body: { ...(hours.length && { hours }), exceptions },
    });
    const count = (kind: string) => exceptions.filter((x) => x.kind === kind).length;
    const said = [`${count('missed')} spot(s) did not run`, ...(count('substituted') ? [`${count('substituted')} replaced by another`] : []), ...(count('moved') ? [`${count('moved')} ran at another time`] : [])].join(', ');
    return { ok: true as const, message: `Signed: ${result.plays} entr${result.plays === 1 ? 'y' : 'ies'} aired as logged, ${said}${result.reconciling ? '; the day is being reconciled again' : ''}.`, problems: [] as ImportResult['problems'] };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { ok: false as const, message: error.problem.detail ?? error.problem.title, problems: (error.problem.errors ?? []).map((e) => ({ line: null, column: e.path, message: e.message })) };
  }
}

type SignedException = { entryId: string; kind: 'missed' } | { entryId: string; kind: 'substituted'; playedInstead: string } | { entryId: string; kind: 'moved'; airedAt: string };

/**
 * The spots' exceptions as the form says them: `outcome:<entry>` is `missed`, `substituted`
 * (with `instead:<entry>`, what ran in its place) or `moved` (with `at:<entry>`, HH:MM at the
 * station on the day — the day's early hours after midnight belong to the next date). The
 * old form's `missed` checkboxes still count.
 */
function exceptionsOf(form: FormData, date: string, timezone: string): { exceptions: SignedException[]; problems: ImportResult['problems'] } {
  const exceptions: SignedException[] = [];
  const problems: ImportResult['problems'] = [];
  for (const entryId of form.getAll('missed')) if (typeof entryId === 'string') exceptions.push({ entryId, kind: 'missed' });
  for (const [key, value] of form.entries()) {
    if (!key.startsWith('outcome:') || typeof value !== 'string') continue;
    const entryId = key.slice('outcome:'.length);
    if (value === 'missed') exceptions.push({ entryId, kind: 'missed' });
    else if (value === 'substituted') {
      const instead = text(form, `instead:${entryId}`).trim();
      if (!instead) problems.push({ line: null, column: `instead:${entryId}`, message: 'Say what ran in its place (its title).' });
      else exceptions.push({ entryId, kind: 'substituted', playedInstead: instead.slice(0, 300) });
    } else if (value === 'moved') {
      const at = text(form, `at:${entryId}`).trim();
      const time = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(at);
      const when = time && timezone ? DateTime.fromISO(`${date}T${time[1]}:${time[2]}:${time[3] ?? '00'}`, { zone: timezone }) : null;
      if (!when?.isValid) problems.push({ line: null, column: `at:${entryId}`, message: 'Say when it ran, HH:MM at the station.' });
      else exceptions.push({ entryId, kind: 'moved', airedAt: when.toUTC().toISO()! });
    }
  }
  return { exceptions, problems };
}

export default function AsRun() {
  const { date, stationName, timezone, mayImport, built, state, spots } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <>
      <h1>As-run of {date}</h1>
      <Form method="get" className="filters">
        <Field name="as-run-date" label="Broadcast day">
          {(attrs) => <input {...attrs} name="date" type="date" defaultValue={date} />}
        </Field>
        <button type="submit">Show</button>
      </Form>
      {!built ? (
        <p className="empty">The log of {date} has not been built: there is nothing to reconcile.</p>
      ) : (
        <p role="status">
          {state === 'awaiting_as_run' ? `${stationName} is waiting for this day's as-run.` : 'This day is reconciled; what you add now replaces what it found.'}{' '}
          <Link to={`../reconciliation?date=${date}`} relative="path">
            See the reconciliation
          </Link>
        </p>
      )}
      {result ? (
        <div className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          <p>{result.message}</p>
          {result.problems.length ? (
            <ul>
              {result.problems.slice(0, 20).map((p, i) => (
                <li key={i}>
                  {p.line ? `Line ${p.line}` : ''}
                  {p.column ? ` ${p.column}` : ''}: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {built && !mayImport ? <p className="notice">Importing or signing the as-run is traffic's: ask a traffic manager or the station's admin.</p> : null}
      {built && mayImport ? (
        <>
          <section aria-labelledby="upload-heading">
            <h2 id="upload-heading">Upload the as-run file</h2>
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="upload" />
              <input type="hidden" name="date" value={date} />
              <Field name="as-run-file" label="As-run file" hint="A LibreLog as-run CSV, or a Rivendell reconciliation export (SSYYYYMMDD.elr).">
                {(attrs) => <input {...attrs} name="file" type="file" accept=".csv,.elr,.txt,text/csv,text/plain" required />}
              </Field>
              <button type="submit" disabled={busy}>
                Upload
              </button>
            </Form>
          </section>
          <section aria-labelledby="sign-heading">
            <h2 id="sign-heading">Sign the day as aired as logged</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="confirm" />
              <input type="hidden" name="date" value={date} />
              <input type="hidden" name="timezone" value={timezone} />
              <Field name="as-run-hours" label="Hours (optional)" hint="Leave empty for the whole day, or list hours: 06:00, 07:00.">
                {(attrs) => <input {...attrs} name="hours" pattern="^\s*\d{2}:00(\s+[A-Z]{2,5})?(\s*,\s*\d{2}:00(\s+[A-Z]{2,5})?)*\s*$" />}
              </Field>
              {spots.length ? (
                <fieldset>
                  <legend>Spots that did not run as logged</legend>
                  <p className="muted hint">Leave a spot as logged when it ran. Otherwise say what became of it; times are the station’s.</p>
                  <ul className="spot-choices">
                    {spots.map((s) => {
                      const problem = (name: string) => result?.problems.find((p) => p.column === `${name}:${s.id}`)?.message;
                      return (
                        <li key={s.id} className="spot-exception">
                          <label htmlFor={`outcome-${s.id}`}>
                            {s.at} {s.title}
                          </label>
                          <select id={`outcome-${s.id}`} name={`outcome:${s.id}`} defaultValue="aired">
                            <option value="aired">Ran as logged</option>
                            <option value="missed">Did not run</option>
                            <option value="substituted">Another ran in its place</option>
                            <option value="moved">Ran at another time</option>
                          </select>
                          <label htmlFor={`instead-${s.id}`} className="visually-hidden">
                            What ran in place of {s.at} {s.title}
                          </label>
                          <input id={`instead-${s.id}`} name={`instead:${s.id}`} placeholder="What ran instead (its title)" maxLength={300} aria-invalid={Boolean(problem('instead'))} />
                          <label htmlFor={`at-${s.id}`} className="visually-hidden">
                            When {s.at} {s.title} ran instead
                          </label>
                          <input id={`at-${s.id}`} name={`at:${s.id}`} placeholder="HH:MM" inputMode="numeric" pattern="^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$" size={6} aria-invalid={Boolean(problem('at'))} />
                          {problem('instead') ?? problem('at') ? (
                            <span className="field-error" role="alert">
                              {problem('instead') ?? problem('at')}
                            </span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              ) : null}
              <button type="submit" disabled={busy}>
                Sign as aired as logged
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
