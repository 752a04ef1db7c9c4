// One day's log as a timeline by hour (23, 24 or 25 of them; the repeated hour of a 25-hour
// day says which it is): each entry with its type, start, length and title, fallbacks, entries
// faded early and exceptions marked, each hour's fill against the hour; and what the signed-in
// role may do with it — rebuild, approve the version shown (acknowledging each of its errors
// with a reason), publish (confirmed); print it (the print styles at the end of styles.css) or
// download the API's PDF and CSV of it (stations.$station.logs.$date_.download.ts).
// While it awaits approval or is approved, those who may (admin, traffic, programming) edit it
// by hand (docs/log-editing.md): each entry's "Edit" opens its panel (the address says which,
// ../components/log-editing/), every edit says why and makes the next version; locked entries
// are marked and the day's edits listed with who, when, why and whether a rebuild kept them.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Fragment, useState } from 'react';
import { api, ApiError, type ApiProblem } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { requireSignedIn } from '../lib/session.server.js';
import { DAY_STATUS_LABELS, formatBroadcastDate, length, stationTime, type DayStatus } from '../lib/format.js';
import { hoursOf, shortHourLabel } from '../lib/log-hours.js';
import { useLiveStation } from '../lib/use-live.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { OutcomeBadge, type Outcome } from './stations.$station.reconciliation.js';
import { EditPanel, Warnings } from '../components/log-editing/edit-panel.js';
import { EditsList } from '../components/log-editing/edits-list.js';
import { EntryActions } from '../components/log-editing/entry-actions.js';
import { candidatesFor, makeEdit } from '../components/log-editing/edit.server.js';
import { editPanelOf, searchesLibrary, type EditFailure, type LogEdit } from '../components/log-editing/edit-types.js';

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
  /** "07:00"; "01:00 EDT" / "01:00 EST" on the repeated hour of a 25-hour day. */
  hourLabel: string;
  breakIndex: number | null;
  isFallback: boolean;
  fallbackReason: string | null;
  voiceTrackId: string | null;
  note: string | null;
  fadedEarlyMs: number;
  /** Locked by hand: a rebuild keeps it where it is. */
  locked?: boolean;
}
interface LogException {
  id: string;
  kind: string;
  severity: 'error' | 'warning' | 'info';
  hour: number | null;
  hourLabel: string | null;
  entryId: string | null;
  message: string;
  /** An error of the build: approving needs it acknowledged with a reason. */
  blocksApproval: boolean;
  acknowledgement: { by: { id: string; name: string } | null; at: string; reason: string } | null;
  /** `editId`: the hand edit a `log_edit` warning is about. */
  details?: { editId?: string };
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
  edits?: LogEdit[];
}

const HOUR_MS = 3_600_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const roles = await rolesAt(request, params.station);
  const slug = encodeURIComponent(String(params.station));
  const [station, log] = await Promise.all([
    api<{ slug: string; name: string; timezone: string; trafficMayPublish: boolean; identity?: { callLetters: string | null; communityOfLicense: string | null; frequency: string | null } }>(request, `/stations/${slug}`),
    api<Log>(request, `/stations/${slug}/logs/${encodeURIComponent(String(params.date))}`),
  ]);
  const may = {
    rebuild: mayAny(roles, ['traffic', 'programming']),
    approve: mayAny(roles, ['traffic']),
    publish: mayAny(roles, []) || (roles.includes('traffic') && station.trafficMayPublish),
    // Hand edits: while the log awaits approval or is approved, before publishing (the API decides).
    edit: mayAny(roles, ['traffic', 'programming']) && ['awaiting_approval', 'approved'].includes(log.status),
  };
  const search = new URL(request.url).searchParams;
  const panel = may.edit ? editPanelOf(search) : null;
  const candidates = panel && searchesLibrary(panel) ? await candidatesFor(request, `/stations/${slug}/logs/${log.date}`, panel) : null;
  // Just made (the edit form's redirect): the edit in words, and the separation it broke.
  const editedId = search.get('edited');
  const madeEdit = editedId ? (log.edits ?? []).find((e) => e.id === editedId) : undefined;
  const edited = madeEdit
    ? { id: madeEdit.id, version: madeEdit.madeInVersion, summary: madeEdit.summary, warnings: log.exceptions.filter((x) => x.kind === 'log_edit' && x.details?.editId === madeEdit.id).map((x) => x.message) }
    : null;
  // After air: each entry's result from the reconciliation report (none while it cannot be had).
  const results = ['reconciling', 'reconciled'].includes(log.status)
    ? Object.fromEntries(
        ((await api<{ entries: { entryId: string; outcome: Outcome; description: string }[] }>(request, `/stations/${slug}/logs/${log.date}/reconciliation`).catch(() => null))?.entries ?? []).map((e) => [e.entryId, { outcome: e.outcome, description: e.description }]),
      )
    : {};
  return { station, log: { ...log, edits: log.edits ?? [] }, may, results, panel, candidates, edited };
}

