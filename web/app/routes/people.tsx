// People: everyone who signs in and the trusted apps (API clients) that get tokens, with the
// roles each holds at each station. The install's owners only: they add people and apps, change
// roles per station, rename, disable and enable, set a new password and make or unmake owners.
// The API decides and audits every change; its problems land next to the fields they name.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { UserRole } from '../../../domain/vocabulary.js';
import { Field } from '../components/field.js';
import { inZone, LocalTime } from '../components/local-time.js';
import { ROLE_LABELS, RoleMatrix, rolesFromForm, type StationChoice } from '../components/role-matrix.js';
import { api, ApiError, type ApiProblem } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, itemErrors, type FieldErrors } from '../lib/problems.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'People · LibreLog' }];

// A new client's secret is in this page's answer once: no cache keeps it.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

interface StationRoles {
  station: string;
  stationId: string;
  roles: UserRole[];
}

interface Person {
  id: string;
  email: string;
  name: string;
  owner: boolean;
  stations: StationRoles[];
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

interface TrustedApp {
  id: string;
  clientId: string;
  name: string;
  owner: boolean;
  stations: StationRoles[];
  disabled: boolean;
  createdAt: string;
}

const MIN_PASSWORD = 12;
const ONLY_OWNERS = 'Only the install’s owners manage people and trusted apps.';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const me = await api<{ id: string; owner: boolean }>(request, '/me');
  if (!me.owner) throw new Response(ONLY_OWNERS, { status: 403, statusText: 'Forbidden' });
  const [people, apps, stations] = await Promise.all([api<Person[]>(request, '/users'), api<TrustedApp[]>(request, '/api-clients'), api<StationChoice[]>(request, '/stations')]);
  const written = (iso: string | null) => (iso ? { iso, written: inZone(iso, 'UTC') } : null);
  return {
    meId: me.id,
    stations: stations.map(({ slug, name }) => ({ slug, name })).sort((a, b) => a.name.localeCompare(b.name)),
    people: people.map((p) => ({ ...p, lastSignIn: written(p.lastLoginAt) })),
    apps: apps.map((a) => ({ ...a, added: written(a.createdAt)! })),
  };
}

/** What the page keeps of a form that was refused, to show it again as it was typed (never a password). */
interface Typed {
  email?: string;
  name?: string;
  owner?: boolean;
  roles?: Record<string, UserRole[]>;
}

export interface Outcome {
  /** Which form answered: its intent, and whose it was ("person-roles:<id>"). */
  form: string;
  ok: boolean;
  message: string;
  errors: FieldErrors;
  /** A problem with a station's roles, by station slug. */
  stationErrors: Record<string, string>;
  typed?: Typed;
  /** A new trusted app's secret: in this answer only, never again. */
  secret?: { name: string; clientId: string; clientSecret: string };
  /** The person or app added, so the form starts empty again. */
  addedId?: string;
}

const LABELS: Record<string, string> = { email: 'Email', name: 'Name', password: 'Password', owner: 'Owner', stations: 'Roles' };

/** The API's words about a field, said as a sentence about that field. */
function inWords(field: string, message: string): string {
  if (field === 'email' && message === 'is taken') return 'Someone already signs in with this email.';
  if (field === 'email' && /format "email"/.test(message)) return 'This is not an email address.';
  if (message === 'names no station') return 'There is no such station any more; reload the page.';
  return `${LABELS[field] ?? 'This'} ${message}.`.replace(/\.\.$/, '.');
}

function refusedBy(problem: ApiProblem, form: string, sent: { station: string }[], typed?: Typed): Outcome {
  const errors = Object.fromEntries(Object.entries(fieldErrors(problem)).map(([field, message]) => [field, inWords(field, message)]));
  const stationErrors: Record<string, string> = {};
  for (const [index, message] of Object.entries(itemErrors(problem, 'stations'))) {
    const station = sent[Number(index)]?.station;
    if (station) stationErrors[station] = inWords('stations', message);
  }
  if (Object.keys(stationErrors).length) delete errors.stations;
  return { form, ok: false, message: problem.detail ?? problem.title, errors, stationErrors, ...(typed && { typed }) };
}

