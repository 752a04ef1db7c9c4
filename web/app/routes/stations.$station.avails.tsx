// Avails and sell-out (docs/avails.md): for the next 4–8 weeks, each day's ADV avails per
// daypart — free of how many, how many sold, and how full in words and colour (the colour only
// repeats the words) — week by week, with the week's totals, and a chart of sold and free by
// day. What a sales person needs to sell the next flight. Any role at the station.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useLoaderData, useNavigation, useRouteError } from '@remix-run/react';
import type { AvailsCounts, AvailsReport, SellOutLevel } from '../../../domain/avails.js';
import { isCalendarDate } from '../../../domain/calendar-date.js';
import { AvailsChart } from '../components/avails-chart.js';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { formatBroadcastDate } from '../lib/format.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Avails · LibreLog' }];

export const WEEK_CHOICES = [4, 5, 6, 7, 8] as const;
const DEFAULT_WEEKS = 6;

type Report = AvailsReport & { station: { slug: string; name: string; timezone: string }; today: string };
type Problems = Partial<Record<'from' | 'weeks', string>>;

/** Each level in words; the colour (styles.css, avails block) only repeats them. */
export const LEVEL_WORDS: Record<SellOutLevel, string> = {
  none: 'No avails',
  open: 'Open',
  selling: 'Selling',
  tight: 'Nearly sold out',
  sold_out: 'Sold out',
  oversold: 'Oversold',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const url = new URL(request.url);
  const asked = { from: url.searchParams.get('from')?.trim() ?? '', weeks: url.searchParams.get('weeks')?.trim() ?? '' };
  const problems: Problems = {};
  if (asked.from && !isCalendarDate(asked.from)) problems.from = 'Choose the first day.';
  const weeks = asked.weeks ? Number(asked.weeks) : DEFAULT_WEEKS;
  if (!(WEEK_CHOICES as readonly number[]).includes(weeks)) problems.weeks = `Choose ${WEEK_CHOICES[0]} to ${WEEK_CHOICES.at(-1)} weeks.`;

  const station = await api<{ slug: string; name: string; timezone: string }>(request, `/stations/${slug}`);
  let report: Report | null = null;
  if (Object.keys(problems).length === 0) {
    const query = new URLSearchParams({ weeks: String(weeks) });
    if (asked.from) query.set('from', asked.from);
    try {
      report = await api<Report>(request, `/stations/${slug}/avails?${query.toString()}`);
    } catch (thrown) {
      // A past day (or one too far ahead) is said next to its field.
      if (!(thrown instanceof ApiError && thrown.problem.status === 400)) throw thrown;
      for (const e of thrown.problem.errors ?? []) {
        const field = e.path.replace(/^query\./, '');
        if (field === 'from' || field === 'weeks') problems[field] ??= `This ${field === 'from' ? 'day' : 'number of weeks'} ${e.message}.`;
      }
      if (!problems.from && !problems.weeks) problems.from = thrown.problem.detail ?? thrown.problem.title;
    }
  }
  return { station, asked: { from: asked.from || report?.from || '', weeks }, problems, report };
}

/** "12 free of 24" as the cell shows it: free / avails, then sold, then the level in words. */
function Cell({ counts }: { counts: AvailsCounts }) {
  if (counts.avails === 0 && counts.sold === 0) {
    return (
      <td className="avails-cell avails-level-none">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">no avails</span>
      </td>
    );
  }
  return (
    <td className={`avails-cell avails-level-${counts.level}`}>
      <span className="avails-free">
        {counts.free}
        <span className="visually-hidden"> free of</span>
        <span aria-hidden="true"> / </span>
        {counts.avails}
      </span>
      <span className="avails-sold">
        {counts.sold} sold{counts.makeGoods ? ` (${counts.makeGoods} make-good${counts.makeGoods === 1 ? '' : 's'})` : ''}
      </span>
      <span className="avails-level">
        {counts.level === 'oversold' ? `Oversold by ${counts.oversold}` : LEVEL_WORDS[counts.level]}
        {counts.sellOutPercent !== null && counts.level !== 'oversold' ? ` · ${counts.sellOutPercent}%` : ''}
      </span>
    </td>
  );
}

function Legend() {
  const shown: SellOutLevel[] = ['open', 'selling', 'tight', 'sold_out', 'oversold'];
  return (
    <ul className="avails-legend" aria-label="Sell-out levels">
      {shown.map((level) => (
        <li key={level} className={`avails-cell avails-level-${level}`}>
          {LEVEL_WORDS[level]}
          <span className="muted">
            {level === 'open' ? ' — under half sold' : level === 'selling' ? ' — half or more' : level === 'tight' ? ' — 85% or more' : level === 'sold_out' ? ' — every avail' : ' — more ordered than there are avails'}
          </span>
        </li>
      ))}
    </ul>
  );
}