/** What the approve form sent, to show again next to the errors when approving is refused. */
interface Acknowledging {
  acknowledged: string[];
  reasons: Record<string, string>;
}

interface ActionResult {
  ok: boolean;
  message: string;
  /** By exception id: why the acknowledgement of that error is missing or refused. */
  problems?: Record<string, string>;
  values?: Acknowledging;
  /** A hand edit refused: the panel shows it again with the words next to the fields. */
  edit?: EditFailure;
}

/** The API's 422 names each error by exceptionId: its words next to that error. */
function acknowledgementProblems(problem: ApiProblem): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const e of problem.errors ?? []) {
    if (!e.exceptionId) continue;
    problems[e.exceptionId] ??= e.path === 'body.acknowledgements' ? 'Not acknowledged: tick the box and say why the log may air with this error.' : `The acknowledgement ${e.message}.`;
  }
  return problems;
}

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const form = await request.formData();
  const intent = text(form, 'intent');
  const version = Number(text(form, 'version'));
  const path = `/stations/${encodeURIComponent(String(params.station))}/logs/${encodeURIComponent(String(params.date))}`;
  const values: Acknowledging = { acknowledged: [], reasons: {} };
  try {
    if (intent === 'approve') {
      // Each error shown has a box (`acknowledge`, its id) and a reason (`reason-<id>`).
      values.acknowledged = form.getAll('acknowledge').filter((v): v is string => typeof v === 'string');
      for (const [name, value] of form) if (name.startsWith('reason-') && typeof value === 'string') values.reasons[name.slice('reason-'.length)] = value;
      const acknowledgements = values.acknowledged.map((exceptionId) => ({ exceptionId, reason: (values.reasons[exceptionId] ?? '').trim() }));
      const problems: Record<string, string> = {};
      for (const a of acknowledgements) if (a.reason === '') problems[a.exceptionId] = 'Say why the log may air with this error.';
      if (Object.keys(problems).length > 0) return { ok: false, message: 'Each error you acknowledge needs a reason.', problems, values };
      await api(request, `${path}/approve`, { method: 'POST', body: { version, ...(acknowledgements.length > 0 && { acknowledgements }) }, headers: { 'If-Match': `"${version}"` } });
    } else if (intent === 'publish') {
      if (text(form, 'confirm') !== 'yes') return { ok: false, message: 'Tick the box to confirm you want this version to go to playout.' };
      await api(request, `${path}/publish`, { method: 'POST', body: { version } });
    } else if (intent === 'edit') {
      const made = await makeEdit(request, path, form, version);
      if ('failure' in made) return { ok: false, message: made.failure.message || 'The edit was not made: see the form.', edit: made.failure };
      // The next version, with the edit in words at the top (and nothing to send again on reload).
      throw redirect(`/stations/${encodeURIComponent(String(params.station))}/logs/${encodeURIComponent(String(params.date))}?edited=${encodeURIComponent(made.editId)}`);
    } else if (intent === 'rebuild') await api(request, `${path}/rebuild`, { method: 'POST', body: { reason: 'rebuild asked for in the web app' }, headers: { 'If-Match': `"${version}"` } });
    else return { ok: false, message: `Unknown action "${intent}"` };
    const done: Record<string, string> = { approve: `Version ${version} approved.`, publish: `Publishing version ${version}…`, rebuild: 'Rebuilding the log…' };
    return { ok: true, message: done[intent] ?? '' };
  } catch (error) {
    if (error instanceof ApiError) {
      const message = error.problem.detail ?? error.problem.title;
      return intent === 'approve' ? { ok: false, message, problems: acknowledgementProblems(error.problem), values } : { ok: false, message };
    }
    throw error;
  }
}

/** In the approve form: the error's hour in bold, unless its words already start with it. */
function HourOf({ exception }: { exception: LogException }) {
  const label = exception.hourLabel;
  return label && !exception.message.startsWith(label) ? <strong>{label} </strong> : null;
}

