// Station details: the station's identity as the royalty and compliance reports print it — call
// letters, frequency and band, market and community of license, country, how SoundExchange and
// BMI know it, the contact for report headers and who signs. The station's admin changes them;
// everyone at the station sees them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field } from '../components/field.js';
import { SettingsTabs } from '../components/settings-tabs.js';
import { api, ApiError, type ApiProblem } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import type { FieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';
import type { StationIdentity } from '../../../domain/station-identity.js';

export const meta: MetaFunction = () => [{ title: 'Station details · LibreLog' }];

/** The form's fields: the identity's own, then the contact's and the signer's, flattened. */
const SCALARS = ['callLetters', 'frequency', 'band', 'market', 'communityOfLicense', 'country', 'serviceName', 'transmissionCategory', 'bmiStationId', 'musicFormat'] as const;
const CONTACT = ['name', 'street', 'city', 'region', 'postalCode', 'phone', 'email'] as const;
const SIGNER = ['name', 'title'] as const;
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const FIELDS = [...SCALARS, ...CONTACT.map((k) => `contact${capital(k)}`), ...SIGNER.map((k) => `signer${capital(k)}`)] as const;
type Values = Record<string, string>;

const BANDS = [
  ['AM', 'AM'],
  ['FM', 'FM'],
  ['online', 'Online only'],
] as const;
const CATEGORIES = [
  ['A', 'A — non-subscription webcast'],
  ['B', 'B — simulcast of a broadcast'],
  ['C', 'C — non-music programming'],
  ['H', 'H — new subscription service: webcast'],
  ['I', 'I — new subscription service: simulcast'],
  ['J', 'J — new subscription service: non-music'],
  ['K', 'K — business establishment'],
] as const;

interface StationView {
  slug: string;
  name: string;
  version: number;
  identity: StationIdentity;
}

/** The identity as the form shows it: every field a string, empty where not set. */
function valuesOf(identity: StationIdentity): Values {
  return {
    ...Object.fromEntries(SCALARS.map((k) => [k, identity[k] ?? ''])),
    ...Object.fromEntries(CONTACT.map((k) => [`contact${capital(k)}`, identity.contact[k] ?? ''])),
    ...Object.fromEntries(SIGNER.map((k) => [`signer${capital(k)}`, identity.signer[k] ?? ''])),
  };
}

/** The form as the API takes it: empty fields cleared (null); call letters and country in capitals. */
function identityOf(values: Values) {
  const value = (name: string) => values[name] || null;
  const upper = (name: string) => value(name)?.toUpperCase() ?? null;
  return {
    ...Object.fromEntries(SCALARS.map((k) => [k, value(k)])),
    callLetters: upper('callLetters'),
    country: upper('country'),
    contact: Object.fromEntries(CONTACT.map((k) => [k, value(`contact${capital(k)}`)])),
    signer: Object.fromEntries(SIGNER.map((k) => [k, value(`signer${capital(k)}`)])),
  };
}

/** "body.identity.contact.email" → "contactEmail"; "body.identity.country" → "country"; the first message per field. */
function identityErrors(problem: ApiProblem): FieldErrors {
  const errors: FieldErrors = {};
  for (const e of problem.errors ?? []) {
    const [part, sub] = e.path.replace(/^body\.identity\.?/, '').split('.');
    const field = part && sub ? `${part}${capital(sub)}` : part || 'form';
    errors[FIELDS.includes(field as (typeof FIELDS)[number]) ? field : 'form'] ??= e.message;
  }
  return errors;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const station = await api<StationView>(request, `/stations/${encodeURIComponent(String(params.station))}`);
  return { station: { slug: station.slug, name: station.name, version: station.version }, values: valuesOf(station.identity), mayEdit: mayAny(await rolesAt(request, params.station), []) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const values: Values = Object.fromEntries(FIELDS.map((f) => [f, text(form, f).trim()]));
  const version = text(form, 'version');
  try {
    const station = await api<StationView>(request, `/stations/${encodeURIComponent(String(params.station))}`, {
      method: 'PATCH',
      body: { identity: identityOf(values) },
      ...(/^\d+$/.test(version) && { headers: { 'If-Match': `"${version}"` } }),
    });
    return { ok: true, values: valuesOf(station.identity), version: station.version, errors: {} as FieldErrors, message: 'Saved. The reports use these from now on.' };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { status } = error.problem;
    const message =
      status === 412
        ? 'Someone changed the station since you opened this page: reload it to see their change, then make yours again.'
        : status === 403
          ? 'Only the station’s admin may change its details.'
          : (error.problem.detail ?? error.problem.title);
    return { ok: false, values, version: null, errors: status === 400 ? identityErrors(error.problem) : {}, message };
  }
}

export default function StationSettings() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const values = result?.values ?? loaded.values;
  const errors: FieldErrors = result?.errors ?? {};
  const version = result?.version ?? loaded.station.version;
  const input = (name: string, label: string, props: { hint?: string; maxLength?: number; placeholder?: string; type?: string; autoComplete?: string } = {}) => (
    <Field name={name} label={label} error={errors[name]} {...(props.hint !== undefined && { hint: props.hint })}>
      {(attrs) => (
        <input {...attrs} name={name} defaultValue={values[name] ?? ''} type={props.type ?? 'text'} maxLength={props.maxLength ?? 200} placeholder={props.placeholder} autoComplete={props.autoComplete ?? 'off'} />
      )}
    </Field>
  );
  const select = (name: string, label: string, options: readonly (readonly [string, string])[], hint?: string) => (
    <Field name={name} label={label} error={errors[name]} {...(hint !== undefined && { hint })}>
      {(attrs) => (
        <select {...attrs} name={name} defaultValue={values[name] ?? ''}>
          <option value="">not set</option>
          {options.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <h1>Station details</h1>
      <SettingsTabs station={loaded.station.slug} />
      <p className="muted">What the royalty and compliance reports and the affidavits print of {loaded.station.name}. A report that needs a detail left blank says so before you download it.</p>
      {!loaded.mayEdit ? (
        <p className="notice" role="status">
          Only the station’s admin may change these.
        </p>
      ) : null}
      {result ? (
        <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
          {errors.form ? ` ${errors.form}` : ''}
        </p>
      ) : null}
      <Form method="post" noValidate aria-label="Station details" key={version}>
        <input type="hidden" name="version" value={version} />
        <fieldset disabled={!loaded.mayEdit || busy}>
          <legend>On air</legend>
          <div className="field-row">
            {input('callLetters', 'Call letters', { maxLength: 20, placeholder: 'KXYZ-FM', hint: 'As the legal ID says them; the reports’ file names use them.' })}
            {input('frequency', 'Frequency', { maxLength: 32, placeholder: '91.5 MHz' })}
            {select('band', 'Band', BANDS)}
          </div>
          <div className="field-row">
            {input('market', 'Market', { placeholder: 'Phoenix, AZ', hint: 'Printed on affidavits.' })}
            {input('communityOfLicense', 'Community of license', { placeholder: 'Phoenix, Arizona' })}
            {input('country', 'Country', { maxLength: 2, placeholder: 'US', hint: 'Two letters: US, CA.' })}
          </div>
        </fieldset>
        <fieldset disabled={!loaded.mayEdit || busy}>
          <legend>Royalty reports</legend>
          <div className="field-row">
            {input('serviceName', 'SoundExchange service name', { hint: 'The NAME_OF_SERVICE SoundExchange knows the station by.' })}
            {select('transmissionCategory', 'SoundExchange transmission category', CATEGORIES)}
          </div>
          <div className="field-row">
            {input('bmiStationId', 'BMI station id', { maxLength: 25 })}
            {input('musicFormat', 'Music format', { maxLength: 25, placeholder: 'Variety', hint: 'As BMI asks for it.' })}
          </div>
        </fieldset>
        <fieldset disabled={!loaded.mayEdit || busy}>
          <legend>Contact for report headers</legend>
          <div className="field-row">
            {input('contactName', 'Name', { autoComplete: 'name' })}
            {input('contactPhone', 'Phone', { maxLength: 40, type: 'tel', autoComplete: 'tel' })}
            {input('contactEmail', 'E-mail', { maxLength: 320, type: 'email', autoComplete: 'email' })}
          </div>
          <div className="field-row">
            {input('contactStreet', 'Street', { autoComplete: 'street-address' })}
            {input('contactCity', 'City', { maxLength: 100 })}
            {input('contactRegion', 'State or province', { maxLength: 100 })}
            {input('contactPostalCode', 'Postal code', { maxLength: 20, autoComplete: 'postal-code' })}
          </div>
        </fieldset>
        <fieldset disabled={!loaded.mayEdit || busy}>
          <legend>Who signs</legend>
          <div className="field-row">
            {input('signerName', 'Name', { maxLength: 100 })}
            {input('signerTitle', 'Title', { maxLength: 100, placeholder: 'Station Manager' })}
          </div>
        </fieldset>
        {loaded.mayEdit ? (
          <button type="submit" disabled={busy}>
            Save
          </button>
        ) : null}
      </Form>
    </>
  );
}
