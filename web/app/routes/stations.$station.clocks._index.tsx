// Clocks: the station's hour templates, and a new one to build.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors } from '../lib/problems.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Clocks · LibreLog' }];

interface ClockSummary {
  id: string;
  name: string;
  hour: string | null;
  daypart: string | null;
  targetLength: number;
  elementCount: number;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const clocks = await api<ClockSummary[]>(request, `/stations/${encodeURIComponent(String(params.station))}/clocks`);
  return { clocks, mayChange: mayAny(await rolesAt(request, params.station), ['programming']) };
}

/** A new clock starts with a legal ID at the top and a music slot; the builder takes it from there. */
export async function action({ request, params }: ActionFunctionArgs) {
  const name = text(await request.formData(), 'name').trim();
  if (!name) return { error: 'Give the clock a name.' };
  const station = encodeURIComponent(String(params.station));
  try {
    const clock = await api<{ id: string }>(request, `/stations/${station}/clocks`, {
      method: 'POST',
      body: { name, elements: [{ type: 'LIN', title: 'Legal ID', start: { at: '00:00', kind: 'hard' } }, { type: 'MUS', count: 4 }] },
    });
    throw redirect(`/stations/${station}/clocks/${clock.id}`);
  } catch (error) {
    if (error instanceof ApiError) return { error: fieldErrors(error.problem).name ?? error.problem.detail ?? error.problem.title };
    throw error;
  }
}

export default function Clocks() {
  const { clocks, mayChange } = useLoaderData<typeof loader>();
  const station = useParams().station ?? '';
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Clocks</h1>
      {clocks.length === 0 ? <p className="empty">No clocks yet.</p> : null}
      <ul className="station-list">
        {clocks.map((c) => (
          <li key={c.id}>
            <Link to={`/stations/${station}/clocks/${c.id}`}>{c.name}</Link>{' '}
            <span className="muted">
              · {c.elementCount} elements{c.hour ? ` · written for ${c.hour}` : ''}
              {c.daypart ? ` · ${c.daypart}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {mayChange ? (
        <Form method="post" className="inline-form">
          <Field name="name" label="New clock" error={result?.error}>
            {(attrs) => <input {...attrs} placeholder="e.g. Weekend Mornings" maxLength={200} />}
          </Field>
          <button type="submit">Create clock</button>
        </Form>
      ) : null}
    </>
  );
}
