// The grid: which clock plays each hour of the week (7 × 24), and date overrides for the hours
// that differ on a given day (a holiday, a special). Programming edits; everyone reads. A new
// station's grid is empty: one clock can be put in every hour without one at once.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { useState } from 'react';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Grid · LibreLog' }];

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

interface Grid {
  weekly: { weekday: number; hour: number; clockId: string | null }[];
  overrides: { date: string; hour: number; clockId: string; note: string | null }[];
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const [grid, clocks] = await Promise.all([api<Grid>(request, `/stations/${slug}/grid`), api<{ id: string; name: string }[]>(request, `/stations/${slug}/clocks`)]);
  return { grid, clocks: clocks.map(({ id, name }) => ({ id, name })), mayEdit: mayAny(await rolesAt(request, params.station), ['programming']) };
}

/** Every hour of the week without a clock gets `clockId`; the hours with one and the overrides stay. */
async function fillEmptyHours(request: Request, station: string, clockId: string) {
  const path = `/stations/${encodeURIComponent(station)}/grid`;
  const grid = await api<Grid>(request, path);
  const weekly = grid.weekly.filter((w) => w.clockId);
  let filled = 0;
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const hour of HOURS) {
      if (weekly.some((w) => w.weekday === weekday && w.hour === hour)) continue;
      weekly.push({ weekday, hour, clockId });
      filled++;
    }
  }
  await api(request, path, { method: 'PUT', body: { weekly, overrides: grid.overrides.map(({ note, ...o }) => (note ? { ...o, note } : o)) } });
  return filled;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  if (text(form, 'intent') === 'fill') {
    const clockId = text(form, 'clockId');
    if (!clockId) return { ok: false, message: 'Choose the clock to put in the empty hours.' };
    try {
      const filled = await fillEmptyHours(request, String(params.station), clockId);
      return { ok: true, message: filled ? `Saved: ${filled} empty hour${filled === 1 ? '' : 's'} now play that clock.` : 'Every hour already had a clock: nothing changed.' };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { ok: false, message: error.problem.detail ?? error.problem.title };
    }
  }
  const weekly = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const hour of HOURS) {
      const clockId = text(form, `cell-${weekday}-${hour}`);
      if (clockId) weekly.push({ weekday, hour, clockId });
    }
  }
  const all = (name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v : ''));
  const dates = all('override-date');
  const overrides = dates
    .map((date, i) => ({ date, hour: Number(all('override-hour')[i]), clockId: all('override-clock')[i] ?? '', note: all('override-note')[i] ?? '' }))
    .filter((o) => o.date && o.clockId)
    .map(({ note, ...o }) => (note ? { ...o, note } : o));
  try {
    await api(request, `/stations/${encodeURIComponent(String(params.station))}/grid`, { method: 'PUT', body: { weekly, overrides } });
    return { ok: true, message: `Saved: ${weekly.length} of 168 hours have a clock, ${overrides.length} override(s).` };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const details = (error.problem.errors ?? []).map((e) => e.message).slice(0, 5);
    return { ok: false, message: [error.problem.detail ?? error.problem.title, ...details].join(' · ') };
  }
}

export default function GridPage() {
  const { grid, clocks, mayEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const [overrides, setOverrides] = useState(grid.overrides.map((o, i) => ({ ...o, key: i })));
  const { station } = useParams();
  const empty = 168 - grid.weekly.filter((w) => w.clockId).length;
  // After a fill the cells show the saved grid (their selects keep what they were first given).
  const filledKey = `hours-${168 - empty}`;
  const cell = (weekday: number, hour: number) => grid.weekly.find((w) => w.weekday === weekday && w.hour === hour)?.clockId ?? '';
  const clockOptions = (
    <>
      <option value="">—</option>
      {clocks.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </>
  );
  return (
    <>
      <h1>Grid</h1>
      <p className="muted">Which clock plays each hour of the week; an override changes one hour of one date.</p>
      {result ? (
        <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      {clocks.length === 0 ? (
        <p className="empty">
          No clocks yet: <Link to={`/stations/${station}/clocks`}>make a clock</Link> first, then put it in the hours it plays.
        </p>
      ) : mayEdit && empty > 0 ? (
        <Form method="post" className="grid-fill" aria-label="Fill the empty hours">
          <p className="muted">
            {empty === 168 ? 'No hour has a clock yet.' : `${empty} of 168 hours have no clock.`} Put one clock in all of them at once, then change single hours below.
          </p>
          <div className="field-row">
            <div className="field">
              <label htmlFor="fill-clock">Clock for the empty hours</label>
              <select id="fill-clock" name="clockId" defaultValue={clocks.length === 1 ? clocks[0]!.id : ''}>
                {clockOptions}
              </select>
            </div>
            <button type="submit" name="intent" value="fill" disabled={busy}>
              Fill {empty} empty hour{empty === 1 ? '' : 's'}
            </button>
          </div>
        </Form>
      ) : null}
      <Form method="post" key={filledKey}>
        <fieldset disabled={!mayEdit} className="plain">
          <div className="grid-scroll">
            <table className="grid">
              <caption className="visually-hidden">Clocks by weekday and hour</caption>
              <thead>
                <tr>
                  <th scope="col">Hour</th>
                  {WEEKDAYS.map((d) => (
                    <th key={d} scope="col">
                      {d.slice(0, 3)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {HOURS.map((hour) => (
                  <tr key={hour}>
                    <th scope="row">{hh(hour)}</th>
                    {WEEKDAYS.map((day, i) => (
                      <td key={day}>
                        <select name={`cell-${i + 1}-${hour}`} defaultValue={cell(i + 1, hour)} aria-label={`${day} ${hh(hour)}`}>
                          {clockOptions}
                        </select>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Date overrides</h2>
          {overrides.length === 0 ? <p className="muted">No overrides.</p> : null}
          <ul className="overrides">
            {overrides.map((o, i) => (
              <li key={o.key} className="field-row">
                <label>
                  Date <input type="date" name="override-date" defaultValue={o.date} required />
                </label>
                <label>
                  Hour{' '}
                  <select name="override-hour" defaultValue={o.hour}>
                    {HOURS.map((h) => (
                      <option key={h} value={h}>
                        {hh(h)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Clock{' '}
                  <select name="override-clock" defaultValue={o.clockId}>
                    {clockOptions}
                  </select>
                </label>
                <label>
                  Note <input name="override-note" defaultValue={o.note ?? ''} maxLength={500} />
                </label>
                <button type="button" className="secondary" onClick={() => setOverrides((all) => all.filter((_, j) => j !== i))} aria-label={`Remove the override of ${o.date || 'a new date'}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {mayEdit ? (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setOverrides((all) => [...all, { date: '', hour: 0, clockId: '', note: null, key: Date.now() }])}>
                Add an override
              </button>
              <button type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save the grid'}
              </button>
            </div>
          ) : null}
        </fieldset>
      </Form>
    </>
  );
}