/** A locked entry: a padlock, and the word for screen readers. */
function LockMark() {
  return (
    <span className="lock-mark" title="Locked: a rebuild keeps it where it is">
      <svg aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="14" height="14">
        <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
      </svg>
      <span className="visually-hidden">Locked: </span>
    </span>
  );
}

function Acknowledged({ exception }: { exception: LogException }) {
  const a = exception.acknowledgement;
  if (!a) return null;
  return (
    <span className="acknowledged">
      Acknowledged by {a.by?.name ?? 'an API client'}: {a.reason}
    </span>
  );
}

export default function LogPage() {
  const { station, log, may, results, panel, candidates, edited } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  // The entry's edit panel the address opens; a refused edit comes back to its panel.
  const failure = result?.edit && panel && result.edit.entryId === panel.entryId && result.edit.choice === panel.choice ? result.edit : null;
  const panelEntry = panel ? (log.entries.find((e) => e.id === panel.entryId) ?? null) : null;
  const editPanel = panel ? <EditPanel panel={panel} entry={panelEntry} entries={log.entries} candidates={candidates} failure={failure} version={log.version} timezone={station.timezone} busy={busy} /> : null;
  const columns = may.edit ? 6 : 5;
  const [confirming, setConfirming] = useState(false);
  useLiveStation(station.slug);
  const byEntry = new Map<string, LogException[]>();
  for (const e of log.exceptions) if (e.entryId) byEntry.set(e.entryId, [...(byEntry.get(e.entryId) ?? []), e]);
  const dayWide = log.exceptions.filter((e) => !e.entryId);
  const errors = log.exceptions.filter((e) => e.severity === 'error').length;
  const warnings = log.exceptions.filter((e) => e.severity === 'warning').length;
  const toAcknowledge = log.exceptions.filter((e) => e.blocksApproval);
  const hours = hoursOf(log.entries);
  const identity = [station.identity?.callLetters, station.identity?.communityOfLicense, station.identity?.frequency].filter(Boolean).join(' · ');
  const download = (format: 'pdf' | 'csv') => `/stations/${station.slug}/logs/${log.date}/download?format=${format}`;

  return (
    <>
      <p className="no-print">
        <Link to={`/stations/${station.slug}/days`}>← All days</Link>
      </p>
      <h1>
        {station.name}: {formatBroadcastDate(log.date)}
      </h1>
      <p className="print-only log-print-header">
        Program log{identity ? ` · ${identity}` : ''} · {log.date} · version {log.version}
      </p>
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
        <div className="log-exports" role="group" aria-label="Print or download this log">
          <a href={download('pdf')} download>
            Download PDF
          </a>
          <a href={download('csv')} download>
            Download CSV
          </a>
          <button type="button" className="secondary" onClick={() => window.print()}>
            Print
          </button>
        </div>
        {result && !failure ? (
          <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
            {result.message}
          </p>
        ) : null}
        {edited ? (
          <div className="edit-made" role="status" data-testid="edit-made">
            <p className="notice">
              Version {edited.version}: {edited.summary}.{edited.version === log.version && log.status === 'awaiting_approval' ? ' It awaits approval.' : ''}
            </p>
            <Warnings items={edited.warnings} className="exceptions" />
          </div>
        ) : null}
        {panel && !panelEntry ? editPanel : null}
        <div className="actions">
          {may.approve && log.status === 'awaiting_approval' ? (
            <Form method="post" className={toAcknowledge.length > 0 ? 'approve approve-with-errors' : 'approve'}>
              <input type="hidden" name="version" value={log.version} />
              {toAcknowledge.length > 0 ? (
                <fieldset className="acknowledgements">
                  <legend>
                    {toAcknowledge.length} error{toAcknowledge.length === 1 ? '' : 's'} to acknowledge before approving
                  </legend>
                  <p className="muted hint">These air as they are. Tick each one and say why the log may air with it; the reasons are kept with the approval.</p>
                  <ul>
                    {toAcknowledge.map((e) => {
                      const problem = result?.problems?.[e.id];
                      const reasonId = `reason-${e.id}`;
                      return (
                        <li key={e.id} className="acknowledgement">
                          <label className="check">
                            <input
                              type="checkbox"
                              name="acknowledge"
                              value={e.id}
                              defaultChecked={result?.values?.acknowledged.includes(e.id)}
                              aria-invalid={Boolean(problem)}
                              aria-describedby={problem ? `${reasonId}-problem` : undefined}
                            />{' '}
                            <HourOf exception={e} />
                            {e.message}
                          </label>
                          <label htmlFor={reasonId}>
                            Reason<span className="visually-hidden"> for the error{e.hourLabel ? ` at ${e.hourLabel}` : ''}</span>
                          </label>
                          <input
                            id={reasonId}
                            name={reasonId}
                            type="text"
                            maxLength={1000}
                            defaultValue={result?.values?.reasons[e.id] ?? ''}
                            aria-invalid={Boolean(problem)}
                            aria-describedby={problem ? `${reasonId}-problem` : undefined}
                          />
                          {problem ? (
                            <p id={`${reasonId}-problem`} className="field-error">
                              {problem}
                            </p>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              ) : null}
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
                {e.hourLabel ? <strong>{e.hourLabel} </strong> : null}
                {e.message}
                <Acknowledged exception={e} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <EditsList edits={log.edits} timezone={station.timezone} highlight={edited?.id ?? null} />

      <nav className="hour-index" aria-label="Hours">
        {hours.map((h, i) => (
          <a key={h.startsAt} href={`#hour-${i}`}>
            {shortHourLabel(h.label)}
          </a>
        ))}
      </nav>
      {hours.map((h, i) => {
        const diff = h.totalMs - HOUR_MS;
        const fill = Math.abs(diff) < 30_000 ? 'fill-ok' : diff < 0 ? 'fill-under' : 'fill-over';
        return (
          <section key={h.startsAt} id={`hour-${i}`} className="hour" aria-labelledby={`hour-title-${i}`}>
            <h2 id={`hour-title-${i}`}>
              {h.label}{' '}
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
                  {may.edit ? (
                    <th scope="col" className="no-print">
                      <span className="visually-hidden">Edits</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {h.entries.map((e) => {
                  const notes = byEntry.get(e.id) ?? [];
                  const name = `${stationTime(e.startsAt, station.timezone)} ${e.title}`;
                  return (
                    <Fragment key={e.id}>
                      <tr data-entry-id={e.id} className={[e.type === 'LIN' ? 'legal-id' : '', e.isFallback ? 'fallback' : '', notes.some((n) => n.severity === 'error') ? 'has-error' : notes.length ? 'has-warning' : ''].filter(Boolean).join(' ') || undefined}>
                        <td>
                          <time dateTime={e.startsAt}>{stationTime(e.startsAt, station.timezone)}</time>
                        </td>
                        <td>
                          <span className={`type type-${e.type}`}>{e.type}</span>
                          {e.type === 'LIN' ? <span className="legal-id-mark"> legal ID</span> : null}
                        </td>
                        <td>
                          {e.locked ? <LockMark /> : null}
                          {e.title}
                          {e.artist ? <span className="muted"> — {e.artist}</span> : null}
                        </td>
                        <td>
                          {length(e.lengthMs)}
                          {e.fadedEarlyMs > 0 ? <span className="muted"> of {length(e.lengthMs + e.fadedEarlyMs)}</span> : null}
                        </td>
                        <td>
                          {results[e.id] ? <OutcomeBadge outcome={results[e.id]!.outcome} description={results[e.id]!.description} /> : null}
                          {e.isFallback ? <span className="tag">fallback{e.fallbackReason ? `: ${e.fallbackReason.replace('_', ' ')}` : ''}</span> : null}
                          {e.voiceTrackId ? <span className="tag">voice track</span> : null}
                          {e.fadedEarlyMs > 0 ? <span className="tag tag-faded">faded {length(e.fadedEarlyMs)} early</span> : null}
                          {e.note ? <span className="entry-note">{e.note}</span> : null}
                          {notes.map((n) => (
                            <span key={n.id} className={`exception exception-${n.severity}`}>
                              {n.message}
                              <Acknowledged exception={n} />
                            </span>
                          ))}
                        </td>
                        {may.edit ? (
                          <td className="no-print entry-edit">
                            <EntryActions entryId={e.id} name={name} locked={Boolean(e.locked)} open={panel?.entryId === e.id ? panel.choice : null} />
                          </td>
                        ) : null}
                      </tr>
                      {panelEntry?.id === e.id ? (
                        <tr className="edit-panel-row no-print">
                          <td colSpan={columns}>{editPanel}</td>
                        </tr>
                      ) : null}
                    </Fragment>
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
