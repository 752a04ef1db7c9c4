// Connections: where the station's LibreTime and AzuraCast are, with their API keys (write-only:
// the page says whether a key is set, and offers to replace or remove it) and LibreTime's track
// types. "Test connection" asks the server with what the form holds, without saving, and shows
// each check's answer; "Save" keeps it (with the version read). The station's admin tests and
// changes them; everyone at the station sees them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useFetcher, useLoaderData } from '@remix-run/react';
import { Field } from '../components/field.js';
import { SettingsTabs } from '../components/settings-tabs.js';
import { api, ApiError, type ApiProblem } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import type { FieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';
import { TRACK_TYPE_NAMES, TRACK_TYPES } from '../../../domain/vocabulary.js';

export const meta: MetaFunction = () => [{ title: 'Connections · LibreLog' }];

type Service = 'libretime' | 'azuracast';
const NAMES: Record<Service, string> = { libretime: 'LibreTime', azuracast: 'AzuraCast' };
/** Empty rows offered under the track-type mapping for new codes. */
const BLANK_MAPPINGS = 3;

interface StationConnectionsView {
  slug: string;
  name: string;
  version: number;
  playoutTarget: 'file' | 'libretime';
  libretimeUrl: string | null;
  libretimeApiKeySet: boolean;
  libretimeTrackTypes: Record<string, string>;
  azuracastUrl: string | null;
  azuracastStationId: number | null;
  azuracastApiKeySet: boolean;
}

export interface ConnectionCheck {
  name: string;
  asked: string;
  ok: boolean;
  said: string;
}
interface ConnectionTest {
  ok: boolean;
  tested: { url: string; stationId?: number; key: 'given' | 'saved' | 'none' };
  checks: ConnectionCheck[];
}

interface Values {
  url: string;
  stationId: string;
  removeKey: boolean;
  mappings: [string, string][];
}

interface Answer {
  service: Service;
  intent: 'test' | 'save';
  ok: boolean;
  message: string;
  errors: FieldErrors;
  test: ConnectionTest | null;
  /** What the form held (never the key). */
  values: Values;
}

function connectionsOf(s: StationConnectionsView) {
  return {
    version: s.version,
    playoutTarget: s.playoutTarget,
    libretime: { url: s.libretimeUrl ?? '', keySet: s.libretimeApiKeySet, mappings: Object.entries(s.libretimeTrackTypes).sort(([a], [b]) => a.localeCompare(b)) },
    azuracast: { url: s.azuracastUrl ?? '', stationId: s.azuracastStationId === null ? '' : String(s.azuracastStationId), keySet: s.azuracastApiKeySet },
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const station = await api<StationConnectionsView>(request, `/stations/${encodeURIComponent(String(params.station))}`);
  return { station: { slug: station.slug, name: station.name }, connections: connectionsOf(station), mayEdit: mayAny(await rolesAt(request, params.station), []) };
}

/** The API's field paths → the form's field names ("body.url" of a test, "body.libretimeUrl" of a save → "url"). */
function connectionErrors(problem: ApiProblem, service: Service): FieldErrors {
  const errors: FieldErrors = {};
  const prefix = new RegExp(`^body\\.(${service})?`, 'i');
  for (const e of problem.errors ?? []) {
    const rest = e.path.replace(prefix, '').replace(/^\./, '');
    const field = /^url$/i.test(rest)
      ? 'url'
      : /^stationId$/i.test(rest)
        ? 'stationId'
        : /^apiKey$/i.test(rest)
          ? 'apiKey'
          : /^TrackTypes/i.test(rest) || /^libretimeTrackTypes/.test(e.path.replace(/^body\./, ''))
            ? 'mappings'
            : 'form';
    errors[field] ??= e.message;
  }
  return errors;
}

/** The track-type rows the form sent, blank rows left out; a code twice or an unknown type is said at the field. */
function mappingsOf(form: FormData): { mappings: [string, string][]; error: string | null } {
  const codes = form.getAll('trackTypeCode').map((v) => (typeof v === 'string' ? v.trim() : ''));
  const types = form.getAll('trackTypeType').map((v) => (typeof v === 'string' ? v : ''));
  const mappings: [string, string][] = [];
  let error: string | null = null;
  codes.forEach((code, i) => {
    const type = types[i] ?? '';
    if (code === '' && type === '') return;
    mappings.push([code, type]);
    if (code === '') error ??= `Row ${i + 1}: give LibreTime's track type code.`;
    else if (code.length > 16) error ??= `"${code}": LibreTime's codes are at most 16 characters.`;
    else if (!(TRACK_TYPES as readonly string[]).includes(type)) error ??= `"${code}": choose what it is in LibreLog.`;
    else if (mappings.filter(([c]) => c === code).length > 1) error ??= `"${code}" is mapped twice.`;
  });
  return { mappings, error };
}

export async function action({ request, params }: ActionFunctionArgs): Promise<Answer> {
  const form = await request.formData();
  const [intent, service] = text(form, 'intent').split('-') as ['test' | 'save', Service];
  if ((intent !== 'test' && intent !== 'save') || (service !== 'libretime' && service !== 'azuracast')) throw new Response('Unknown intent', { status: 400 });
  const station = encodeURIComponent(String(params.station));
  const url = text(form, 'url').trim();
  const apiKey = text(form, 'apiKey').trim();
  const removeKey = text(form, 'removeKey') === 'on';
  const stationIdText = text(form, 'stationId').trim();
  const { mappings, error: mappingError } = service === 'libretime' ? mappingsOf(form) : { mappings: [], error: null };
  const values: Values = { url, stationId: stationIdText, removeKey, mappings };
  const answer = (fields: Partial<Answer>): Answer => ({ service, intent, ok: false, message: '', errors: {}, test: null, values, ...fields });

  const stationId = stationIdText === '' ? undefined : Number(stationIdText);
  if (service === 'azuracast' && stationId !== undefined && !(Number.isInteger(stationId) && stationId >= 1)) {
    return answer({ errors: { stationId: 'must be a whole number, 1 or more (the number in the station’s address in AzuraCast)' }, message: 'Check the station id.' });
  }

  if (intent === 'test') {
    try {
      const test = await api<ConnectionTest>(request, `/stations/${station}/connections/${service}/test`, {
        method: 'POST',
        body: { ...(url && { url }), ...(apiKey && { apiKey }), ...(service === 'azuracast' && stationId !== undefined && { stationId }) },
      });
      const keyWords = { given: 'the key you typed', saved: 'the saved key', none: 'no key' }[test.tested.key];
      return answer({
        ok: test.ok,
        test,
        message: `${test.ok ? 'Every check passed' : 'Not every check passed'}: ${test.tested.url}${test.tested.stationId ? `, station ${test.tested.stationId}` : ''}, with ${keyWords}. Nothing was saved.`,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return answer({ errors: connectionErrors(error.problem, service), message: error.problem.detail ?? error.problem.title });
    }
  }

  if (mappingError) return answer({ errors: { mappings: mappingError }, message: 'Check the track types.' });
  const version = text(form, 'version');
  const key = apiKey ? apiKey : removeKey ? null : undefined;
  const body =
    service === 'libretime'
      ? { libretimeUrl: url || null, libretimeTrackTypes: Object.fromEntries(mappings), ...(key !== undefined && { libretimeApiKey: key }) }
      : { azuracastUrl: url || null, azuracastStationId: stationId ?? null, ...(key !== undefined && { azuracastApiKey: key }) };
  try {
    await api<StationConnectionsView>(request, `/stations/${station}`, { method: 'PATCH', body, ...(/^\d+$/.test(version) && { headers: { 'If-Match': `"${version}"` } }) });
    return answer({ ok: true, values: { ...values, removeKey: false }, message: `Saved the ${NAMES[service]} connection.` });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { status } = error.problem;
    const message =
      status === 412
        ? 'Someone else changed the station since you opened this page: reload it to see their change, then make yours again.'
        : status === 403
          ? 'Only the station’s admin may change its connections.'
          : (error.problem.detail ?? error.problem.title);
    return answer({ errors: status === 400 ? connectionErrors(error.problem, service) : {}, message });
  }
}

export default function ConnectionsPage() {
  const { station, connections, mayEdit } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Connections</h1>
      <SettingsTabs station={station.slug} />
      <p className="muted">
        Where {station.name}’s playout and stream are. Approved logs go to {connections.playoutTarget === 'libretime' ? 'LibreTime' : 'a file'} (the playout target is under Settings). API keys are never shown once saved.
      </p>
      {!mayEdit ? (
        <p className="notice" role="status">
          Only the station’s admin may test or change these.
        </p>
      ) : null}
      <ConnectionForm service="libretime" version={connections.version} mayEdit={mayEdit} url={connections.libretime.url} keySet={connections.libretime.keySet} mappings={connections.libretime.mappings} />
      <ConnectionForm service="azuracast" version={connections.version} mayEdit={mayEdit} url={connections.azuracast.url} keySet={connections.azuracast.keySet} stationId={connections.azuracast.stationId} />
    </>
  );
}

function ConnectionForm(props: { service: Service; version: number; mayEdit: boolean; url: string; keySet: boolean; stationId?: string; mappings?: [string, string][] }) {
  const { service, mayEdit } = props;
  const fetcher = useFetcher<typeof action>({ key: `connection-${service}` });
  const busy = fetcher.state !== 'idle';
  const sent = fetcher.formData?.get('intent');
  const submitting = busy && typeof sent === 'string' ? sent : '';
  const answer = fetcher.data?.service === service ? fetcher.data : undefined;
  const errors: FieldErrors = answer?.errors ?? {};
  // After a save the loader's values are the saved ones; after a test or a refusal, what was typed.
  const values = answer && !(answer.intent === 'save' && answer.ok) ? answer.values : { url: props.url, stationId: props.stationId ?? '', removeKey: false, mappings: props.mappings ?? [] };
  const name = NAMES[service];
  const mappingRows: [string, string][] = [...values.mappings, ...Array.from({ length: BLANK_MAPPINGS }, (): [string, string] => ['', ''])];
  const formKey = `${service}-${props.version}-${answer ? `${answer.intent}-${String(answer.ok)}` : 'loaded'}`;
  return (
    <section aria-labelledby={`${service}-heading`} className="connection">
      <h2 id={`${service}-heading`}>{name}</h2>
      <fetcher.Form method="post" noValidate aria-label={`${name} connection`} key={formKey}>
        <input type="hidden" name="version" value={props.version} />
        <fieldset disabled={!mayEdit || busy}>
          <legend className="visually-hidden">{name} connection</legend>
          <div className="field-row">
            <Field name={`${service}-url`} label={`${name} address`} error={errors.url} hint={service === 'libretime' ? 'LibreTime’s own address, http:// or https://, without /api.' : 'AzuraCast’s address, http:// or https://, without /api.'}>
              {(attrs) => <input {...attrs} name="url" type="url" inputMode="url" defaultValue={values.url} maxLength={500} placeholder={`https://${service}.example.org`} autoComplete="off" />}
            </Field>
            {service === 'azuracast' ? (
              <Field name="azuracast-stationId" label="AzuraCast station id" error={errors.stationId} hint="The number in the station’s address in AzuraCast (…/station/1/…).">
                {(attrs) => <input {...attrs} name="stationId" type="number" min={1} step={1} inputMode="numeric" defaultValue={values.stationId} />}
              </Field>
            ) : null}
          </div>
          <div className="field-row">
            <Field
              name={`${service}-apiKey`}
              label={props.keySet ? 'Replace the API key' : 'API key'}
              error={errors.apiKey}
              hint={
                props.keySet
                  ? 'A key is set. Leave this empty to keep it; type a new key to replace it.'
                  : service === 'libretime'
                    ? 'No key is set. LibreTime’s general.api_key (config.yml).'
                    : 'No key is set. An API key from AzuraCast (My Account → API Keys) whose user may read the station’s reports.'
              }
            >
              {(attrs) => <input {...attrs} name="apiKey" type="password" autoComplete="new-password" maxLength={500} />}
            </Field>
            {props.keySet ? (
              <div className="field checkbox">
                <input id={`${service}-removeKey`} type="checkbox" name="removeKey" defaultChecked={values.removeKey} />
                <label htmlFor={`${service}-removeKey`}>Remove the key when saving</label>
              </div>
            ) : null}
          </div>
          {service === 'libretime' ? (
            <fieldset className="track-type-map" aria-describedby={`track-types-hint${errors.mappings ? ' track-types-error' : ''}`}>
              <legend>LibreTime track types</legend>
              <p id="track-types-hint" className="muted hint">
                What the library sync makes of LibreTime’s own track type codes. Common codes (MUS, AD, PSA, ID, PROMO, BED, VT …) need no row; a file without a track type is music.
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">LibreTime code</th>
                    <th scope="col">In LibreLog</th>
                  </tr>
                </thead>
                <tbody>
                  {mappingRows.map(([code, type], i) => (
                    <tr key={i}>
                      <td>
                        <input name="trackTypeCode" defaultValue={code} maxLength={16} aria-label={`LibreTime code, row ${i + 1}`} autoComplete="off" />
                      </td>
                      <td>
                        <select name="trackTypeType" defaultValue={type} aria-label={`LibreLog type, row ${i + 1}`}>
                          <option value="">—</option>
                          {TRACK_TYPES.map((t) => (
                            <option key={t} value={t}>
                              {TRACK_TYPE_NAMES[t]} ({t})
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {errors.mappings ? (
                <p id="track-types-error" className="field-error">
                  {errors.mappings}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          {mayEdit ? (
            <div className="actions">
              <button type="submit" name="intent" value={`test-${service}`} className="secondary">
                {submitting === `test-${service}` ? 'Testing…' : 'Test connection'}
              </button>
              <button type="submit" name="intent" value={`save-${service}`}>
                {submitting === `save-${service}` ? 'Saving…' : 'Save'}
              </button>
            </div>
          ) : null}
        </fieldset>
      </fetcher.Form>
      <div aria-live="polite">
        {answer ? (
          <p className={answer.ok ? 'notice' : 'problem'} role={answer.ok ? 'status' : 'alert'}>
            {answer.message}
            {errors.form ? ` ${errors.form}` : ''}
          </p>
        ) : null}
        {answer?.test ? <CheckList checks={answer.test.checks} /> : null}
      </div>
    </section>
  );
}

/** Each check with its result in words (the mark only repeats them), what was asked and what came back. */
function CheckList({ checks }: { checks: ConnectionCheck[] }) {
  return (
    <ol className="connection-checks" aria-label="What each check found">
      {checks.map((check) => (
        <li key={check.name} className={check.ok ? 'check-ok' : 'check-failed'}>
          <strong>
            <span aria-hidden="true">{check.ok ? '✓' : '✗'} </span>
            {check.name}: {check.ok ? 'passed' : 'failed'}
          </strong>
          <span className="said">{check.said}</span>
          <span className="muted asked">Asked: {check.asked}</span>
        </li>
      ))}
    </ol>
  );
}
