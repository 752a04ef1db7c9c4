// The reconciliation report (docs/reconciliation.md §The reconciliation report): what aired
// against the log for a day — yesterday at the station unless another is picked — or a period.
// A day says whether it awaits its as-run (with the deadline) or is reconciled, lists every entry
// with its outcome (a coloured badge that always says the outcome in words), the plays no entry
// asked for and each campaign's totals; a period lists its days and the campaigns' totals. Both
// download as CSV (through stations.$station.reconciliation[.csv].ts).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useLoaderData, useRouteError } from '@remix-run/react';
import { DateTime } from 'luxon';
import { isCalendarDate } from '../../../domain/calendar-date.js';
import type { DayReport, PeriodReport, ReportCampaign } from '../../../domain/reconciliation/report.js';
import { Field } from '../components/field.js';
import { api } from '../lib/api.server.js';
import { formatBroadcastDate } from '../lib/format.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Reconciliation · LibreLog' }];

/** The longest period the API reports on at once. */
const MAX_PERIOD_DAYS = 92;

export type Outcome = DayReport['entries'][number]['outcome'] | 'awaiting_as_run' | 'not_built';

/** Each outcome's words and colours: the badge says the outcome, the colour only repeats it. */
const OUTCOME_LOOK: Record<string, { label: string; background: string }> = {
  aired: { label: 'Aired', background: '#1d5e2c' },
  aired_partially: { label: 'Cut short', background: '#8a5a00' },
  substituted: { label: 'Substituted', background: '#5b3cc4' },
  moved: { label: 'Moved', background: '#3d5a80' },
  missed: { label: 'Missed', background: '#8c1d13' },
  not_due: { label: 'Not due', background: '#55555f' },
  awaiting_as_run: { label: 'Awaiting as-run', background: '#55555f' },
  not_built: { label: 'Not built', background: '#9a9aa5' },
  reconciled: { label: 'Reconciled', background: '#1d5e2c' },
};

/** An outcome as a small badge: its name in words on its colour, the sentence as its title. */
export function OutcomeBadge({ outcome, description }: { outcome: Outcome | 'reconciled'; description?: string | undefined }) {
  const look = OUTCOME_LOOK[outcome ?? 'awaiting_as_run'] ?? { label: String(outcome), background: '#55555f' };
  return (
    <span className={`tag outcome outcome-${outcome ?? 'awaiting_as_run'}`} style={{ background: look.background, color: '#fff', borderColor: look.background }} title={description}>
      {look.label}
    </span>
  );
}

type Loaded =
  | { kind: 'day'; station: { slug: string; name: string; timezone: string }; date: string; report: DayReport | null; problems: Problems; from: string; to: string }
  | { kind: 'period'; station: { slug: string; name: string; timezone: string }; from: string; to: string; report: PeriodReport; problems: Problems; date: string };
type Problems = Partial<Record<'date' | 'from' | 'to', string>>;

export async function loader({ request, params }: LoaderFunctionArgs): Promise<Loaded> {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const station = await api<{ slug: string; name: string; timezone: string }>(request, `/stations/${slug}`);
  const url = new URL(request.url);
  const yesterday = DateTime.now().setZone(station.timezone).minus({ days: 1 }).toISODate()!;
  const asked = { date: url.searchParams.get('date')?.trim() ?? '', from: url.searchParams.get('from')?.trim() ?? '', to: url.searchParams.get('to')?.trim() ?? '' };
  const problems: Problems = {};

  if (asked.from || asked.to) {
    if (!isCalendarDate(asked.from)) problems.from = 'Choose the first day of the period.';
    if (!isCalendarDate(asked.to)) problems.to = 'Choose the last day of the period.';
    else if (!problems.from && asked.to < asked.from) problems.to = 'The last day cannot be before the first.';
    else if (!problems.from && DateTime.fromISO(asked.to).diff(DateTime.fromISO(asked.from), 'days').days + 1 > MAX_PERIOD_DAYS) problems.to = `A period is at most ${MAX_PERIOD_DAYS} days.`;
    if (Object.keys(problems).length === 0) {
      const report = await api<PeriodReport>(request, `/stations/${slug}/reconciliation?from=${asked.from}&to=${asked.to}`);
      return { kind: 'period', station, from: asked.from, to: asked.to, report, problems, date: yesterday };
    }
  }
  let date = yesterday;
  if (asked.date) {
    if (isCalendarDate(asked.date)) date = asked.date;
    else problems.date = 'Choose a day.';
  }
  let report: DayReport | null = null;
  try {
    report = await api<DayReport>(request, `/stations/${slug}/logs/${date}/reconciliation`);
  } catch (thrown) {
    // The day's log has not been built: the page says so instead of failing.
    if (!(thrown instanceof Response && thrown.status === 404)) throw thrown;
  }
  return { kind: 'day', station, date, report, problems, from: asked.from, to: asked.to };
}

