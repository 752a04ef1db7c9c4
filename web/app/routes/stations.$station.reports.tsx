// Reports: choose a royalty or compliance file and a period → a preview of its first rows, the
// station details it still needs and every play lacking a field (with a link to fix it in the
// library) → download. Below, the files the monthly Schedule prepared with their due dates, and
// charts of the period's spins and listener hours.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import { DateTime } from 'luxon';
import { isCalendarDate } from '../../../domain/calendar-date.js';
import { Field } from '../components/field.js';
import { ListenerHoursChart, SpinsChart } from '../components/report-charts.js';
import { api, ApiError } from '../lib/api.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Reports · LibreLog' }];

interface RoyaltyReport {
  id: string;
  name: string;
  purpose: string;
  cadence: string;
  dueDays: number | null;
  stationDetailsLacking: string[];
}

interface Preview {
  report: string;
  from: string;
  to: string;
  fileName: string | null;
  rows: number;
  firstLines: string[] | null;
  firstPlays: { startedAt: string; type: string; title: string | null; performer: string | null; isrc: string | null; label: string | null; listeners: number | null }[];
  stationDetailsLacking: string[];
  missing: { playId: string; trackId: string | null; title: string | null; startedAt: string; fields: string[] }[];
  missingCount: number;
  plays: number;
}

interface PreparedMonth {
  month: string;
  files: { report: string; name: string; fileName: string | null; rows: number; missingCount: number; dueOn: string | null; stationDetailsLacking: string[]; preparedAt: string }[];
}

/** Station details as the Station details page names them. */
const DETAIL_NAMES: Record<string, string> = {
  callLetters: 'call letters',
  soundExchangeServiceName: 'SoundExchange service name',
  transmissionCategory: 'transmission category',
  band: 'band',
  frequency: 'frequency',
  country: 'country',
  communityOfLicense: 'community of license',
  format: 'music format',
  'contact.name': 'contact name',
  'contact.street': 'contact street',
  'contact.city': 'contact city',
  'contact.region': 'contact state or province',
  'contact.postalCode': 'contact postal code',
  'contact.phone': 'contact phone',
  'contact.email': 'contact e-mail',
};
/** A play's fields as the library's editor names them. */
const FIELD_NAMES: Record<string, string> = { isrc: 'ISRC', iswc: 'ISWC', upc: 'UPC', mapl: 'MAPL', contentCategory: 'content category', listeners: 'listener figures' };
const fieldWords = (fields: string[]) => fields.map((f) => FIELD_NAMES[f] ?? f).join(', ');

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const url = new URL(request.url);
  const [station, roles] = await Promise.all([api<{ slug: string; name: string; timezone: string }>(request, `/stations/${slug}`), rolesAt(request, params.station)]);
  const mayFile = mayAny(roles, ['programming', 'traffic']);
  const lastMonth = DateTime.now().setZone(station.timezone).minus({ months: 1 });
  const asked = {
    report: url.searchParams.get('report')?.trim() ?? '',
    from: url.searchParams.get('from')?.trim() || lastMonth.startOf('month').toISODate()!,
    to: url.searchParams.get('to')?.trim() || lastMonth.endOf('month').toISODate()!,
    headers: url.searchParams.get('headers') !== 'false',
  };
  const problems: Partial<Record<'report' | 'from' | 'to', string>> = {};
  if (!isCalendarDate(asked.from)) problems.from = 'A date, YYYY-MM-DD.';
  if (!isCalendarDate(asked.to)) problems.to = 'A date, YYYY-MM-DD.';
  else if (!problems.from && asked.to < asked.from) problems.to = 'The last day comes on or after the first.';
  const periodOk = !problems.from && !problems.to;
  const period = `from=${asked.from}&to=${asked.to}`;

  const [reports, prepared, spins, listening] = await Promise.all([
    mayFile ? api<RoyaltyReport[]>(request, `/stations/${slug}/reports/royalty`) : Promise.resolve([] as RoyaltyReport[]),
    mayFile ? api<PreparedMonth[]>(request, `/stations/${slug}/reports/prepared`).catch(() => [] as PreparedMonth[]) : Promise.resolve([] as PreparedMonth[]),
    periodOk ? api<{ plays: number; songs: { title: string; artist: string | null; spins: number }[]; artists: { artist: string; spins: number }[] }>(request, `/stations/${slug}/reports/spins?${period}&limit=15`).catch(toProblem(problems)) : null,
    periodOk ? api<{ days: { date: string; listenerHours: number; sessions: number }[] }>(request, `/stations/${slug}/reports/listener-hours?${period}`).catch(toProblem(problems)) : null,
  ]);
  if (asked.report && !reports.some((r) => r.id === asked.report)) problems.report = 'Choose a report from the list.';
  let preview: Preview | null = null;
  if (asked.report && !problems.report && periodOk) {
    preview = await api<Preview>(request, `/stations/${slug}/reports/royalty/${encodeURIComponent(asked.report)}/preview?${period}&headers=${String(asked.headers)}`).catch(toProblem(problems));
  }
  return {
    station: { slug: station.slug, name: station.name, timezone: station.timezone },
    mayFile,
    asked,
    problems,
    reports,
    chosen: reports.find((r) => r.id === asked.report) ?? null,
    preview,
    prepared,
    spins,
    listening,
  };
}