const rolesBySlug = (stations: { station: string; roles: UserRole[] }[]) => Object.fromEntries(stations.map((s) => [s.station, s.roles]));

export async function action({ request }: ActionFunctionArgs): Promise<Outcome> {
  const form = await request.formData();
  const intent = text(form, 'intent');
  const id = text(form, 'subject');
  const key = id ? `${intent}:${id}` : intent;
  const stations = rolesFromForm(form);
  const name = text(form, 'name').trim();
  const ok = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ form: key, ok: true, message, errors: {}, stationErrors: {}, ...extra });
  const notOk = (message: string, errors: FieldErrors, typed?: Typed): Outcome => ({ form: key, ok: false, message, errors, stationErrors: {}, ...(typed && { typed }) });
  let typed: Typed | undefined;
  const person = (changes: Record<string, unknown>) => api<Person>(request, `/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes });
  const app = (changes: Record<string, unknown>) => api<TrustedApp>(request, `/api-clients/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes });
  try {
    switch (intent) {
      case 'add-person': {
        const email = text(form, 'email').trim();
        const password = text(form, 'password');
        const owner = form.get('owner') === 'yes';
        typed = { email, name, owner, roles: rolesBySlug(stations) };
        const errors: FieldErrors = {};
        if (!email) errors.email = 'Give the email address they will sign in with.';
        if (!name) errors.name = 'Give their name, as the station knows them.';
        if (password.length < MIN_PASSWORD) errors.password = `A password needs at least ${MIN_PASSWORD} characters; a few words make a good one.`;
        if (Object.keys(errors).length) return notOk('Check the fields marked.', errors, typed);
        const added = await api<Person>(request, '/users', { method: 'POST', body: { email, name, password, owner, stations } });
        return ok(`Added ${added.name}: they sign in with ${added.email} and the password you gave them.`, { addedId: added.id });
      }
      case 'person-roles': {
        const changed = await person({ stations });
        return ok(changed.stations.length ? `Saved ${changed.name}’s roles.` : `${changed.name} now holds no role at any station.`);
      }
      case 'person-name': {
        if (!name) return notOk('Give a name.', { name: 'Give their name, as the station knows them.' });
        const changed = await person({ name });
        return ok(`Renamed to ${changed.name}.`);
      }
      case 'person-password': {
        const password = text(form, 'password');
        if (password.length < MIN_PASSWORD) return notOk('Check the new password.', { password: `A password needs at least ${MIN_PASSWORD} characters; a few words make a good one.` });
        const changed = await person({ password });
        return ok(`${changed.name} has a new password and has been signed out everywhere.`);
      }
      case 'person-owner': {
        const changed = await person({ owner: text(form, 'owner') === 'yes' });
        return ok(changed.owner ? `${changed.name} is now an owner.` : `${changed.name} is no longer an owner.`);
      }
      case 'person-disabled': {
        const changed = await person({ disabled: text(form, 'disabled') === 'yes' });
        return ok(changed.disabled ? `${changed.name} is disabled and has been signed out everywhere.` : `${changed.name} may sign in again.`);
      }
      case 'add-app': {
        const owner = form.get('owner') === 'yes';
        typed = { name, owner, roles: rolesBySlug(stations) };
        const errors: FieldErrors = {};
        if (!name) errors.name = 'Give the app a name, such as “LibreTime”.';
        if (!owner && stations.length === 0) errors.stations = 'Tick at least one role at a station (or make it an owner).';
        if (Object.keys(errors).length) return notOk('Check the fields marked.', errors, typed);
        const added = await api<TrustedApp & { clientSecret: string }>(request, '/api-clients', { method: 'POST', body: { name, owner, stations } });
        return ok(`Added ${added.name}.`, { addedId: added.id, secret: { name: added.name, clientId: added.clientId, clientSecret: added.clientSecret } });
      }
      case 'app-roles': {
        if (stations.length === 0) return notOk('A trusted app needs a role at a station at least.', { stations: 'Tick at least one role; to stop the app, disable it.' });
        const changed = await app({ stations });
        return ok(`Saved ${changed.name}’s roles.`);
      }
      case 'app-name': {
        if (!name) return notOk('Give a name.', { name: 'Give the app a name, such as “LibreTime”.' });
        const changed = await app({ name });
        return ok(`Renamed to ${changed.name}.`);
      }
      case 'app-disabled': {
        const changed = await app({ disabled: text(form, 'disabled') === 'yes' });
        return ok(changed.disabled ? `${changed.name} is disabled: its tokens stop working.` : `${changed.name} may get tokens again.`);
      }
      default:
        return notOk('This page does not know that form; reload it and try again.', {});
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return refusedBy(error.problem, key, stations, typed);
  }
}

