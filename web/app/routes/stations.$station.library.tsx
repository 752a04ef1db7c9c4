// The library: search and filter the station's tracks, change a track's type, categories,
// dayparts, cues, intro and outro, and the data the royalty reports need (label, codes, writers,
// publishers, language, Canadian content, usage) (programming), add tracks by uploading audio with a progress bar
// (programming; through stations.$station.library.upload.ts), and see when it was last synced
// from LibreTime.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams, useRevalidator, useSearchParams } from '@remix-run/react';
import { useState, type FormEvent } from 'react';
import { Field } from '../components/field.js';
import { api, ApiError } from '../lib/api.server.js';
import { length } from '../lib/format.js';
import { text } from '../lib/forms.js';
import type { FieldErrors } from '../lib/problems.js';
import { clockText, playedMs } from '../../../domain/track-cues.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import type { UploadOutcome } from './stations.$station.library.upload.js';

export const meta: MetaFunction = () => [{ title: 'Library · LibreLog' }];

const TYPES = ['MUS', 'ADV', 'PSA', 'LIN', 'INT', 'PRO', 'BED', 'VT'] as const;

interface Mapl {
  music: boolean | null;
  artist: boolean | null;
  performance: boolean | null;
  lyrics: boolean | null;
}
interface Track {
  id: string;
  type: string;
  title: string;
  artist: string | null;
  album: string | null;
  label: string | null;
  isrc: string | null;
  iswc: string | null;
  upc: string | null;
  writers: string[];
  publishers: string[];
  language: string | null;
  mapl: Mapl;
  usage: string | null;
  instrumental: boolean | null;
  hit: boolean | null;
  contentCategory: string | null;
  genre: string | null;
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number | null;
  introMs: number | null;
  outroMs: number | null;
  loudnessLufs: number | null;
  peakDbfs: number | null;
  libretimeFileId: number | null;
  categories: string[];
  dayparts: string[];
  removed: boolean;
}
interface Sync {
  startedAt: string;
  finishedAt: string | null;
  added: number | null;
  updated: number | null;
  removed: number | null;
  skipped: number | null;
  keptEdits: number;
  changes: { trackId: string | null; libretimeFileId: number; title: string; change: 'added' | 'updated' | 'restored'; fields: string[] }[];
  failure: string | null;
}

/** A synced field as the library editor names it. */
const FIELD_WORDS: Record<string, string> = { lengthMs: 'length', cueInMs: 'cue in', cueOutMs: 'cue out', removed: 'in rotation', isrc: 'ISRC', bpm: 'BPM' };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const url = new URL(request.url);
  const query = new URLSearchParams({ limit: '50' });
  for (const name of ['q', 'type', 'category', 'cursor']) {
    const value = url.searchParams.get(name);
    if (value) query.set(name, value);
  }
  const [page, categories, dayparts, syncs] = await Promise.all([
    // Percent-encoded, not URLSearchParams' "+" for a space: the API refuses reserved characters in a query value.
    api<{ items: Track[]; nextCursor: string | null }>(request, `/stations/${slug}/tracks?${[...query].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`),
    api<{ code: string; name: string }[]>(request, `/stations/${slug}/categories`),
    api<{ name: string }[]>(request, `/stations/${slug}/dayparts`),
    api<Sync[]>(request, `/stations/${slug}/library/syncs`),
  ]);
  return { page, categories, dayparts: dayparts.map((d) => d.name), lastSync: syncs[0] ?? null, mayEdit: mayAny(await rolesAt(request, params.station), ['programming']) };
}

const USAGES = [
  ['feature', 'Feature'],
  ['theme_open', 'Theme (open)'],
  ['theme_close', 'Theme (close)'],
  ['theme', 'Theme'],
  ['background', 'Background'],
  ['jingle', 'Jingle / promo'],
] as const;
const MAPL = [
  ['music', 'M — music composed by a Canadian'],
  ['artist', 'A — performed by a Canadian'],
  ['performance', 'P — performed or recorded in Canada'],
  ['lyrics', 'L — lyrics written by a Canadian'],
] as const;
/** Text fields of the report data, as the API names them; empty is cleared (null). */
const TEXTS = ['album', 'label', 'isrc', 'iswc', 'upc', 'language', 'contentCategory'] as const;

