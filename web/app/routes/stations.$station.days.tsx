// Days: the last 7 and the next 14 broadcast days of a station, each with its log's status,
// exceptions, approval and publishing, and its run in Temporal UI; live as workflows move.
// A day not built yet (today and later) can be built now by traffic or programming, without
// waiting for the daily build: a new station's first log starts here.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { DateTime } from 'luxon';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { DAY_STATUS_LABELS, formatBroadcastDate, type DayStatus } from '../lib/format.js';
import { useLiveStation } from '../lib/use-live.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Days · ${data?.station.name ?? 'Station'} · LibreLog` }];

const DAYS_BEFORE = 7;
const DAYS_AHEAD = 14;

interface Day {
  date: string;
  status: DayStatus;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  atRisk: boolean;
  workflowId: string;
  temporalUrl: string;
  errors: number;
  warnings: number;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = String(params.station);
  const station = await api<{ slug: string; name: string; timezone: string }>(request, `/stations/${encodeURIComponent(slug)}`);
  const today = DateTime.now().setZone(station.timezone).startOf('day');
  const from = today.minus({ days: DAYS_BEFORE }).toISODate()!;
  const to = today.plus({ days: DAYS_AHEAD - 1 }).toISODate()!;
  const days = await api<Day[]>(request, `/stations/${encodeURIComponent(slug)}/logs?from=${from}&to=${to}`);
  return { station, today: today.toISODate()!, days, mayBuild: mayAny(await rolesAt(request, slug), ['traffic', 'programming']) };
}

/** Builds one day now (the API finds the run already carrying it, if any). */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const date = text(form, 'date');
  if (text(form, 'intent') !== 'build' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, date, message: 'Choose a day to build.' };
  try {
    await api(request, `/stations/${encodeURIComponent(String(params.station))}/logs/${date}/build`, { method: 'POST' });
    return { ok: true, date, message: `Building the log of ${formatBroadcastDate(date)}; this page shows it when it is ready.` };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { ok: false, date, message: error.problem.detail ?? error.problem.title };
  }
}

export default function Days() {
  const { station, today, days, mayBuild } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const building = navigation.state !== 'idle' ? navigation.formData?.get('date') : undefined;
  useLiveStation(station.slug);
  return (
    <>
      <h1>{station.name}: broadcast days</h1>
      <p className="muted">
        The last {DAYS_BEFORE} days and the next {DAYS_AHEAD}, in {station.timezone}. This page follows the runs as they move.
      </p>
      {result ? (
        <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      {days.every((d) => d.status === 'not_built') ? (
        <p className="empty">
          No logs yet. The daily build makes them ahead of time; {mayBuild ? 'or build a day now with its Build button.' : 'traffic or programming can also build a day now.'} A log follows the{' '}
          <Link to={`/stations/${station.slug}/grid`}>grid</Link>, its <Link to={`/stations/${station.slug}/clocks`}>clocks</Link> and the{' '}
          <Link to={`/stations/${station.slug}/library`}>library</Link>.
        </p>
      ) : null}
      <table className="days">
        <caption className="visually-hidden">Broadcast days of {station.name}</caption>
        <thead>
          <tr>
            <th scope="col">Broadcast day</th>
            <th scope="col">Log</th>
            <th scope="col">Exceptions</th>
            <th scope="col">Approved</th>
            <th scope="col">Published</th>
            <th scope="col">Run in Temporal UI</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.date} className={day.date === today ? 'today' : day.date < today ? 'past' : undefined}>
              <td>
                {day.status === 'not_built' ? (
                  <time dateTime={day.date}>{formatBroadcastDate(day.date)}</time>
                ) : (
                  <Link to={`/stations/${station.slug}/logs/${day.date}`}>
                    <time dateTime={day.date}>{formatBroadcastDate(day.date)}</time>
                  </Link>
                )}
                {day.date === today ? <span className="tag">today</span> : null}
              </td>
              <td>
                <span className={`status status-${day.status}`} data-testid={`status-${day.date}`}>
                  {DAY_STATUS_LABELS[day.status]}
                </span>
                {day.atRisk ? <span className="tag tag-risk">at risk</span> : null}
                {day.version ? <span className="muted"> v{day.version}</span> : null}
                {mayBuild && day.status === 'not_built' && day.date >= today ? (
                  <Form method="post" className="day-build">
                    <input type="hidden" name="date" value={day.date} />
                    <button type="submit" name="intent" value="build" className="secondary" disabled={building !== undefined} aria-label={`Build the log of ${formatBroadcastDate(day.date)}`}>
                      {building === day.date ? 'Building…' : 'Build'}
                    </button>
                  </Form>
                ) : null}
              </td>
              <td>
                {day.errors ? <span className="count count-error">{day.errors} error{day.errors > 1 ? 's' : ''}</span> : null}
                {day.warnings ? <span className="count count-warning">{day.warnings} warning{day.warnings > 1 ? 's' : ''}</span> : null}
                {!day.errors && !day.warnings ? <span className="muted">—</span> : null}
              </td>
              <td>{day.approvedVersion ? `v${day.approvedVersion}` : <span className="muted">—</span>}</td>
              <td>{day.publishedVersion ? `v${day.publishedVersion}` : <span className="muted">—</span>}</td>
              <td>
                <a className="workflow-id" href={day.temporalUrl} target="_blank" rel="noreferrer">
                  {day.workflowId}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