export default function AvailsPage() {
  const { station, asked, problems, report } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === 'loading' && navigation.location.pathname === `/stations/${station.slug}/avails`;
  const days = report ? report.weeks.flatMap((w) => w.days) : [];
  return (
    <>
      <h1>Avails</h1>
      <p className="muted">
        The ADV avails of {station.name} for the weeks ahead, by day and daypart: how many are free of how many, and how many are sold. Days whose log is built count what the log placed; the
        others are projected from the clocks and the orders in flight.
      </p>
      <Form method="get" className="inline-form filters">
        <Field label="From" name="from" error={problems.from}>
          {(props) => <input {...props} type="date" defaultValue={asked.from} min={report?.today} />}
        </Field>
        <Field label="Weeks" name="weeks" error={problems.weeks}>
          {(props) => (
            <select {...props} defaultValue={String(asked.weeks)}>
              {WEEK_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {n} weeks
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">Show the avails</button>
      </Form>
      <div aria-busy={loading} aria-live="polite" className={loading ? 'avails-results loading' : 'avails-results'}>
        {loading ? <p className="muted">Loading the avails…</p> : null}
        {!report ? (
          <p className="muted">Correct the form above to see the avails.</p>
        ) : report.total.avails === 0 && report.total.sold === 0 ? (
          <section className="empty-state">
            <h2>No avails in these weeks</h2>
            <p>
              The clocks of these weeks have no ADV elements. Add a break to the <Link to={`/stations/${station.slug}/clocks`}>clocks</Link> and give them hours in the{' '}
              <Link to={`/stations/${station.slug}/grid`}>grid</Link>.
            </p>
          </section>
        ) : (
          <>
            <p className="avails-summary">
              {formatBroadcastDate(report.from)} – {formatBroadcastDate(report.to)}: <strong>{report.total.free}</strong> free of {report.total.avails} avails, {report.total.sold} sold
              {report.total.sellOutPercent !== null ? ` (${report.total.sellOutPercent}% sold out)` : ''}
              {report.total.oversold ? `, ${report.total.oversold} ordered beyond the avails` : ''}.
              {report.makeGoods.owed ? ` ${report.makeGoods.owed} make-good${report.makeGoods.owed === 1 ? '' : 's'} owed, ${report.makeGoods.placed} of them counted in these weeks.` : ''}
            </p>
            {report.daypartsOverlap ? <p className="notice">Some hours are in more than one daypart: their avails count in each, so the dayparts add up to more than the day.</p> : null}
            <Legend />
            <AvailsChart days={days.map((d) => ({ date: d.date, label: formatBroadcastDate(d.date).replace(/^(\w+), \w+ /, '$1 '), avails: d.total.avails, sold: d.total.sold, free: d.total.free, oversold: d.total.oversold }))} />
            {report.weeks.map((week) => (
              <section key={week.startsOn} className="avails-week" aria-labelledby={`week-${week.startsOn}`}>
                <h2 id={`week-${week.startsOn}`}>
                  Week of {formatBroadcastDate(week.startsOn)} – {formatBroadcastDate(week.endsOn)}
                </h2>
                <div className="table-scroll">
                  <table className="avails-table">
                    <caption className="visually-hidden">
                      Avails from {week.startsOn} to {week.endsOn}: free of avails, sold and sell-out for each day and daypart
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Day</th>
                        {report.dayparts.map((d) => (
                          <th scope="col" key={d.id ?? 'other'}>
                            {d.name}
                          </th>
                        ))}
                        <th scope="col">Day total</th>
                      </tr>
                    </thead>
                    <tbody>
                      {week.days.map((d) => (
                        <tr key={d.date}>
                          <th scope="row">
                            {d.state === 'built' ? <Link to={`/stations/${station.slug}/logs/${d.date}`}>{formatBroadcastDate(d.date)}</Link> : formatBroadcastDate(d.date)}
                            <span className={`avails-state avails-state-${d.state}`}>{d.state === 'built' ? 'Built' : 'Projected'}</span>
                            {d.hours !== 24 ? <span className="muted"> {d.hours} hours (DST)</span> : null}
                          </th>
                          {d.dayparts.map((c) => (
                            <Cell key={c.daypartId ?? 'other'} counts={c} />
                          ))}
                          <Cell counts={d.total} />
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">Week</th>
                        {week.dayparts.map((c) => (
                          <Cell key={c.daypartId ?? 'other'} counts={c} />
                        ))}
                        <Cell counts={week.total} />
                      </tr>
                    </tfoot>
                  </table>
                </div>
              </section>
            ))}
          </>
        )}
      </div>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const said = isRouteErrorResponse(error) && typeof error.data === 'string' && error.data ? error.data : null;
  return (
    <section className="error-panel" role="alert">
      <h1>Avails</h1>
      <p>{isRouteErrorResponse(error) && (error.status === 404 || error.status === 403) ? (said ?? 'There is no such station.') : 'LibreLog could not show the avails. Check that the API is running, then try again in a moment.'}</p>
      <p>
        <Link to="/">Back to the stations</Link>
      </p>
    </section>
  );
}
