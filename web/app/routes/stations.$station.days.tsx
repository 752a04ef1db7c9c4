// Days: the last 7 and the next 14 broadcast days of a station, each with its log's status,
// exceptions, approval and publishing, and its run in Temporal UI; live as workflows move.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { DateTime } from 'luxon';
import { api } from '../lib/api.server.js';
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
  return { station, today: today.toISODate()!, days };
}

export default function Days() {
  const { station, today, days } = useLoaderData<typeof loader>();
  useLiveStation(station.slug);
  return (
    <>
      <h1>{station.name}: broadcast days</h1>
      <p className="muted">
        The last {DAYS_BEFORE} days and the next {DAYS_AHEAD}, in {station.timezone}. This page follows the runs as they move.
      </p>
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
