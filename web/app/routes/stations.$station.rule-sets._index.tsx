// Music rule sets ("smart blocks"): what each asks of a song and how many songs it allows now;
// programming (and admin) add one here and change it on its own page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';
import type { RuleSetPreview } from './stations.$station.rule-sets.preview.js';

export const meta: MetaFunction = () => [{ title: 'Music rule sets · LibreLog' }];

export interface RuleSet {
  id: string;
  name: string;
  genres: string[];
  moods: string[];
  bpm: { min: number | null; max: number | null };
  energy: { min: number | null; max: number | null };
  dayparts: string[];
  artistSeparationMinutes: number;
  titleSeparationHours: number;
  version: number;
}

/** "90–130", "from 90", "up to 130", or null for no bound. */
export const rangeText = (r: { min: number | null; max: number | null }) =>
  r.min !== null && r.max !== null ? `${r.min}–${r.max}` : r.min !== null ? `from ${r.min}` : r.max !== null ? `up to ${r.max}` : null;

export function criteriaText(rs: RuleSet): string {
  const bpm = rangeText(rs.bpm);
  const energy = rangeText(rs.energy);
  const parts = [rs.genres.length ? rs.genres.join(', ') : 'any genre', rs.moods.length ? rs.moods.join(', ') : null, bpm ? `${bpm} bpm` : null, energy ? `energy ${energy}` : null, rs.dayparts.length ? `in ${rs.dayparts.join(', ')}` : 'any time'];
  return parts.filter(Boolean).join(' · ');
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const station = encodeURIComponent(String(params.station));
  const ruleSets = await api<RuleSet[]>(request, `/stations/${station}/rule-sets`);
  // How many songs each allows now (one question per rule set; a station has a handful).
  const counts = await Promise.all(
    ruleSets.map(({ genres, moods, bpm, energy, dayparts }) => api<RuleSetPreview>(request, `/stations/${station}/rule-sets/preview`, { method: 'POST', body: { genres, moods, bpm, energy, dayparts, sample: 0 } })),
  );
  return {
    ruleSets: ruleSets.map((rs, i) => ({ ...rs, songs: counts[i]!.songs, library: counts[i]!.library })),
    mayChange: mayAny(await rolesAt(request, params.station), ['programming']),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const name = text(await request.formData(), 'name').trim();
  if (!name) return { error: 'Give the rule set a name.' };
  const station = encodeURIComponent(String(params.station));
  let id: string;
  try {
    id = (await api<{ id: string }>(request, `/stations/${station}/rule-sets`, { method: 'POST', body: { name } })).id;
  } catch (error) {
    if (error instanceof ApiError) return { error: fieldErrors(error.problem).name ?? error.problem.detail ?? error.problem.title };
    throw error;
  }
  throw redirect(`/stations/${station}/rule-sets/${id}`);
}

export default function RuleSets() {
  const { ruleSets, mayChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const station = useParams().station ?? '';
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/stations/${station}/programming`}>Programming</Link>
      </p>
      <h1>Music rule sets</h1>
      {ruleSets.length === 0 ? <p className="empty">No rule sets yet: a music element without one plays any song.</p> : null}
      <ul className="station-list rule-sets">
        {ruleSets.map((rs) => (
          <li key={rs.id}>
            <Link to={`/stations/${station}/rule-sets/${rs.id}`}>{rs.name}</Link> <span className="muted">· {criteriaText(rs)}</span>{' '}
            <span className={rs.songs === 0 ? 'song-count none' : 'song-count'}>
              {rs.songs} of {rs.library} songs
            </span>
          </li>
        ))}
      </ul>
      {mayChange ? (
        <Form method="post" className="inline-form">
          <Field name="name" label="New rule set" error={result?.error}>
            {(attrs) => <input {...attrs} placeholder="e.g. overnight chill" maxLength={200} />}
          </Field>
          <button type="submit">Create rule set</button>
        </Form>
      ) : null}
    </>
  );
}
