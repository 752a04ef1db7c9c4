// One day's log as a 24-hour timeline by hour: each entry with its type, start, length and
// title, fallbacks and exceptions marked, each hour's fill against the hour; and what the
// signed-in role may do with it — rebuild, approve the version shown, publish (confirmed).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { requireSignedIn } from '../lib/session.server.js';
import { DAY_STATUS_LABELS, formatBroadcastDate, length, stationTime, type DayStatus } from '../lib/format.js';
import { useLiveStation } from '../lib/use-live.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Log ${data?.log.date ?? ''} · ${data?.station.name ?? ''} · LibreLog` }];

interface Entry {
  id: string;
  position: number;
  startsAt: string;
  lengthMs: number;
  type: string;
  title: string;
  artist: string | null;
  hour: number;
  breakIndex: number | null;
  isFallback: boolean;
  fallbackReason: string | null;
  voiceTrackId: string | null;
  note: string | null;
}
interface LogException {
  id: string;
  kind: string;
  severity: 'error' | 'warning' | 'info';
  hour: number | null;
  entryId: string | null;
  message: string;
}
interface Log {
  date: string;
  status: DayStatus;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  atRisk: boolean;
  failure: string | null;
  workflowId: string;
  temporalUrl: string;
  entries: Entry[];
  exceptions: LogException[];
}

const HOUR_MS = 3_600_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const [station, log] = await Promise.all([
    api<{ slug: string; name: string; timezone: string; trafficMayPublish: boolean }>(request, `/stations/${slug}`),
    api<Log>(request, `/stations/${slug}/logs/${encodeURIComponent(String(params.date))}`),
  ]);
  const may = {
    rebuild: ['admin', 'traffic', 'programming'].includes(me.role),
    approve: ['admin', 'traffic'].includes(me.role),
    publish: me.role === 'admin' || (me.role === 'traffic' && station.trafficMayPublish),
  };
  return { station, log, may };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = text(form, 'intent');
  const version = Number(text(form, 'version'));
  const path = `/stations/${encodeURIComponent(String(params.station))}/logs/${encodeURIComponent(String(params.date))}`;
  try {
    if (intent === 'approve') await api(request, `${path}/approve`, { method: 'POST', body: { version }, headers: { 'If-Match': `"${version}"` } });
    else if (intent === 'publish') {
      if (text(form, 'confirm') !== 'yes') return { ok: false, message: 'Tick the box to confirm you want this version to go to playout.' };
      await api(request, `${path}/publish`, { method: 'POST', body: { version } });
    } else if (intent === 'rebuild') await api(request, `${path}/rebuild`, { method: 'POST', body: { reason: 'rebuild asked for in the web app' }, headers: { 'If-Match': `"${version}"` } });
    else return { ok: false, message: `Unknown action "${intent}"` };
    const done: Record<string, string> = { approve: `Version ${version} approved.`, publish: `Publishing version ${version}…`, rebuild: 'Rebuilding the log…' };
    return { ok: true, message: done[intent] ?? '' };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, message: error.problem.detail ?? error.problem.title };
    throw error;
  }
}

function hoursOf(entries: Entry[]) {
  const hours: { hour: number; startsAt: string; entries: Entry[]; totalMs: number }[] = [];
  for (const entry of entries) {
    let current = hours.at(-1);
    if (!current || current.hour !== entry.hour) {
      current = { hour: entry.hour, startsAt: entry.startsAt, entries: [], totalMs: 0 };
      hours.push(current);
    }
    current.entries.push(entry);
    current.totalMs += entry.lengthMs;
  }
  return hours;
}