/** The answer to one form, next to it: words for everyone, an alert when it was refused. */
function Said({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  return (
    <p className={outcome.ok ? 'notice' : 'problem'} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.message}
    </p>
  );
}

function useOutcome(form: string): Outcome | undefined {
  const outcome = useActionData<typeof action>();
  return outcome?.form === form ? outcome : undefined;
}

function rolesAtStations(stations: StationRoles[], names: Map<string, string>) {
  if (stations.length === 0) return <span className="muted">No role at any station</span>;
  return (
    <ul className="station-roles">
      {stations.map((s) => (
        <li key={s.station}>
          <strong>{names.get(s.station) ?? s.station}</strong>: {s.roles.map((r) => ROLE_LABELS[r].toLowerCase()).join(', ')}
        </li>
      ))}
    </ul>
  );
}

type LoadedPerson = ReturnType<typeof useLoaderData<typeof loader>>['people'][number];
type LoadedApp = ReturnType<typeof useLoaderData<typeof loader>>['apps'][number];

function PersonForms({ person, stations, me }: { person: LoadedPerson; stations: StationChoice[]; me: boolean }) {
  const busy = useNavigation().state !== 'idle';
  const roles = useOutcome(`person-roles:${person.id}`);
  const rename = useOutcome(`person-name:${person.id}`);
  const password = useOutcome(`person-password:${person.id}`);
  const owner = useOutcome(`person-owner:${person.id}`);
  const disabled = useOutcome(`person-disabled:${person.id}`);
  const answered = roles ?? rename ?? password ?? owner ?? disabled;
  const prefix = `person-${person.id}`;
  return (
    <details className="editor" open={answered ? true : undefined}>
      <summary>Change {person.name}’s access</summary>
      <div className="editor-forms">
        <Form method="post" className="editor-form" aria-label={`Roles of ${person.name}`}>
          <input type="hidden" name="intent" value="person-roles" />
          <input type="hidden" name="subject" value={person.id} />
          <RoleMatrix
            id={`${prefix}-roles`}
            legend={`${person.name}’s roles at each station`}
            stations={stations}
            held={rolesBySlug(person.stations)}
            errors={roles?.stationErrors}
            hint={person.owner ? `As an owner, ${person.name} holds every role at every station; these count if they stop being one.` : undefined}
          />
          <button type="submit" disabled={busy}>
            Save roles
          </button>
          <Said outcome={roles} />
        </Form>

        <Form method="post" className="editor-form" aria-label={`Rename ${person.name}`}>
          <input type="hidden" name="intent" value="person-name" />
          <input type="hidden" name="subject" value={person.id} />
          <Field name={`${prefix}-name`} label="Name" error={rename?.errors.name}>
            {(attrs) => <input {...attrs} name="name" defaultValue={person.name} maxLength={200} autoComplete="off" />}
          </Field>
          <button type="submit" className="secondary" disabled={busy}>
            Rename
          </button>
          <Said outcome={rename} />
        </Form>

        <Form method="post" className="editor-form" aria-label={`New password for ${person.name}`}>
          <input type="hidden" name="intent" value="person-password" />
          <input type="hidden" name="subject" value={person.id} />
          <Field
            name={`${prefix}-password`}
            label="New password"
            error={password?.errors.password}
            hint={`At least ${MIN_PASSWORD} characters. Setting it signs ${person.name} out everywhere — every browser and app — until they sign in with the new one.`}
          >
            {(attrs) => <input {...attrs} name="password" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} maxLength={1024} />}
          </Field>
          <button type="submit" className="secondary" disabled={busy}>
            Set new password and sign out everywhere
          </button>
          <Said outcome={password} />
        </Form>

        {me ? (
          <p className="muted">This is you: another owner can disable you or end your ownership, you cannot.</p>
        ) : (
          <div className="editor-buttons">
            <Form method="post" aria-label={person.owner ? `End ${person.name}’s ownership` : `Make ${person.name} an owner`}>
              <input type="hidden" name="intent" value="person-owner" />
              <input type="hidden" name="subject" value={person.id} />
              <input type="hidden" name="owner" value={person.owner ? 'no' : 'yes'} />
              <p className="muted hint">{person.owner ? 'Owners add stations and people and hold every role everywhere.' : 'An owner adds stations and people and holds every role at every station.'}</p>
              <button type="submit" className="secondary" disabled={busy}>
                {person.owner ? `${person.name} is no longer an owner` : `Make ${person.name} an owner`}
              </button>
              <Said outcome={owner} />
            </Form>
            <Form method="post" aria-label={person.disabled ? `Enable ${person.name}` : `Disable ${person.name}`}>
              <input type="hidden" name="intent" value="person-disabled" />
              <input type="hidden" name="subject" value={person.id} />
              <input type="hidden" name="disabled" value={person.disabled ? 'no' : 'yes'} />
              <p className="muted hint">{person.disabled ? `${person.name} cannot sign in.` : `Disabling signs ${person.name} out everywhere and stops them signing in; their roles stay for when they come back.`}</p>
              <button type="submit" className={person.disabled ? 'secondary' : 'danger'} disabled={busy}>
                {person.disabled ? `Enable ${person.name}` : `Disable ${person.name}`}
              </button>
              <Said outcome={disabled} />
            </Form>
          </div>
        )}
      </div>
    </details>
  );
}

