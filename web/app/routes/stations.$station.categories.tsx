// Categories: labels on PSA and ADV tracks (health, arts, auto) that clocks, advertisers and
// campaigns ask for. Programming (and admin) add, rename and delete them; a category still in
// use is refused with its users.
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

export const meta: MetaFunction = () => [{ title: 'Categories · LibreLog' }];

interface Category {
  id: string;
  code: string;
  name: string;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const categories = await api<Category[]>(request, `/stations/${encodeURIComponent(String(params.station))}/categories`);
  return { categories, mayChange: mayAny(await rolesAt(request, params.station), ['programming']) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = text(form, 'intent');
  const id = text(form, 'id');
  const base = `/stations/${encodeURIComponent(String(params.station))}/categories`;
  const values = { code: text(form, 'code').trim(), name: text(form, 'name').trim() };
  if (intent === 'delete') {
    const result = await deleteThrough(request, `${base}/${encodeURIComponent(id)}`, id);
    return { id, values: null as typeof values | null, errors: {} as FieldErrors, message: result.deleted ? 'Deleted.' : null, refused: result.refused };
  }
  const errors: FieldErrors = {};
  if (!id && !/^[a-z0-9][a-z0-9_-]*$/.test(values.code)) errors.code = 'A short code in small letters, digits, - or _ (e.g. health).';
  if (id && !values.name) errors.name = 'Give the category a name.';
  if (Object.keys(errors).length) return { id, values, errors, message: 'Not saved: see the fields marked.', refused: null };
  try {
    if (id) await api(request, `${base}/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name: values.name } });
    else await api(request, base, { method: 'POST', body: { code: values.code, ...(values.name && { name: values.name }) } });
    return { id, values: null, errors: {}, message: `Saved ${values.name || values.code}.`, refused: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { id, values, errors: fieldErrors(error.problem), message: error.problem.detail ?? error.problem.title, refused: null };
  }
}

function Outcome({ result, id }: { result: ReturnType<typeof useActionData<typeof action>>; id: string }) {
  if (!result || result.id !== id || result.refused || !result.message) return null;
  return (
    <p className={Object.keys(result.errors).length || result.values ? 'problem' : 'notice'} role="status">
      {result.message}
    </p>
  );
}

export default function Categories() {
  const { categories, mayChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const station = useParams().station ?? '';
  const busy = useNavigation().state !== 'idle';
  const errorsFor = (id: string): FieldErrors => (result && result.id === id ? result.errors : {});
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/stations/${station}/programming`}>Programming</Link>
      </p>
      <h1>Categories</h1>
      {categories.length === 0 ? <p className="empty">No categories yet.</p> : null}
      <ul className="categories">
        {categories.map((c) => (
          <li key={c.id}>
            {mayChange ? (
              <details open={result?.id === c.id && Boolean(result.refused ?? result.values)}>
                <summary>
                  {c.name} <span className="muted">{c.code}</span>
                </summary>
                <Form method="post" noValidate className="inline-form" aria-label={`Rename ${c.code}`}>
                  <input type="hidden" name="id" value={c.id} />
                  <Field name={`${c.id}-name`} label="Name" error={errorsFor(c.id).name} hint="The code stays: clocks, tracks and bundles name it.">
                    {(attrs) => <input {...attrs} name="name" defaultValue={c.name} maxLength={200} />}
                  </Field>
                  <button type="submit" name="intent" value="rename" disabled={busy}>
                    Rename
                  </button>
                </Form>
                <Outcome result={result} id={c.id} />
                <DeleteButton id={c.id} name={c.code} what="category" refused={result?.id === c.id ? result.refused : null} />
              </details>
            ) : (
              <>
                {c.name} <span className="muted">{c.code}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      {result?.message === 'Deleted.' ? (
        <p className="notice" role="status">
          Deleted.
        </p>
      ) : null}
      {mayChange ? (
        <Form method="post" noValidate className="inline-form" aria-label="New category">
          <input type="hidden" name="id" value="" />
          <Field name="new-code" label="New category code" error={errorsFor('').code}>
            {(attrs) => <input {...attrs} name="code" placeholder="e.g. arts" maxLength={64} />}
          </Field>
          <Field name="new-name" label="Name" error={errorsFor('').name} hint="Defaults to the code.">
            {(attrs) => <input {...attrs} name="name" maxLength={200} />}
          </Field>
          <button type="submit" name="intent" value="create" disabled={busy}>
            Add category
          </button>
          <Outcome result={result} id="" />
        </Form>
      ) : null}
    </>
  );
}
