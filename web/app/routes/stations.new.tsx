// A new station, for the install's owners: its name, the slug that names its workflows and
// addresses (it cannot change later), its timezone (every IANA zone this server knows) and where
// approved logs go. The API makes the station and its daily build schedule; its refusals are
// shown next to their fields. Then on to the station's settings, to carry on setting it up.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, type FieldErrors } from '../lib/problems.js';
import { whoAmI } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'New station · LibreLog' }];

const ONLY_OWNERS = 'Only the install’s owners add stations. Ask an owner to add yours and give you a role there.';
/** api/spec/stations.yaml NewStation.slug */
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PLAYOUT = [
  ['file', 'Files', 'Approved logs are written as files (LibreTime JSON, Rivendell and others) for playout to pick up.'],
  ['libretime', 'LibreTime', 'Approved logs are scheduled in LibreTime; connect it on the Connections tab next.'],
] as const;
type Playout = (typeof PLAYOUT)[number][0];

interface Values {
  name: string;
  slug: string;
  timezone: string;
  playoutTarget: Playout;
}

/** A slug from a name: "KXYZ 91.5 FM" → "kxyz-91-5-fm". */
function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

const timezones = () => Intl.supportedValuesOf('timeZone');

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await whoAmI(request);
  if (!me.owner) throw new Response(ONLY_OWNERS, { status: 403, statusText: 'Forbidden' });
  return { timezones: timezones() };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const playout = text(form, 'playoutTarget');
  const values: Values = {
    name: text(form, 'name').trim(),
    slug: text(form, 'slug').trim(),
    timezone: text(form, 'timezone'),
    playoutTarget: playout === 'libretime' ? 'libretime' : 'file',
  };
  // Said before asking the API, in the words of the form.
  const errors: FieldErrors = {};
  if (!values.name) errors.name = 'Give the station a name.';
  else if (values.name.length > 200) errors.name = 'At most 200 characters.';
  if (!values.slug) errors.slug = 'Give the station a slug.';
  else if (!SLUG.test(values.slug)) errors.slug = 'Lower-case letters, digits and dashes only, starting with a letter or digit, at most 63.';
  if (!values.timezone) errors.timezone = 'Choose the station’s timezone.';
  else if (!timezones().includes(values.timezone)) errors.timezone = `"${values.timezone}" is not a timezone this server knows.`;
  if (Object.keys(errors).length) return { values, errors, message: 'The station needs a look: see the fields marked.' };
  try {
    await api(request, '/stations', { method: 'POST', body: values });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const said = fieldErrors(error.problem);
    // The slug taken is a 409 naming body.slug; an unknown zone a 400 naming body.timezone.
    return { values, errors: said, message: error.problem.detail ?? error.problem.title };
  }
  return redirect(`/stations/${values.slug}/settings/station?created=1`);
}

export default function NewStation() {
  const { timezones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const errors: FieldErrors = result?.errors ?? {};
  const [name, setName] = useState(result?.values.name ?? '');
  const [slug, setSlug] = useState(result?.values.slug ?? '');
  // The slug follows the name until someone types one of their own.
  const [slugTyped, setSlugTyped] = useState(Boolean(result?.values.slug));
  const playout = result?.values.playoutTarget ?? 'file';
  return (
    <section className="new-station" aria-labelledby="new-station-title">
      <p>
        <Link to="/">← Stations</Link>
      </p>
      <h1 id="new-station-title">New station</h1>
      <p className="muted">
        A station has its own timezone, library, clocks, grid, campaigns and playout. After this you choose how its logs are built and approved, its details for the reports, and its
        connections.
      </p>
      {result?.message ? (
        <p className="problem" role="alert">
          {result.message}
        </p>
      ) : null}
      <Form method="post" noValidate className="station-form">
        <Field name="name" label="Name" error={errors.name} hint="As people at the station say it, e.g. “KXYZ 91.5 FM”.">
          {(attrs) => (
            <input
              {...attrs}
              value={name}
              maxLength={200}
              autoComplete="off"
              required
              onChange={(e) => {
                setName(e.currentTarget.value);
                if (!slugTyped) setSlug(slugOf(e.currentTarget.value));
              }}
            />
          )}
        </Field>
        <Field name="slug" label="Slug" error={errors.slug} hint="In the station's addresses and workflow ids: lower-case letters, digits and dashes. It cannot change later.">
          {(attrs) => (
            <input
              {...attrs}
              value={slug}
              maxLength={63}
              pattern="[a-z0-9][a-z0-9\-]{0,62}"
              autoComplete="off"
              spellCheck={false}
              required
              onChange={(e) => {
                setSlug(e.currentTarget.value);
                setSlugTyped(e.currentTarget.value !== '');
              }}
            />
          )}
        </Field>
        <Field name="timezone" label="Timezone" error={errors.timezone} hint="The station's broadcast days and hours are in this zone.">
          {(attrs) => (
            <select {...attrs} defaultValue={result?.values.timezone ?? ''} required>
              <option value="">Choose…</option>
              {timezones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="playout-choice" aria-describedby={errors.playoutTarget ? 'field-playoutTarget-error' : undefined}>
          <legend>Where approved logs go</legend>
          {PLAYOUT.map(([value, label, hint]) => (
            <div key={value} className="check">
              <input id={`playout-${value}`} type="radio" name="playoutTarget" value={value} defaultChecked={playout === value} aria-describedby={`playout-${value}-hint`} />{' '}
              <label htmlFor={`playout-${value}`}>{label}</label>
              <p id={`playout-${value}-hint`} className="muted hint">
                {hint}
              </p>
            </div>
          ))}
          {errors.playoutTarget ? (
            <p id="field-playoutTarget-error" className="field-error">
              {errors.playoutTarget}
            </p>
          ) : null}
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Adding the station…' : 'Add the station'}
          </button>
        </div>
      </Form>
    </section>
  );
}