function AddPerson({ stations }: { stations: StationChoice[] }) {
  const busy = useNavigation().state !== 'idle';
  const outcome = useOutcome('add-person');
  const typed = outcome && !outcome.ok ? outcome.typed : undefined;
  const errors = outcome?.errors ?? {};
  return (
    <Form method="post" noValidate className="add-form" aria-labelledby="add-person-title" key={outcome?.addedId ?? 'add-person'}>
      <h2 id="add-person-title">Add a person</h2>
      <input type="hidden" name="intent" value="add-person" />
      <div className="field-row">
        <Field name="new-person-email" label="Email" error={errors.email} hint="They sign in with it.">
          {(attrs) => <input {...attrs} name="email" type="email" autoComplete="off" defaultValue={typed?.email ?? ''} maxLength={320} />}
        </Field>
        <Field name="new-person-name" label="Name" error={errors.name}>
          {(attrs) => <input {...attrs} name="name" autoComplete="off" defaultValue={typed?.name ?? ''} maxLength={200} />}
        </Field>
        <Field name="new-person-password" label="Password" error={errors.password} hint={`At least ${MIN_PASSWORD} characters; give it to them in person or by phone.`}>
          {(attrs) => <input {...attrs} name="password" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} maxLength={1024} />}
        </Field>
      </div>
      <RoleMatrix id="new-person-roles" legend="Roles at each station" stations={stations} held={typed?.roles ?? {}} errors={outcome?.stationErrors} explain />
      <p className="check">
        <input type="checkbox" id="new-person-owner" name="owner" value="yes" defaultChecked={typed?.owner ?? false} aria-describedby="new-person-owner-hint" />{' '}
        <label htmlFor="new-person-owner">Owner of this install</label>
        <span id="new-person-owner-hint" className="muted hint">
          {' '}
          — adds stations and people, holds every role at every station.
        </span>
      </p>
      <button type="submit" disabled={busy}>
        Add person
      </button>
      <Said outcome={outcome} />
    </Form>
  );
}

