// Dayparts: named spans of the broadcast week (morning drive, Mon–Fri 06:00–10:00). Programming
// (and admin) add, change and delete them; a daypart still in use is refused with its users.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { DeleteButton } from '../components/delete-button.js';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { deleteThrough } from '../lib/delete.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, type FieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Dayparts · LibreLog' }];

interface Daypart {
  id: string;
  name: string;
  days: string[];
  start: string;
  end: string;
}

const DAYS = [
  ['mon', 'Mon'],
  ['tue', 'Tue'],
  ['wed', 'Wed'],
  ['thu', 'Thu'],
  ['fri', 'Fri'],
  ['sat', 'Sat'],
  ['sun', 'Sun'],
] as const;

/** "Mon–Fri", "Sat, Sun", "every day". */
export function daysText(days: string[]): string {
  if (days.length === 7) return 'every day';
  const idx = DAYS.map(([d]) => d as string).filter((d) => days.includes(d)).map((d) => DAYS.findIndex(([x]) => x === d));
  const runs: [number, number][] = [];
  for (const i of idx) {
    const last = runs.at(-1);
    if (last && i === last[1] + 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs.map(([a, b]) => (a === b ? DAYS[a]![1] : b === a + 1 ? `${DAYS[a]![1]}, ${DAYS[b]![1]}` : `${DAYS[a]![1]}–${DAYS[b]![1]}`)).join(', ');
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const dayparts = await api<Daypart[]>(request, `/stations/${encodeURIComponent(String(params.station))}/dayparts`);
  return { dayparts, mayChange: mayAny(await rolesAt(request, params.station), ['programming']) };
}

interface Values {
  name: string;
  days: string[];
  start: string;
  end: string;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = text(form, 'intent');
  const id = text(form, 'id');
  const base = `/stations/${encodeURIComponent(String(params.station))}/dayparts`;
  if (intent === 'delete') {
    const result = await deleteThrough(request, `${base}/${encodeURIComponent(id)}`, id);
    return { id, values: null as Values | null, errors: {} as FieldErrors, message: result.deleted ? 'Deleted.' : null, refused: result.refused };
  }
  const values: Values = { name: text(form, 'name').trim(), days: form.getAll('days').map(String), start: text(form, 'start'), end: text(form, 'end') };
  const errors: FieldErrors = {};
  if (!values.name) errors.name = 'Give the daypart a name.';
  if (!values.days.length) errors.days = 'Tick the days it starts on.';
  if (!/^\d\d:\d\d$/.test(values.start)) errors.start = 'When it starts, HH:MM.';
  if (!/^\d\d:\d\d$/.test(values.end)) errors.end = 'When it ends, HH:MM (00:00 is midnight at the end of the day).';
  if (Object.keys(errors).length) return { id, values, errors, message: 'Not saved: see the fields marked.', refused: null };
  try {
    if (id) await api(request, `${base}/${encodeURIComponent(id)}`, { method: 'PATCH', body: values });
    else await api(request, base, { method: 'POST', body: values });
    return { id, values: null, errors: {}, message: `Saved ${values.name}.`, refused: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { id, values, errors: fieldErrors(error.problem), message: error.problem.detail ?? error.problem.title, refused: null };
  }
}

function DaypartForm({ daypart, result }: { daypart?: Daypart; result: ReturnType<typeof useActionData<typeof action>> }) {
  const busy = useNavigation().state !== 'idle';
  const mine = result && result.id === (daypart?.id ?? '') && !result.refused;
  const values: Values | undefined = (mine && result.values) || daypart;
  const errors: FieldErrors = mine ? result.errors : {};
  const prefix = daypart?.id ?? 'new';
  return (
    <Form method="post" noValidate className="daypart-form" aria-label={daypart ? `Change ${daypart.name}` : 'New daypart'}>
      <input type="hidden" name="id" value={daypart?.id ?? ''} />
      <div className="field-row">
        <Field name={`${prefix}-name`} label="Name" error={errors.name}>
          {(attrs) => <input {...attrs} name="name" defaultValue={values?.name ?? ''} maxLength={100} />}
        </Field>
        <Field name={`${prefix}-start`} label="Starts" error={errors.start}>
          {(attrs) => <input {...attrs} name="start" type="time" defaultValue={values?.start ?? ''} />}
        </Field>
        <Field name={`${prefix}-end`} label="Ends" error={errors.end} hint="Before the start: runs past midnight.">
          {(attrs) => <input {...attrs} name="end" type="time" defaultValue={values?.end === '24:00' ? '00:00' : (values?.end ?? '')} />}
        </Field>
      </div>
      <fieldset className="choices" aria-describedby={errors.days ? `${prefix}-days-error` : undefined}>
        <legend>Days it starts on</legend>
        {DAYS.map(([value, label]) => (
          <label key={value} className="choice">
            <input type="checkbox" name="days" value={value} defaultChecked={values?.days.includes(value) ?? false} /> {label}
          </label>
        ))}
        {errors.days ? (
          <p id={`${prefix}-days-error`} className="field-error">
            {errors.days}
          </p>
        ) : null}
      </fieldset>
      <button type="submit" name="intent" value="save" disabled={busy}>
        {daypart ? 'Save' : 'Add daypart'}
      </button>
      {mine && result.message ? (
        <p className={Object.keys(result.errors).length || result.values ? 'problem' : 'notice'} role="status">
          {result.message}
        </p>
      ) : null}
    </Form>
  );
}

export default function Dayparts() {
  const { dayparts, mayChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const station = useParams().station ?? '';
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/stations/${station}/programming`}>Programming</Link>
      </p>
      <h1>Dayparts</h1>
      {result?.message === 'Deleted.' ? (
        <p className="notice" role="status">
          Deleted.
        </p>
      ) : null}
      {dayparts.length === 0 ? <p className="empty">No dayparts yet.</p> : null}
      <ul className="dayparts">
        {dayparts.map((d) => {
          const summary = (
            <>
              {d.name}{' '}
              <span className="muted">
                {daysText(d.days)} {d.start}–{d.end}
              </span>
            </>
          );
          return (
            <li key={d.id}>
              {mayChange ? (
                <details open={result?.id === d.id && (Boolean(result.refused) || Boolean(result.values))}>
                  <summary>{summary}</summary>
                  <DaypartForm daypart={d} result={result} />
                  <DeleteButton id={d.id} name={d.name} what="daypart" refused={result?.id === d.id ? result.refused : null} />
                </details>
              ) : (
                summary
              )}
            </li>
          );
        })}
      </ul>
      {mayChange ? (
        <>
          <h2>New daypart</h2>
          <DaypartForm result={result} />
        </>
      ) : null}
    </>
  );
}
