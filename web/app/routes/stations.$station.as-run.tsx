// A day's as-run for stations whose playout LibreLog cannot ask (docs/reconciliation.md): upload
// the as-run file (a LibreLog as-run CSV or a Rivendell export), or sign the day — or hours of it
// — as aired as logged, ticking the spots that did not run. Either way the day's run reconciles
// again at once. Traffic (and admin) only; the page says what the API read and what it could not.
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
  const asked = new URL(request.url).searchParams.get('date') ?? '';
  const date = isCalendarDate(asked) ? asked : DateTime.now().setZone(station.timezone).minus({ days: 1 }).toISODate()!;
  const mayImport = mayAny(await rolesAt(request, params.station), ['traffic']);
  // The day as reconciliation sees it: its state and its spots (to tick the ones that did not run).
  const report = await api<DayReport>(request, `/stations/${slug}/logs/${date}/reconciliation`).catch((error: unknown) => {
    if (error instanceof Response && error.status === 404) return null;
    throw error;
  });
  const spots = (report?.entries ?? []).filter((e) => e.type === 'ADV').map((e) => ({ id: e.entryId, at: e.scheduledTime, title: e.title, outcome: e.outcome }));
  return { date, stationName: station.name, mayImport, built: report !== null, state: report?.state ?? null, spots };
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
    const missed = form.getAll('missed').filter((v): v is string => typeof v === 'string');
    const result = await api<ImportResult>(request, `${base}/confirmation`, {
      method: 'POST',
      body: { ...(hours.length && { hours }), exceptions: missed.map((entryId) => ({ entryId, kind: 'missed' })) },
    });
    return { ok: true as const, message: `Signed: ${result.plays} entr${result.plays === 1 ? 'y' : 'ies'} aired as logged, ${missed.length} spot(s) did not run${result.reconciling ? '; the day is being reconciled again' : ''}.`, problems: [] as ImportResult['problems'] };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { ok: false as const, message: error.problem.detail ?? error.problem.title, problems: (error.problem.errors ?? []).map((e) => ({ line: null, column: e.path, message: e.message })) };
  }
}

export default function AsRun() {
  const { date, stationName, mayImport, built, state, spots } = useLoaderData<typeof loader>();
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
              <Field name="as-run-hours" label="Hours (optional)" hint="Leave empty for the whole day, or list hours: 06:00, 07:00.">
                {(attrs) => <input {...attrs} name="hours" pattern="^\s*\d{2}:00(\s+[A-Z]{2,5})?(\s*,\s*\d{2}:00(\s+[A-Z]{2,5})?)*\s*$" />}
              </Field>
              {spots.length ? (
                <fieldset>
                  <legend>Spots that did not run</legend>
                  <ul className="spot-choices">
                    {spots.map((s) => (
                      <li key={s.id}>
                        <label>
                          <input type="checkbox" name="missed" value={s.id} /> {s.at} {s.title}
                        </label>
                      </li>
                    ))}
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