/** Names one per line or separated by ";". */
const names = (value: string) => [...new Set(value.split(/[;\r\n]+/).map((n) => n.trim()).filter(Boolean))];
/** A yes / no / not known select. */
const flag = (value: string) => (value === 'yes' ? true : value === 'no' ? false : null);
const flagValue = (value: boolean | null) => (value === true ? 'yes' : value === false ? 'no' : '');

/** The API's "body.writers[2]" → "writers"; "body.mapl.music" → "mapl". */
function trackErrors(errors: { path: string; message: string }[] | undefined): FieldErrors {
  const fields: FieldErrors = {};
  for (const e of errors ?? []) fields[e.path.replace(/^body\./, '').replace(/[[.].*$/, '')] ??= e.message;
  return fields;
}

/** The cue and talk-over fields of the editor: seconds in the form, ms in the API. */
const TIMINGS = [
  ['cueInMs', 'Cue in'],
  ['cueOutMs', 'Cue out'],
  ['introMs', 'Intro'],
  ['outroMs', 'Outro'],
] as const;
/** 1500 → "1.5" (seconds, to the ms the track has, so saving unchanged changes nothing). */
const secondsValue = (ms: number | null) => (ms === null ? '' : String(ms / 1000));

/** Seconds as typed ("12.5", "12,5") → ms; empty → null; anything else → an error for the field. */
function timingsFrom(form: FormData): { values: Record<string, number | null>; errors: FieldErrors } {
  const values: Record<string, number | null> = {};
  const errors: FieldErrors = {};
  for (const [name] of TIMINGS) {
    const typed = text(form, name).trim().replace(',', '.');
    if (!typed) {
      // A cue-in is always known: empty is the file's start.
      values[name] = name === 'cueInMs' ? 0 : null;
      continue;
    }
    const seconds = Number(typed);
    if (Number.isFinite(seconds)) values[name] = Math.round(seconds * 1000);
    else errors[name] = 'must be a number of seconds, such as 12.5';
  }
  return { values, errors };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const id = text(form, 'trackId');
  const timings = timingsFrom(form);
  if (Object.keys(timings.errors).length) return { trackId: id, ok: false, message: Object.values(timings.errors)[0]!, errors: timings.errors };
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  const trimmed = (name: string) => text(form, name).trim() || null;
  // A ticked box says what is known; none ticked is "none of them", or "not known" when that is ticked.
  const ticked = strings('mapl');
  const mapl = ticked.length === 0 && text(form, 'maplUnknown') ? null : Object.fromEntries(MAPL.map(([key]) => [key, ticked.includes(key)]));
  const body = {
    type: text(form, 'type'),
    categories: strings('categories'),
    dayparts: strings('dayparts'),
    ...Object.fromEntries(TEXTS.map((name) => [name, trimmed(name)])),
    // Codes as they are written: ISRC in capitals, the language code in small letters.
    isrc: trimmed('isrc')?.toUpperCase() ?? null,
    language: trimmed('language')?.toLowerCase() ?? null,
    writers: names(text(form, 'writers')),
    publishers: names(text(form, 'publishers')),
    mapl,
    usage: trimmed('usage'),
    instrumental: flag(text(form, 'instrumental')),
    hit: flag(text(form, 'hit')),
    ...timings.values,
  };
  try {
    await api(request, `/stations/${encodeURIComponent(String(params.station))}/tracks/${encodeURIComponent(id)}`, { method: 'PATCH', body });
    return { trackId: id, ok: true, message: 'Saved.', errors: {} as FieldErrors };
  } catch (error) {
    if (error instanceof ApiError) return { trackId: id, ok: false, message: error.problem.errors?.[0]?.message ?? error.problem.detail ?? error.problem.title, errors: trackErrors(error.problem.errors) };
    throw error;
  }
}

/** The report data of one track, in its edit form. */
function ReportData({ track: t, errors }: { track: Track; errors: FieldErrors }) {
  const id = (name: string) => `${t.id}-${name}`;
  const textField = (name: (typeof TEXTS)[number], label: string, props: { placeholder?: string; maxLength?: number; hint?: string } = {}) => (
    <Field name={id(name)} label={label} error={errors[name]} {...(props.hint !== undefined && { hint: props.hint })}>
      {(attrs) => <input {...attrs} name={name} defaultValue={t[name] ?? ''} placeholder={props.placeholder} maxLength={props.maxLength ?? 500} />}
    </Field>
  );
  const unknownMapl = Object.values(t.mapl).every((v) => v === null);
  return (
    <fieldset className="report-data">
      <legend>For the royalty reports</legend>
      <div className="field-row">
        {textField('album', 'Album')}
        {textField('label', 'Label')}
      </div>
      <div className="field-row">
        {textField('isrc', 'ISRC', { placeholder: 'USABC2400001', maxLength: 15 })}
        {textField('iswc', 'ISWC', { placeholder: 'T-034.524.680-1', maxLength: 15 })}
        {textField('upc', 'UPC', { placeholder: '036000291452', maxLength: 13 })}
      </div>
      <div className="field-row">
        <Field name={id('writers')} label="Writers" error={errors.writers} hint="Composers and lyricists: one per line, or separated by “;”.">
          {(attrs) => <textarea {...attrs} name="writers" rows={3} defaultValue={t.writers.join('\n')} />}
        </Field>
        <Field name={id('publishers')} label="Publishers" error={errors.publishers} hint="One per line, or separated by “;”.">
          {(attrs) => <textarea {...attrs} name="publishers" rows={3} defaultValue={t.publishers.join('\n')} />}
        </Field>
      </div>
      <div className="field-row">
        {textField('language', 'Language', { placeholder: 'en', maxLength: 3, hint: 'ISO 639 code: en, fr, es; zxx for none.' })}
        <Field name={id('usage')} label="Usage" error={errors.usage}>
          {(attrs) => (
            <select {...attrs} name="usage" defaultValue={t.usage ?? ''}>
              <option value="">not said</option>
              {USAGES.map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          )}
        </Field>
        {(['instrumental', 'hit'] as const).map((name) => (
          <Field key={name} name={id(name)} label={name === 'hit' ? 'Hit' : 'Instrumental'} error={errors[name]}>
            {(attrs) => (
              <select {...attrs} name={name} defaultValue={flagValue(t[name])}>
                <option value="">not known</option>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            )}
          </Field>
        ))}
        {textField('contentCategory', 'CRTC category', { placeholder: '21', maxLength: 2 })}
      </div>
      <fieldset>
        <legend>Canadian content (MAPL)</legend>
        {MAPL.map(([key, words]) => (
          <label key={key} className="check">
            <input type="checkbox" name="mapl" value={key} defaultChecked={t.mapl[key] === true} /> {words}
          </label>
        ))}
        <label className="check">
          <input type="checkbox" name="maplUnknown" value="yes" defaultChecked={unknownMapl} /> Not known (when no box above is ticked)
        </label>
        {errors.mapl ? <p className="field-error">{errors.mapl}</p> : null}
      </fieldset>
    </fieldset>
  );
}

/** Cue in, cue out, intro and outro, in seconds, in a track's edit form. */
function Timing({ track: t, errors }: { track: Track; errors: FieldErrors }) {
  const hints: Record<(typeof TIMINGS)[number][0], string> = {
    cueInMs: 'Seconds from the file’s start.',
    cueOutMs: `Seconds from the file’s start; empty: its end (${clockText(t.lengthMs)}).`,
    introMs: 'Talk-over seconds from the cue in; empty: not known.',
    outroMs: 'Talk-over seconds before the cue out; empty: not known.',
  };
  return (
    <fieldset className="timing">
      <legend>Cues and talk-over</legend>
      <p className="muted">
        Plays {clockText(playedMs(t))} of the file’s {clockText(t.lengthMs)}.
        {t.libretimeFileId !== null ? ' The cues come from LibreTime: the nightly sync sets them again from LibreTime; intro and outro stay as set here.' : ''}
      </p>
      <div className="field-row">
        {TIMINGS.map(([name, label]) => (
          <Field key={name} name={`${t.id}-${name}`} label={`${label} (s)`} error={errors[name]} hint={hints[name]}>
            {(attrs) => <input {...attrs} name={name} type="text" inputMode="decimal" pattern="[0-9]+([.,][0-9]{1,3})?" size={8} defaultValue={secondsValue(t[name])} />}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

/** Intro · outro, each a dash when not known. */
const talkOver = (t: { introMs: number | null; outroMs: number | null }) => `${t.introMs === null ? '—' : cuePoint(t.introMs)} · ${t.outroMs === null ? '—' : cuePoint(t.outroMs)}`;

/** "-23.3 LUFS", or a dash when not measured. */
const loudness = (lufs: number | null) => (lufs === null ? '—' : `${lufs.toFixed(1)} LUFS`);
/** 4_512 → "0:04.5": cues to a tenth of a second. */
const cuePoint = clockText;
/** Cue-in → cue-out. */
const cues = (t: { cueInMs: number; cueOutMs: number | null; lengthMs: number }) => `${cuePoint(t.cueInMs)} → ${cuePoint(t.cueOutMs ?? t.lengthMs)}`;

type UploadState = { phase: 'idle' } | { phase: 'sending'; sent: number; total: number } | { phase: 'measuring' } | { phase: 'done'; outcome: UploadOutcome } | { phase: 'failed'; message: string };

/**
 * Add tracks: several files and a type, sent with XMLHttpRequest so its upload progress can be
 * shown; the API then measures each file (the bar says so) and the list tells what became of
 * each. Without the script the form posts to the same route and comes back with the counts.
 */
function UploadTracks() {
  const slug = String(useParams().station);
  const revalidator = useRevalidator();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const busy = state.phase === 'sending' || state.phase === 'measuring';
  const action = `/stations/${encodeURIComponent(slug)}/library/upload`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const files = data.getAll('files').filter((f): f is File => typeof f !== 'string' && f.size > 0);
    if (!files.length) {
      setState({ phase: 'failed', message: 'Choose one or more audio files first.' });
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => setState(e.loaded >= e.total && e.lengthComputable ? { phase: 'measuring' } : { phase: 'sending', sent: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.upload.onload = () => setState({ phase: 'measuring' });
    xhr.onerror = () => setState({ phase: 'failed', message: 'The upload did not get through (the connection broke). Try again.' });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // said below
      }
      if (xhr.status === 200 && body) {
        setState({ phase: 'done', outcome: body as UploadOutcome });
        form.reset();
        revalidator.revalidate();
      } else {
        const detail = (body as { detail?: string } | null)?.detail;
        setState({ phase: 'failed', message: detail ?? `The upload was refused (${xhr.status} ${xhr.statusText}).` });
      }
    };
    setState({ phase: 'sending', sent: 0, total: files.reduce((sum, f) => sum + f.size, 0) });
    xhr.send(data);
  }

  const percent = state.phase === 'sending' && state.total ? Math.round((state.sent / state.total) * 100) : undefined;
  return (
    <section className="library-upload" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Add tracks</h2>
      <form method="post" action={action} encType="multipart/form-data" onSubmit={submit} aria-describedby="upload-hint">
        <p id="upload-hint" className="muted">
          MP3, FLAC, Ogg, WAV, AIFF or M4A, up to 20 files at once. Length, cue-in and cue-out (silence trimmed), loudness (EBU R128) and peak are measured from the audio; for music, the intro and outro too, from where the song reaches and leaves its full level: check them by ear and correct them in the track’s editor. Title, artist, album, ISRC and label come from the tags, else the file name.
        </p>
        <div className="field-row">
          <div className="field">
            <label htmlFor="upload-files">Audio files</label>
            <input id="upload-files" name="files" type="file" multiple accept="audio/*,.mp3,.flac,.ogg,.oga,.opus,.wav,.aif,.aiff,.m4a" required disabled={busy} />
          </div>
          <div className="field">
            <label htmlFor="upload-type">Type</label>
            <select id="upload-type" name="type" defaultValue="MUS" disabled={busy}>
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            Upload
          </button>
        </div>
        {busy ? (
          <div className="upload-progress">
            <progress id="upload-progress" aria-label="Upload progress" max={100} {...(percent !== undefined && { value: percent })} />
            <span role="status" aria-live="polite">
              {state.phase === 'measuring' ? 'Uploaded; measuring the audio…' : percent !== undefined ? `Sending… ${percent}%` : 'Sending…'}
            </span>
          </div>
        ) : null}
      </form>
      {state.phase === 'failed' ? (
        <p className="problem" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.phase === 'done' ? (
        <div role="status" aria-live="polite">
          <p className="notice">
            {state.outcome.added} added{state.outcome.refused ? `, ${state.outcome.refused} refused` : ''}.
          </p>
          <table className="entries upload-results">
            <caption className="visually-hidden">What became of each file</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Track</th>
                <th scope="col">Length</th>
                <th scope="col">Cue in → out</th>
                <th scope="col">Intro · outro</th>
                <th scope="col">Loudness · peak</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <tbody>
              {state.outcome.files.map((f, i) => (
                <tr key={`${i}-${f.filename}`} className={f.track ? undefined : 'refused'}>
                  <td>{f.filename}</td>
                  <td>
                    {f.track ? (
                      <>
                        <span className={`type type-${f.track.type}`}>{f.track.type}</span> {f.track.title}
                        {f.track.artist ? <span className="muted"> — {f.track.artist}</span> : null}
                        {f.libretimeFileId !== null ? <span className="tag">in LibreTime</span> : null}
                      </>
                    ) : (
                      <span className="tag">refused</span>
                    )}
                  </td>
                  <td>{f.track ? length(f.track.lengthMs) : '—'}</td>
                  <td>{f.track ? cues(f.track) : '—'}</td>
                  <td>{f.track ? talkOver(f.track) : '—'}</td>
                  <td>{f.track ? `${loudness(f.track.loudnessLufs)} · ${f.track.peakDbfs === null ? '—' : `${f.track.peakDbfs.toFixed(1)} dBFS`}` : '—'}</td>
                  <td>{f.problems.length ? <ul>{f.problems.map((p) => <li key={p}>{p}</li>)}</ul> : <span className="muted">none</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export default function Library() {
  const { page, categories, dayparts, lastSync, mayEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  return (
    <>
      <h1>Library</h1>
      <p className="muted" data-testid="sync-state">
        {lastSync
          ? lastSync.failure
            ? `The last sync from LibreTime failed (${new Date(lastSync.startedAt).toLocaleString('en-US')}): ${lastSync.failure}`
            : lastSync.finishedAt
              ? `Last synced from LibreTime ${new Date(lastSync.finishedAt).toLocaleString('en-US')}: ${lastSync.added ?? 0} added, ${lastSync.updated ?? 0} updated, ${lastSync.removed ?? 0} removed, ${lastSync.skipped ?? 0} skipped.`
              : 'A sync from LibreTime is running.'
          : 'Not synced from LibreTime (the station plays out elsewhere, or has not synced yet).'}
        {lastSync?.finishedAt && lastSync.keptEdits ? ` ${lastSync.keptEdits} track(s) kept the changes made here where LibreTime says otherwise.` : ''}
      </p>
      {lastSync?.finishedAt && lastSync.changes.length ? (
        <details className="sync-changes">
          <summary>What the last sync changed</summary>
          <ul>
            {lastSync.changes.map((c) => (
              <li key={c.libretimeFileId}>
                {c.title}: {c.change === 'added' ? 'added' : `${c.change === 'restored' ? 'back in the library; ' : ''}${c.fields.map((f) => FIELD_WORDS[f] ?? f).join(', ')}`}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {params.get('added') !== null || params.get('uploadProblem') ? (
        <p className={params.get('uploadProblem') ? 'problem' : 'notice'} role={params.get('uploadProblem') ? 'alert' : 'status'}>
          {params.get('uploadProblem') ?? `${params.get('added')} track(s) added${Number(params.get('refused')) ? `, ${params.get('refused')} file(s) refused` : ''}.`}
        </p>
      ) : null}
      {mayEdit ? <UploadTracks /> : null}
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={params.get('q') ?? ''} placeholder="Title, artist or album" />
        </div>
        <div className="field">
          <label htmlFor="type">Type</label>
          <select id="type" name="type" defaultValue={params.get('type') ?? ''}>
            <option value="">all</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="category">Category</label>
          <select id="category" name="category" defaultValue={params.get('category') ?? ''}>
            <option value="">all</option>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          Filter
        </button>
      </Form>
      {page.items.length === 0 ? (
        <p className="empty">No tracks match.</p>
      ) : (
        <table className="entries library">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Title</th>
              <th scope="col">Length</th>
              <th scope="col">Cue in → out</th>
              <th scope="col">Intro · outro</th>
              <th scope="col">Loudness</th>
              <th scope="col">Categories · dayparts</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((t) => (
              <tr key={t.id} className={t.removed ? 'removed' : undefined}>
                <td>
                  <span className={`type type-${t.type}`}>{t.type}</span>
                </td>
                <td>
                  {t.title}
                  {t.artist ? <span className="muted"> — {t.artist}</span> : null}
                  {t.removed ? <span className="tag">removed</span> : null}
                </td>
                <td>{length(t.lengthMs)}</td>
                <td>{cues(t)}</td>
                <td>{talkOver(t)}</td>
                <td>{loudness(t.loudnessLufs)}</td>
                <td>
                  {[...t.categories, ...t.dayparts].join(', ') || <span className="muted">—</span>}
                  {mayEdit ? (
                    <details>
                      <summary>Edit</summary>
                      <Form method="post" className="track-edit" aria-label={`Edit ${t.title}`}>
                        <input type="hidden" name="trackId" value={t.id} />
                        <label>
                          Type{' '}
                          <select name="type" defaultValue={t.type}>
                            {TYPES.map((type) => (
                              <option key={type}>{type}</option>
                            ))}
                          </select>
                        </label>
                        <fieldset>
                          <legend>Categories</legend>
                          {categories.map((c) => (
                            <label key={c.code} className="check">
                              <input type="checkbox" name="categories" value={c.code} defaultChecked={t.categories.includes(c.code)} /> {c.name}
                            </label>
                          ))}
                        </fieldset>
                        <fieldset>
                          <legend>Dayparts</legend>
                          {dayparts.map((d) => (
                            <label key={d} className="check">
                              <input type="checkbox" name="dayparts" value={d} defaultChecked={t.dayparts.includes(d)} /> {d}
                            </label>
                          ))}
                        </fieldset>
                        <Timing track={t} errors={result?.trackId === t.id ? result.errors : {}} />
                        <ReportData track={t} errors={result?.trackId === t.id ? result.errors : {}} />
                        <button type="submit" disabled={busy}>
                          Save
                        </button>
                        {result?.trackId === t.id ? (
                          <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
                            {result.message}
                          </p>
                        ) : null}
                      </Form>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor ? (
        <p>
          <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), cursor: page.nextCursor }).toString()}`}>Next page →</Link>
        </p>
      ) : null}
    </>
  );
}