function AppForms({ app, stations }: { app: LoadedApp; stations: StationChoice[] }) {
  const busy = useNavigation().state !== 'idle';
  const roles = useOutcome(`app-roles:${app.id}`);
  const rename = useOutcome(`app-name:${app.id}`);
  const disabled = useOutcome(`app-disabled:${app.id}`);
  const prefix = `app-${app.id}`;
  return (
    <details className="editor" open={(roles ?? rename ?? disabled) ? true : undefined}>
      <summary>Change {app.name}</summary>
      <div className="editor-forms">
        <Form method="post" className="editor-form" aria-label={`Roles of ${app.name}`}>
          <input type="hidden" name="intent" value="app-roles" />
          <input type="hidden" name="subject" value={app.id} />
          <RoleMatrix id={`${prefix}-roles`} legend={`${app.name}’s roles at each station`} stations={stations} held={rolesBySlug(app.stations)} errors={roles?.stationErrors} />
          {roles?.errors.stations ? <p className="field-error">{roles.errors.stations}</p> : null}
          <button type="submit" disabled={busy}>
            Save roles
          </button>
          <Said outcome={roles} />
        </Form>
        <Form method="post" className="editor-form" aria-label={`Rename ${app.name}`}>
          <input type="hidden" name="intent" value="app-name" />
          <input type="hidden" name="subject" value={app.id} />
          <Field name={`${prefix}-name`} label="Name" error={rename?.errors.name}>
            {(attrs) => <input {...attrs} name="name" defaultValue={app.name} maxLength={200} autoComplete="off" />}
          </Field>
          <button type="submit" className="secondary" disabled={busy}>
            Rename
          </button>
          <Said outcome={rename} />
        </Form>
        <Form method="post" className="editor-buttons" aria-label={app.disabled ? `Enable ${app.name}` : `Disable ${app.name}`}>
          <input type="hidden" name="intent" value="app-disabled" />
          <input type="hidden" name="subject" value={app.id} />
          <input type="hidden" name="disabled" value={app.disabled ? 'no' : 'yes'} />
          <p className="muted hint">{app.disabled ? `${app.name} gets no tokens.` : `Disabling stops ${app.name}: it gets no new tokens and the ones it holds stop working.`}</p>
          <button type="submit" className={app.disabled ? 'secondary' : 'danger'} disabled={busy}>
            {app.disabled ? `Enable ${app.name}` : `Disable ${app.name}`}
          </button>
          <Said outcome={disabled} />
        </Form>
      </div>
    </details>
  );
}

/** A new app's secret, once: said loudly, focused so a screen reader reads it, easy to select. */
function NewSecret({ secret }: { secret: NonNullable<Outcome['secret']> }) {
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.focus(), [secret.clientSecret]);
  return (
    <section className="secret" aria-labelledby="secret-title" tabIndex={-1} ref={panel}>
      <h3 id="secret-title">{secret.name}’s secret — copy it now</h3>
      <p role="alert">
        <strong>This secret will not be shown again.</strong> LibreLog keeps only a fingerprint of it. Put it in {secret.name}’s settings now; if it is lost, add the app again and disable this one.
      </p>
      <dl>
        <dt>Client id</dt>
        <dd>
          <code data-testid="new-client-id">{secret.clientId}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>
          <code className="secret-value" data-testid="new-client-secret">
            {secret.clientSecret}
          </code>
        </dd>
      </dl>
    </section>
  );
}