const campaignHeader = (
  <tr>
    <th scope="col">Advertiser</th>
    <th scope="col">Campaign</th>
    <th scope="col">Ordered</th>
    <th scope="col">Placed</th>
    <th scope="col">Aired</th>
    <th scope="col">Moved</th>
    <th scope="col">Partially aired</th>
    <th scope="col">Missed</th>
    <th scope="col">Not due</th>
    <th scope="col">Awaiting as-run</th>
    <th scope="col">Make-goods placed</th>
    <th scope="col">Made good</th>
  </tr>
);

function CampaignTotals({ campaigns }: { campaigns: readonly ReportCampaign[] }) {
  if (campaigns.length === 0) return <p className="muted">No campaign had spots here.</p>;
  return (
    <div className="table-scroll">
      <table className="campaigns reconciliation-campaigns">
        <thead>{campaignHeader}</thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.campaignId}>
              <td>{c.advertiser}</td>
              <td>{c.name}</td>
              <td>{c.ordered}</td>
              <td>{c.placed}</td>
              <td>{c.aired}</td>
              <td>{c.moved}</td>
              <td>{c.partiallyAired}</td>
              <td>
                {c.missed}
                {c.substituted ? <span className="muted"> ({c.substituted} substituted)</span> : null}
              </td>
              <td>{c.notDue}</td>
              <td>{c.awaitingAsRun}</td>
              <td>{c.makeGoodsPlaced}</td>
              <td>{c.madeGood}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const COUNT_WORDS: [keyof DayReport['counts'], string][] = [
  ['aired', 'aired'],
  ['aired_partially', 'cut short'],
  ['substituted', 'substituted'],
  ['moved', 'moved'],
  ['missed', 'missed'],
  ['not_due', 'not due'],
  ['unscheduled', 'unscheduled plays'],
];

function Counts({ counts }: { counts: DayReport['counts'] }) {
  return (
    <p className="reconciliation-counts">
      {counts.entries} entries{counts.awaiting_as_run ? `, ${counts.awaiting_as_run} awaiting the as-run` : ''}
      {COUNT_WORDS.filter(([k]) => counts[k] > 0).map(([k, words]) => `; ${counts[k]} ${words}`)}
    </p>
  );
}

export default function ReconciliationPage() {
  const data = useLoaderData<typeof loader>();
  const { station, problems } = data;
  const csvBase = `/stations/${station.slug}/reconciliation.csv`;
  return (
    <>
      <h1>Reconciliation</h1>
      <p className="muted">What aired at {station.name} against the log, from the as-run. Times are the station’s ({station.timezone}).</p>
      <div className="filters">
        <Form method="get" className="inline-form">
          <Field label="Day" name="date" error={problems.date}>
            {(props) => <input {...props} type="date" defaultValue={data.kind === 'day' ? data.date : ''} />}
          </Field>
          <button type="submit">Show the day</button>
        </Form>
        <Form method="get" className="inline-form">
          <Field label="From" name="from" error={problems.from}>
            {(props) => <input {...props} type="date" defaultValue={data.from} />}
          </Field>
          <Field label="To" name="to" error={problems.to}>
            {(props) => <input {...props} type="date" defaultValue={data.to} />}
          </Field>
          <button type="submit">Show the period</button>
        </Form>
      </div>
      {data.kind === 'day' ? <Day data={data} csvBase={csvBase} /> : <Period data={data} csvBase={csvBase} />}
    </>
  );
}

function Day({ data, csvBase }: { data: Extract<Loaded, { kind: 'day' }>; csvBase: string }) {
  const { report, date, station } = data;
  if (!report) {
    return (
      <section>
        <h2>{formatBroadcastDate(date)}</h2>
        <p>
          <OutcomeBadge outcome="not_built" /> The log of {date} has not been built, so there is nothing to reconcile.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="day-heading">
      <h2 id="day-heading">
        {formatBroadcastDate(date)} <OutcomeBadge outcome={report.state} description={report.stateText} />
      </h2>
      <p className={report.overdue ? 'exception exception-warning' : undefined} role={report.overdue ? 'status' : undefined}>
        {report.stateText}
      </p>
      <Counts counts={report.counts} />
      <p>
        <a href={`${csvBase}?date=${date}`} download>
          Download the day as CSV
        </a>{' '}
        · <Link to={`/stations/${station.slug}/logs/${date}`}>The day’s log</Link>
      </p>
      <h3>Entries</h3>
      <div className="table-scroll">
        <table className="entries reconciliation-entries">
          <thead>
            <tr>
              <th scope="col">Scheduled</th>
              <th scope="col">Type</th>
              <th scope="col">Title</th>
              <th scope="col">Campaign</th>
              <th scope="col">Result</th>
              <th scope="col">What played</th>
            </tr>
          </thead>
          <tbody>
            {report.entries.map((e) => (
              <tr key={e.entryId}>
                <td>
                  <time dateTime={e.scheduledAt}>{e.scheduledTime}</time>
                </td>
                <td>
                  <span className={`type type-${e.type}`}>{e.type}</span>
                </td>
                <td>
                  {e.title}
                  {e.artist ? <span className="muted"> — {e.artist}</span> : null}
                </td>
                <td>
                  {e.campaign ? `${e.campaign.advertiser}: ${e.campaign.name}` : ''}
                  {e.makeGoodOf ? <span className="tag">make-good</span> : null}
                </td>
                <td>
                  <OutcomeBadge outcome={e.outcome} description={e.description} /> {e.description}
                </td>
                <td>
                  {e.played ? (
                    <>
                      <time dateTime={e.played.at}>{e.played.time}</time> {e.played.title ?? ''}
                      {e.played.artist ? <span className="muted"> — {e.played.artist}</span> : null} <span className="muted">({e.played.source})</span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Unscheduled plays</h3>
      {report.unscheduled.length === 0 ? (
        <p className="muted">Every play of the day was an entry’s.</p>
      ) : (
        <div className="table-scroll">
          <table className="entries reconciliation-unscheduled">
            <thead>
              <tr>
                <th scope="col">Played</th>
                <th scope="col">Title</th>
                <th scope="col">Source</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {report.unscheduled.map((u) => (
                <tr key={`${u.at}-${u.title ?? ''}`}>
                  <td>
                    <time dateTime={u.at}>{u.time}</time>
                  </td>
                  <td>
                    {u.title ?? ''}
                    {u.artist ? <span className="muted"> — {u.artist}</span> : null}
                  </td>
                  <td>{u.source}</td>
                  <td>{u.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Campaigns</h3>
      <CampaignTotals campaigns={report.campaigns} />
    </section>
  );
}

function Period({ data, csvBase }: { data: Extract<Loaded, { kind: 'period' }>; csvBase: string }) {
  const { report, station } = data;
  const query = `from=${report.from}&to=${report.to}`;
  return (
    <section aria-labelledby="period-heading">
      <h2 id="period-heading">
        {formatBroadcastDate(report.from)} to {formatBroadcastDate(report.to)}
      </h2>
      <Counts counts={report.counts} />
      <p>
        <a href={`${csvBase}?${query}`} download>
          Download the days as CSV
        </a>{' '}
        ·{' '}
        <a href={`${csvBase}?${query}&rows=campaigns`} download>
          Download the campaigns as CSV
        </a>
      </p>
      <h3>Days</h3>
      <div className="table-scroll">
        <table className="days reconciliation-days">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">State</th>
              <th scope="col">Entries</th>
              <th scope="col">Aired</th>
              <th scope="col">Cut short</th>
              <th scope="col">Substituted</th>
              <th scope="col">Moved</th>
              <th scope="col">Missed</th>
              <th scope="col">Not due</th>
              <th scope="col">Unscheduled</th>
            </tr>
          </thead>
          <tbody>
            {report.days.map((d) => (
              <tr key={d.date}>
                <td>
                  <Link to={`/stations/${station.slug}/reconciliation?date=${d.date}`}>{formatBroadcastDate(d.date)}</Link>
                </td>
                <td>
                  <OutcomeBadge outcome={d.state} description={d.deadline ? `Due by ${d.deadline}` : undefined} />
                  {d.overdue ? <span className="exception exception-warning"> overdue</span> : null}
                </td>
                <td>{d.counts.entries}</td>
                <td>{d.counts.aired}</td>
                <td>{d.counts.aired_partially}</td>
                <td>{d.counts.substituted}</td>
                <td>{d.counts.moved}</td>
                <td>{d.counts.missed}</td>
                <td>{d.counts.not_due}</td>
                <td>{d.counts.unscheduled}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Campaigns over the period</h3>
      <CampaignTotals campaigns={report.campaigns} />
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const said = isRouteErrorResponse(error) && typeof error.data === 'string' && error.data ? error.data : null;
  return (
    <section className="error-panel" role="alert">
      <h1>Reconciliation</h1>
      <p>{isRouteErrorResponse(error) && (error.status === 404 || error.status === 403) ? (said ?? 'There is no such station.') : 'LibreLog could not show the reconciliation. Check that the API is running, then try again in a moment.'}</p>
    </section>
  );
}
