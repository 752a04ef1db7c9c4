// Advertisers: who buys airtime, with their contact; traffic (and admin) add and change them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { DeleteButton } from '../components/delete-button.js';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { deleteThrough } from '../lib/delete.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, type FieldErrors } from '../lib/problems.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Advertisers · LibreLog' }];

interface Advertiser {
  id: string;
  name: string;
  category: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
}

const FIELDS = ['name', 'category', 'contactName', 'email', 'phone'] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const [advertisers, categories] = await Promise.all([api<Advertiser[]>(request, `/stations/${slug}/advertisers`), api<{ code: string; name: string }[]>(request, `/stations/${slug}/categories`)]);
  return { advertisers, categories, mayEdit: mayAny(await rolesAt(request, params.station), ['traffic']) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  if (text(form, 'intent') === 'delete') {
    const id = text(form, 'id');
    const deleted = await deleteThrough(request, `/stations/${encodeURIComponent(String(params.station))}/advertisers/${encodeURIComponent(id)}`, id);
    return { id, values: null, errors: {} as FieldErrors, message: deleted.deleted ? 'Deleted.' : null, refused: deleted.refused };
  }
  const id = text(form, 'advertiserId');
  const values = Object.fromEntries(FIELDS.map((f) => [f, text(form, f).trim()])) as Record<(typeof FIELDS)[number], string>;
  const errors: FieldErrors = {};
  if (!values.name) errors.name = 'Give the advertiser a name.';
  if (Object.keys(errors).length) return { id, values, errors, message: null as string | null };
  // Empty optional fields are cleared (null), as the API takes them.
  const body = { name: values.name, ...Object.fromEntries(FIELDS.filter((f) => f !== 'name').map((f) => [f, values[f] || null])) };
  const base = `/stations/${encodeURIComponent(String(params.station))}/advertisers`;
  try {
    if (id) await api(request, `${base}/${encodeURIComponent(id)}`, { method: 'PATCH', body });
    else await api(request, base, { method: 'POST', body });
    return { id, values: null, errors: {}, message: `Saved ${values.name}.` };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { id, values, errors: fieldErrors(error.problem), message: error.problem.detail ?? error.problem.title };
  }
}

function AdvertiserForm({ advertiser, categories, result }: { advertiser?: Advertiser; categories: { code: string; name: string }[]; result: ReturnType<typeof useActionData<typeof action>> }) {
  const busy = useNavigation().state !== 'idle';
  const mine = result && result.id === (advertiser?.id ?? '');
  const values: Partial<Record<(typeof FIELDS)[number], string | null>> | undefined = (mine && result.values) || advertiser;
  const errors: FieldErrors = mine ? result.errors : {};
  const prefix = advertiser?.id ?? 'new';
  return (
    <Form method="post" noValidate className="advertiser-form" aria-label={advertiser ? `Change ${advertiser.name}` : 'New advertiser'}>
      <input type="hidden" name="advertiserId" value={advertiser?.id ?? ''} />
      <div className="field-row">
        <Field name={`${prefix}-name`} label="Name" error={errors.name}>
          {(attrs) => <input {...attrs} name="name" defaultValue={values?.name ?? ''} maxLength={200} />}
        </Field>
        <Field name={`${prefix}-category`} label="Product category" error={errors.category} hint="Two advertisers of one category are kept apart in a break.">
          {(attrs) => (
            <select {...attrs} name="category" defaultValue={values?.category ?? ''}>
              <option value="">none</option>
              {categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field name={`${prefix}-contactName`} label="Contact" error={errors.contactName}>
          {(attrs) => <input {...attrs} name="contactName" defaultValue={values?.contactName ?? ''} />}
        </Field>
        <Field name={`${prefix}-email`} label="Email" error={errors.email}>
          {(attrs) => <input {...attrs} name="email" type="email" defaultValue={values?.email ?? ''} />}
        </Field>
        <Field name={`${prefix}-phone`} label="Phone" error={errors.phone}>
          {(attrs) => <input {...attrs} name="phone" type="tel" defaultValue={values?.phone ?? ''} />}
        </Field>
      </div>
      <button type="submit" disabled={busy}>
        {advertiser ? 'Save' : 'Add advertiser'}
      </button>
      {mine && result.message ? (
        <p className={Object.keys(result.errors).length || result.values ? 'problem' : 'notice'} role="status">
          {result.message}
        </p>
      ) : null}
    </Form>
  );
}

export default function Advertisers() {
  const { advertisers, categories, mayEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Advertisers</h1>
      {result && 'refused' in result && result.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {advertisers.length === 0 ? <p className="empty">No advertisers yet.</p> : null}
      <ul className="advertisers">
        {advertisers.map((a) => (
          <li key={a.id}>
            {mayEdit ? (
              <details>
                <summary>
                  {a.name} <span className="muted">{[a.category, a.contactName, a.email].filter(Boolean).join(' · ')}</span>
                </summary>
                <AdvertiserForm advertiser={a} categories={categories} result={result} />
                <DeleteButton id={a.id} name={a.name} what="advertiser" refused={result && 'refused' in result && result.id === a.id ? result.refused : null} />
              </details>
            ) : (
              <>
                {a.name} <span className="muted">{[a.category, a.contactName, a.email].filter(Boolean).join(' · ')}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      {mayEdit ? (
        <>
          <h2>New advertiser</h2>
          <AdvertiserForm categories={categories} result={result} />
        </>
      ) : null}
    </>
  );
}