function AddApp({ stations }: { stations: StationChoice[] }) {
  const busy = useNavigation().state !== 'idle';
  const outcome = useOutcome('add-app');
  const typed = outcome && !outcome.ok ? outcome.typed : undefined;
  const errors = outcome?.errors ?? {};
  return (
    <Form method="post" noValidate className="add-form" aria-labelledby="add-app-title" key={outcome?.addedId ?? 'add-app'}>
      <h3 id="add-app-title">Add a trusted app</h3>
      <input type="hidden" name="intent" value="add-app" />
      <Field name="new-app-name" label="App name" error={errors.name} hint="Such as “LibreTime” or “Website schedule”.">
        {(attrs) => <input {...attrs} name="name" autoComplete="off" defaultValue={typed?.name ?? ''} maxLength={200} />}
      </Field>
      <RoleMatrix id="new-app-roles" legend="The app’s roles at each station" stations={stations} held={typed?.roles ?? {}} errors={outcome?.stationErrors} hint="Give an app only what it needs: playout reads with Viewer." />
      {errors.stations ? (
        <p className="field-error" id="new-app-stations-error">
          {errors.stations}
        </p>
      ) : null}
      <p className="check">
        <input type="checkbox" id="new-app-owner" name="owner" value="yes" defaultChecked={typed?.owner ?? false} aria-describedby="new-app-owner-hint" />{' '}
        <label htmlFor="new-app-owner">Owner of this install</label>
        <span id="new-app-owner-hint" className="muted hint">
          {' '}
          — may manage stations, people and apps; rarely what an app needs.
        </span>
      </p>
      <button type="submit" disabled={busy}>
        Add app and show its secret
      </button>
      <Said outcome={outcome} />
    </Form>
  );
}

export default function People() {
  const { meId, stations, people, apps } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const names = new Map(stations.map((s) => [s.slug, s.name]));
  return (
    <>
      <h1>People</h1>
      <p className="muted">
        Everyone who signs in, and the roles each holds at each station. Owners run the whole install: they add stations and people and hold every role everywhere.
      </p>
      {people.length === 0 ? (
        <p className="empty">Nobody signs in yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="People and their roles" tabIndex={0}>
          <table className="people">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Roles at each station</th>
                <th scope="col">Status</th>
                <th scope="col">Last signed in</th>
              </tr>
            </thead>
            {people.map((p) => (
              <tbody key={p.id} className={p.disabled ? 'disabled' : undefined}>
                <tr>
                  <th scope="row">
                    {p.name}
                    {p.id === meId ? <span className="tag">you</span> : null}
                    <span className="email muted">{p.email}</span>
                  </th>
                  <td>{p.owner ? <strong>Owner: every role at every station</strong> : rolesAtStations(p.stations, names)}</td>
                  <td>{p.disabled ? <span className="status status-failed">Disabled</span> : <span className="status">Active</span>}</td>
                  <td>{p.lastSignIn ? <LocalTime {...p.lastSignIn} /> : <span className="muted">never</span>}</td>
                </tr>
                <tr className="editor-row">
                  <td colSpan={4}>
                    <PersonForms person={p} stations={stations} me={p.id === meId} />
                  </td>
                </tr>
              </tbody>
            ))}
          </table>
        </div>
      )}
      <AddPerson stations={stations} />

      <h2 id="apps-title">Trusted apps</h2>
      <p className="muted">Apps such as LibreTime that sign in with a client id and secret instead of a password, with roles at stations like a person.</p>
      {outcome?.secret ? <NewSecret secret={outcome.secret} /> : null}
      {apps.length === 0 ? (
        <p className="empty">No trusted apps yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="apps-title" tabIndex={0}>
          <table className="people">
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Roles at each station</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            {apps.map((a) => (
              <tbody key={a.id} className={a.disabled ? 'disabled' : undefined}>
                <tr>
                  <th scope="row">
                    {a.name}
                    <code className="email muted">{a.clientId}</code>
                  </th>
                  <td>{a.owner ? <strong>Owner: every role at every station</strong> : rolesAtStations(a.stations, names)}</td>
                  <td>{a.disabled ? <span className="status status-failed">Disabled</span> : <span className="status">Active</span>}</td>
                  <td>
                    <LocalTime {...a.added} />
                  </td>
                </tr>
                <tr className="editor-row">
                  <td colSpan={4}>
                    <AppForms app={a} stations={stations} />
                  </td>
                </tr>
              </tbody>
            ))}
          </table>
        </div>
      )}
      <AddApp stations={stations} />
    </>
  );
}