/** An API refusal of the period (too long, say) becomes the field's problem; anything else is the page's error. */
function toProblem(problems: Partial<Record<'report' | 'from' | 'to', string>>) {
  return (error: unknown): null => {
    if (!(error instanceof ApiError) || error.problem.status !== 400) throw error;
    const where = error.problem.errors?.[0]?.path === 'query.from' ? 'from' : 'to';
    problems[where] ??= `${(error.problem.detail ?? error.problem.title).replace(/\.$/, '')}.`;
    return null;
  };
}

function ReportForm() {
  const { reports, asked, problems } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== 'idle';
  return (
    <Form method="get" className="report-form" aria-label="Choose a report and a period">
      <div className="field-row">
        <Field name="report" label="Report" error={problems.report}>
          {(attrs) => (
            <select {...attrs} name="report" defaultValue={asked.report}>
              <option value="">Choose a report…</option>
              {reports.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="from" label="First day" error={problems.from}>
          {(attrs) => <input {...attrs} name="from" type="date" defaultValue={asked.from} required />}
        </Field>
        <Field name="to" label="Last day" error={problems.to}>
          {(attrs) => <input {...attrs} name="to" type="date" defaultValue={asked.to} required />}
        </Field>
      </div>
      {asked.report.startsWith('soundexchange') ? (
        <div className="field">
          <label className="check">
            <input type="checkbox" name="headers" value="false" defaultChecked={!asked.headers} /> Without the 14 header rows (the header-less form)
          </label>
        </div>
      ) : null}
      <button type="submit" disabled={busy}>
        Preview
      </button>
    </Form>
  );
}

function PreviewPanel() {
  const { preview, chosen, asked, station } = useLoaderData<typeof loader>();
  if (!preview || !chosen) return null;
  const download = `/stations/${station.slug}/reports/download?${new URLSearchParams({ report: chosen.id, from: asked.from, to: asked.to, headers: String(asked.headers) }).toString()}`;
  const time = (iso: string) => DateTime.fromISO(iso, { zone: station.timezone }).toFormat('yyyy-LL-dd HH:mm:ss ZZZZ');
  return (
    <section className="report-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{chosen.name}</h2>
      <p className="muted">{chosen.purpose}</p>
      <p>
        {preview.plays} play{preview.plays === 1 ? '' : 's'} of the as-run from {preview.from} to {preview.to}
        {preview.fileName ? (
          <>
            {' '}
            → <strong>{preview.fileName}</strong>, {preview.rows} row{preview.rows === 1 ? '' : 's'}
          </>
        ) : null}
        .
      </p>
      {preview.stationDetailsLacking.length ? (
        <div className="problem" role="alert">
          <p>
            This file cannot be made until the station’s details say: {preview.stationDetailsLacking.map((d) => DETAIL_NAMES[d] ?? d).join(', ')}.{' '}
            <Link to={`/stations/${station.slug}/settings`}>Fill them in on the Station details page</Link>.
          </p>
        </div>
      ) : (
        <p>
          <a className="button-link" href={download} download={preview.fileName ?? undefined}>
            Download {preview.fileName}
          </a>
        </p>
      )}
      {preview.missingCount > 0 ? (
        <div className="notice" role="status">
          <p>
            <strong>
              {preview.missingCount} play{preview.missingCount === 1 ? '' : 's'} lack{preview.missingCount === 1 ? 's' : ''} data this report needs.
            </strong>{' '}
            LibreLog never makes it up: fix the tracks in the library, then preview again.
          </p>
          <table className="missing-plays">
            <caption className="visually-hidden">Plays lacking data</caption>
            <thead>
              <tr>
                <th scope="col">Aired</th>
                <th scope="col">Title</th>
                <th scope="col">Lacks</th>
                <th scope="col">Fix</th>
              </tr>
            </thead>
            <tbody>
              {preview.missing.slice(0, 100).map((m) => (
                <tr key={m.playId}>
                  <td>{time(m.startedAt)}</td>
                  <td>{m.title ?? '(untitled)'}</td>
                  <td>{fieldWords(m.fields)}</td>
                  <td>{m.trackId ? <Link to={`/stations/${station.slug}/library?q=${encodeURIComponent(m.title ?? '')}`}>In the library</Link> : <span className="muted">Not in the library</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.missingCount > 100 ? <p className="muted">And {preview.missingCount - 100} more.</p> : null}
        </div>
      ) : preview.plays > 0 ? (
        <p className="notice" role="status">
          Every play has what this report needs.
        </p>
      ) : null}
      {preview.firstLines ? (
        <>
          <h3>The file’s first lines</h3>
          <pre className="file-preview" tabIndex={0} aria-label="The file's first lines">
            {preview.firstLines.join('\n')}
          </pre>
        </>
      ) : null}
      {preview.firstPlays.length ? (
        <>
          <h3>The first plays</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">Aired</th>
                <th scope="col">Type</th>
                <th scope="col">Title</th>
                <th scope="col">Performer</th>
                <th scope="col">ISRC</th>
                <th scope="col">Label</th>
                <th scope="col">Listeners</th>
              </tr>
            </thead>
            <tbody>
              {preview.firstPlays.map((p, i) => (
                <tr key={i}>
                  <td>{time(p.startedAt)}</td>
                  <td>{p.type}</td>
                  <td>{p.title ?? ''}</td>
                  <td>{p.performer ?? ''}</td>
                  <td>{p.isrc ?? ''}</td>
                  <td>{p.label ?? ''}</td>
                  <td className="number">{p.listeners ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="empty">No plays in the as-run for this period.</p>
      )}
    </section>
  );
}

function PreparedFiles() {
  const { prepared, station } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="prepared-heading">
      <h2 id="prepared-heading">Prepared each month</h2>
      {prepared.length === 0 ? (
        <p className="empty">Nothing prepared yet: on the 2nd of each month LibreLog prepares the month before’s files here.</p>
      ) : (
        prepared.map((m) => (
          <table key={m.month} className="prepared">
            <caption>{m.month}</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">File</th>
                <th scope="col">Rows</th>
                <th scope="col">Plays lacking data</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {m.files.map((f) => (
                <tr key={f.report}>
                  <td>{f.name}</td>
                  <td>
                    {f.fileName ? (
                      <a href={`/stations/${station.slug}/reports/prepared/${m.month}/${encodeURIComponent(f.fileName)}`} download={f.fileName}>
                        {f.fileName}
                      </a>
                    ) : (
                      <span className="problem-text">Not made: the station’s details lack {f.stationDetailsLacking.map((d) => DETAIL_NAMES[d] ?? d).join(', ')}</span>
                    )}
                  </td>
                  <td className="number">{f.rows}</td>
                  <td className="number">{f.missingCount}</td>
                  <td>{f.dueOn ?? <span className="muted">when asked</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))
      )}
    </section>
  );
}

export default function Reports() {
  const { station, mayFile, spins, listening, asked } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  return (
    <>
      <h1>Reports</h1>
      <p className="muted">
        The royalty and compliance files {station.name} files, made from what aired (the as-run), never from the plan. Times are the station’s ({station.timezone.replace(/_/g, ' ')}).
      </p>
      <div aria-busy={loading}>
        {mayFile ? (
          <>
            <ReportForm />
            <PreviewPanel />
            <PreparedFiles />
          </>
        ) : (
          <p className="notice" role="status">
            Royalty files are for programming and traffic: ask the station’s admin. The charts below are for everyone.
          </p>
        )}
        <section aria-labelledby="charts-heading">
          <h2 id="charts-heading">
            From {asked.from} to {asked.to}
          </h2>
          {spins ? (
            spins.plays === 0 ? (
              <p className="empty">No music in the as-run for this period.</p>
            ) : (
              <div className="charts">
                <SpinsChart title="Most played songs" rows={spins.songs.map((s) => ({ name: s.artist ? `${s.title} — ${s.artist}` : s.title, spins: s.spins }))} />
                <SpinsChart title="Most played artists" rows={spins.artists.map((a) => ({ name: a.artist, spins: a.spins }))} />
              </div>
            )
          ) : null}
          {listening ? <ListenerHoursChart days={listening.days} /> : null}
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const said = isRouteErrorResponse(error) && typeof error.data === 'string' && error.data ? error.data : null;
  return (
    <section className="error-panel" role="alert">
      <h1>Reports</h1>
      <p>{isRouteErrorResponse(error) && error.status === 404 ? (said ?? 'There is no such station.') : 'LibreLog could not make the reports page. Check that the API is running, then try again in a moment.'}</p>
      <p>
        <Link to="/">Back to the stations</Link>
      </p>
    </section>
  );
}
