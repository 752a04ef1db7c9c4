// One music rule set: genres and moods chosen from the library's own, tempo and energy ranges,
// the dayparts it is meant for and its artist and title separation — with the count of songs
// the rules on screen allow now, kept up to date as they change. Programming (and admin) save
// and delete; everyone else reads.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { DeleteButton } from '../components/delete-button.js';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { deleteThrough } from '../lib/delete.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, type FieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { readRuleSetForm } from '../lib/rule-set-form.js';
import { requireSignedIn } from '../lib/session.server.js';
import type { RuleSet } from './stations.$station.rule-sets._index.js';
import type { RuleSetPreview } from './stations.$station.rule-sets.preview.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.ruleSet.name ?? 'Rule set'} · LibreLog` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const station = encodeURIComponent(String(params.station));
  const ruleSet = await api<RuleSet>(request, `/stations/${station}/rule-sets/${encodeURIComponent(String(params.ruleSetId))}`);
  const { genres, moods, bpm, energy, dayparts } = ruleSet;
  const [preview, allDayparts] = await Promise.all([
    api<RuleSetPreview>(request, `/stations/${station}/rule-sets/preview`, { method: 'POST', body: { genres, moods, bpm, energy, dayparts } }),
    api<{ name: string; days: string[]; start: string; end: string }[]>(request, `/stations/${station}/dayparts`),
  ]);
  return { ruleSet, preview, dayparts: allDayparts, mayChange: mayAny(await rolesAt(request, params.station), ['programming']) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const station = encodeURIComponent(String(params.station));
  const path = `/stations/${station}/rule-sets/${encodeURIComponent(String(params.ruleSetId))}`;
  if (text(form, 'intent') === 'delete') {
    const result = await deleteThrough(request, path, String(params.ruleSetId));
    if (result.deleted) throw redirect(`/stations/${station}/rule-sets`);
    return { ok: false, message: null as string | null, errors: {} as FieldErrors, refused: result.refused };
  }
  const { body, errors } = readRuleSetForm(form);
  if (Object.keys(errors).length) return { ok: false, message: 'The rule set was not saved: see the fields marked.', errors, refused: null };
  try {
    await api(request, path, { method: 'PATCH', body, headers: { 'If-Match': `"${text(form, 'version')}"` } });
    return { ok: true, message: 'Saved.', errors: {}, refused: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const message = error.problem.status === 412 ? 'Someone changed this rule set since you opened it; reload to see their change.' : (error.problem.detail ?? error.problem.title);
    return { ok: false, message, errors: fieldErrors(error.problem), refused: null };
  }
}

/** Boxes for each value to choose from, those already chosen first among them. */
function Choices(props: { name: string; legend: string; values: string[]; chosen: string[]; error?: string | undefined; hint?: string }) {
  const values = [...new Set([...props.chosen, ...props.values])];
  return (
    <fieldset className="choices" aria-describedby={props.error ? `${props.name}-error` : undefined}>
      <legend>{props.legend}</legend>
      {values.length === 0 ? <p className="muted">None in the library yet.</p> : null}
      {values.map((value) => (
        <label key={value} className="choice">
          <input type="checkbox" name={props.name} value={value} defaultChecked={props.chosen.includes(value)} /> {value}
        </label>
      ))}
      {props.hint ? <p className="muted hint">{props.hint}</p> : null}
      {props.error ? (
        <p id={`${props.name}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

function Range(props: { name: 'bpm' | 'energy'; label: string; range: { min: number | null; max: number | null }; min: number; max: number; error?: string | undefined }) {
  return (
    <fieldset className="range" aria-describedby={props.error ? `${props.name}-error` : undefined}>
      <legend>{props.label}</legend>
      <label>
        from <input type="number" name={`${props.name}Min`} min={props.min} max={props.max} defaultValue={props.range.min ?? ''} aria-invalid={Boolean(props.error)} />
      </label>{' '}
      <label>
        to <input type="number" name={`${props.name}Max`} min={props.min} max={props.max} defaultValue={props.range.max ?? ''} aria-invalid={Boolean(props.error)} />
      </label>
      <p className="muted hint">Empty: no bound. A song without a {props.name === 'bpm' ? 'tempo' : 'energy'} fails a bound.</p>
      {props.error ? (
        <p id={`${props.name}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

export default function RuleSetEditor() {
  const { ruleSet, preview, dayparts, mayChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const station = useParams().station ?? '';
  const busy = useNavigation().state !== 'idle';
  const errors = result?.errors ?? {};
  const form = useRef<HTMLFormElement>(null);
  // The count follows the boxes on screen, a moment after the last change.
  const live = useFetcher<RuleSetPreview | { problem: string }>();
  const [changed, setChanged] = useState(0);
  useEffect(() => {
    if (!changed || !form.current) return;
    const data = new FormData(form.current);
    const timer = setTimeout(() => live.submit(data, { method: 'post', action: `/stations/${station}/rule-sets/preview` }), 400);
    return () => clearTimeout(timer);
    // live.submit is stable; each change is what matters.
  }, [changed]);
  // After a save the saved rule set is what the count is about.
  useEffect(() => setChanged(0), [ruleSet.version]);
  const shown = changed && live.data ? live.data : preview;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/stations/${station}/programming`}>Programming</Link> › <Link to={`/stations/${station}/rule-sets`}>Music rule sets</Link>
      </p>
      <h1>Rule set: {ruleSet.name}</h1>
      <div className="rule-set-editor">
        <Form method="post" ref={form} noValidate onChange={() => setChanged((n) => n + 1)} aria-label={`Rules of ${ruleSet.name}`}>
          <input type="hidden" name="version" value={ruleSet.version} />
          <fieldset disabled={!mayChange} className="plain">
            <Field name="name" label="Name" error={errors.name}>
              {(attrs) => <input {...attrs} defaultValue={ruleSet.name} maxLength={200} required />}
            </Field>
            <Choices name="genres" legend="Genres" values={preview.genres} chosen={ruleSet.genres} error={errors.genres} hint="None ticked: any genre." />
            <Choices name="moods" legend="Moods" values={preview.moods} chosen={ruleSet.moods} error={errors.moods} hint="None ticked: any mood." />
            <div className="field-row">
              <Range name="bpm" label="Tempo (bpm)" range={ruleSet.bpm} min={20} max={300} error={errors.bpm} />
              <Range name="energy" label="Energy (1 calm … 10 peak)" range={ruleSet.energy} min={1} max={10} error={errors.energy} />
            </div>
            <Choices name="dayparts" legend="Dayparts it is meant for" values={dayparts.map((d) => d.name)} chosen={ruleSet.dayparts} error={errors.dayparts} hint="None ticked: any time. Songs kept to other dayparts are not counted." />
            <div className="field-row">
              <Field name="artistSeparationMinutes" label="Same artist again after (minutes)" error={errors.artistSeparationMinutes}>
                {(attrs) => <input {...attrs} type="number" min={0} max={10080} defaultValue={ruleSet.artistSeparationMinutes} />}
              </Field>
              <Field name="titleSeparationHours" label="Same song again after (hours)" error={errors.titleSeparationHours}>
                {(attrs) => <input {...attrs} type="number" min={0} max={720} defaultValue={ruleSet.titleSeparationHours} />}
              </Field>
            </div>
          </fieldset>
          {mayChange ? (
            <button type="submit" name="intent" value="save" disabled={busy}>
              Save rule set
            </button>
          ) : null}
          {result?.message ? (
            <p className={result.ok ? 'notice' : 'problem'} role="status">
              {result.message}
            </p>
          ) : null}
        </Form>
        <aside className="song-count-panel" aria-live="polite" aria-busy={live.state !== 'idle'}>
          <h2>Songs it allows now</h2>
          {'problem' in shown ? (
            <p className="problem">{shown.problem}</p>
          ) : (
            <>
              <p className={shown.songs === 0 ? 'song-count-big none' : 'song-count-big'}>
                <strong>{shown.songs}</strong> of {shown.library} songs
              </p>
              {shown.songs === 0 ? <p className="problem">No song fits: the log would relax these rules every time (and say so in its exceptions).</p> : null}
              {shown.sample.length ? (
                <ul className="song-sample">
                  {shown.sample.map((s) => (
                    <li key={s.id}>
                      {s.title} <span className="muted">{s.artist ?? ''}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {shown.songs > shown.sample.length ? <p className="muted">…and {shown.songs - shown.sample.length} more.</p> : null}
            </>
          )}
          {changed ? <p className="muted">As on screen, not saved yet.</p> : null}
        </aside>
      </div>
      {mayChange ? <DeleteButton id={ruleSet.id} name={ruleSet.name} what="music rule set" refused={result?.refused} /> : null}
    </>
  );
}