export default function LogPage() {
  const { station, log, may } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const [confirming, setConfirming] = useState(false);
  useLiveStation(station.slug);
  const byEntry = new Map<string, LogException[]>();
  for (const e of log.exceptions) if (e.entryId) byEntry.set(e.entryId, [...(byEntry.get(e.entryId) ?? []), e]);
  const dayWide = log.exceptions.filter((e) => !e.entryId);
  const errors = log.exceptions.filter((e) => e.severity === 'error').length;
  const warnings = log.exceptions.filter((e) => e.severity === 'warning').length;

  return (
    <>
      <p>
        <Link to={`/stations/${station.slug}/days`}>← All days</Link>
      </p>
      <h1>
        {station.name}: {formatBroadcastDate(log.date)}
      </h1>
      <section className="log-summary" aria-label="The log's state">
        <p>
          <span className={`status status-${log.status}`} data-testid="log-status">
            {DAY_STATUS_LABELS[log.status]}
          </span>{' '}
          version {log.version}
          {log.approvedVersion ? ` · approved v${log.approvedVersion}` : ''}
          {log.publishedVersion ? ` · published v${log.publishedVersion}` : ''}
          {log.atRisk ? <span className="tag tag-risk">at risk</span> : null}
        </p>
        <p className="muted">
          {log.entries.length} entries · {errors} error{errors === 1 ? '' : 's'}, {warnings} warning{warnings === 1 ? '' : 's'} ·{' '}
          <a href={log.temporalUrl} target="_blank" rel="noreferrer">
            run {log.workflowId} in Temporal UI
          </a>
        </p>
        {log.failure ? <p className="problem">{log.failure}</p> : null}
        {result ? (
          <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
            {result.message}
          </p>
        ) : null}
        <div className="actions">
          {may.approve && log.status === 'awaiting_approval' ? (
            <Form method="post">
              <input type="hidden" name="version" value={log.version} />
              <button type="submit" name="intent" value="approve" disabled={busy}>
                Approve version {log.version}
              </button>
            </Form>
          ) : null}
          {may.publish && log.status === 'approved' && log.approvedVersion ? (
            confirming ? (
              <Form method="post" className="confirm">
                <input type="hidden" name="version" value={log.approvedVersion} />
                <label>
                  <input type="checkbox" name="confirm" value="yes" required /> Send version {log.approvedVersion} to playout
                </label>
                <button type="submit" name="intent" value="publish" disabled={busy}>
                  Confirm publishing
                </button>
                <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </Form>
            ) : (
              <button type="button" onClick={() => setConfirming(true)}>
                Publish version {log.approvedVersion}…
              </button>
            )
          ) : null}
          {may.rebuild && ['awaiting_approval', 'approved', 'published', 'failed'].includes(log.status) ? (
            <Form method="post">
              <input type="hidden" name="version" value={log.version} />
              <button type="submit" name="intent" value="rebuild" className="secondary" disabled={busy}>
                Rebuild
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      {dayWide.length ? (
        <section aria-labelledby="day-exceptions">
          <h2 id="day-exceptions">Exceptions of the day</h2>
          <ul className="exceptions">
            {dayWide.map((e) => (
              <li key={e.id} className={`exception exception-${e.severity}`}>
                <span className="visually-hidden">{e.severity}: </span>
                {e.hour !== null ? <strong>{String(e.hour).padStart(2, '0')}:00 </strong> : null}
                {e.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <nav className="hour-index" aria-label="Hours">
        {hoursOf(log.entries).map((h) => (
          <a key={`${h.hour}-${h.startsAt}`} href={`#hour-${h.hour}`}>
            {String(h.hour).padStart(2, '0')}
          </a>
        ))}
      </nav>
      {hoursOf(log.entries).map((h) => {
        const diff = h.totalMs - HOUR_MS;
        const fill = Math.abs(diff) < 30_000 ? 'fill-ok' : diff < 0 ? 'fill-under' : 'fill-over';
        return (
          <section key={`${h.hour}-${h.startsAt}`} id={`hour-${h.hour}`} className="hour" aria-labelledby={`hour-title-${h.hour}`}>
            <h2 id={`hour-title-${h.hour}`}>
              {String(h.hour).padStart(2, '0')}:00{' '}
              <span className={`fill ${fill}`}>
                {length(h.totalMs)} {diff === 0 ? '' : diff < 0 ? `(${length(-diff)} under)` : `(${length(diff)} over)`}
              </span>
            </h2>
            <table className="entries">
              <thead>
                <tr>
                  <th scope="col">Start</th>
                  <th scope="col">Type</th>
                  <th scope="col">Title</th>
                  <th scope="col">Length</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {h.entries.map((e) => {
                  const notes = byEntry.get(e.id) ?? [];
                  return (
                    <tr key={e.id} className={[e.isFallback ? 'fallback' : '', notes.some((n) => n.severity === 'error') ? 'has-error' : notes.length ? 'has-warning' : ''].join(' ').trim() || undefined}>
                      <td>
                        <time dateTime={e.startsAt}>{stationTime(e.startsAt, station.timezone)}</time>
                      </td>
                      <td>
                        <span className={`type type-${e.type}`}>{e.type}</span>
                      </td>
                      <td>
                        {e.title}
                        {e.artist ? <span className="muted"> — {e.artist}</span> : null}
                      </td>
                      <td>{length(e.lengthMs)}</td>
                      <td>
                        {e.isFallback ? <span className="tag">fallback{e.fallbackReason ? `: ${e.fallbackReason.replace('_', ' ')}` : ''}</span> : null}
                        {e.voiceTrackId ? <span className="tag">voice track</span> : null}
                        {notes.map((n) => (
                          <span key={n.id} className={`exception exception-${n.severity}`}>
                            {n.message}
                          </span>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}
