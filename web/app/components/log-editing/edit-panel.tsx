// One entry's edit, under its row: what to put in (a library item found with the search, each
// with its length and the separation it would break there, or a note with its length), where
// to move it, or delete, lock or unlock it — always with why. The API's refusal is shown next to
// the field it names. Plain forms: the search is a GET of this page, the edit a POST to it.
import { Form, Link } from '@remix-run/react';
import { useEffect, useRef, type ReactNode } from 'react';
import { Field } from '../field.js';
import { length, stationTime } from '../../lib/format.js';
import { hoursOf } from '../../lib/log-hours.js';
import { panelHref, searchesLibrary, TRACK_TYPES, type Candidate, type EditFailure, type EditPanelState } from './edit-types.js';

export interface PanelEntry {
  id: string;
  startsAt: string;
  lengthMs: number;
  type: string;
  title: string;
  hourLabel: string;
  locked?: boolean;
}

const TITLES = {
  'insert-before': 'Insert before',
  'insert-after': 'Insert after',
  replace: 'Replace',
  move: 'Move',
  delete: 'Delete',
  lock: 'Lock',
  unlock: 'Unlock',
} as const;

const SUBMIT = {
  'insert-before': 'Insert it',
  'insert-after': 'Insert it',
  replace: 'Replace it',
  move: 'Move it',
  delete: 'Delete it',
  lock: 'Lock it',
  unlock: 'Unlock it',
} as const;

const EXPLAIN: Partial<Record<EditPanelState['choice'], string>> = {
  delete: 'It comes off the log; its hour is timed again (fill material closes the gap).',
  lock: 'A rebuild keeps it where it is, as it is.',
  unlock: 'A rebuild may choose something else for its place again.',
  move: 'It leaves its place and goes next to the entry you choose; both hours are timed again. An entry with a hard start cannot move.',
};

export function EditPanel(props: {
  panel: EditPanelState;
  entry: PanelEntry | null;
  entries: readonly PanelEntry[];
  candidates: { items: Candidate[]; problem: string | null } | null;
  failure: EditFailure | null;
  version: number;
  timezone: string;
  busy: boolean;
}) {
  const { panel, entry, failure, timezone } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const box = useRef<HTMLDivElement>(null);
  // Opening a panel takes the keyboard there; a refusal, to the first field it names.
  useEffect(() => {
    const invalid = box.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (failure && invalid ? invalid : heading.current)?.focus();
  }, [panel.entryId, panel.choice, failure]);
  const errors = failure?.errors ?? {};
  const values = failure?.values ?? {};
  const close = (
    <Link to="." preventScrollReset className="cancel">
      Cancel
    </Link>
  );
  if (!entry) {
    return (
      <div id="edit-panel" className="edit-panel" ref={box}>
        <h3 tabIndex={-1} ref={heading}>
          This entry is not in version {props.version} of the log
        </h3>
        <p>It was moved, deleted or rebuilt away. Choose an entry of the log as it is now.</p>
        {close}
      </div>
    );
  }
  const name = `${stationTime(entry.startsAt, timezone)} “${entry.title}”`;
  const isInsert = panel.choice === 'insert-before' || panel.choice === 'insert-after';
  const what = isInsert ? panel.what : 'track';
  const hours = hoursOf(props.entries.filter((e) => e.id !== entry.id));

  return (
    <div id="edit-panel" className="edit-panel" role="region" aria-labelledby="edit-panel-title" ref={box}>
      <h3 id="edit-panel-title" tabIndex={-1} ref={heading}>
        {TITLES[panel.choice]} {name}
      </h3>
      {failure?.message ? (
        <p className="problem" role="alert">
          {failure.message}
        </p>
      ) : null}
      {EXPLAIN[panel.choice] ? <p className="muted hint">{EXPLAIN[panel.choice]}</p> : null}
      {isInsert ? (
        <p className="edit-what" role="group" aria-label="What to insert">
          <Link to={panelHref(entry.id, panel.choice)} preventScrollReset aria-current={what === 'track' ? 'true' : undefined}>
            A library item
          </Link>
          <Link to={panelHref(entry.id, panel.choice, { what: 'note' })} preventScrollReset aria-current={what === 'note' ? 'true' : undefined}>
            A note (live read, instruction)
          </Link>
        </p>
      ) : null}
      {searchesLibrary({ ...panel, what }) ? (
        <Form method="get" preventScrollReset className="edit-search" role="search" aria-label="The library">
          <input type="hidden" name="edit" value={entry.id} />
          <input type="hidden" name="do" value={panel.choice} />
          <div className="field">
            <label htmlFor="edit-q">Title or artist</label>
            <input id="edit-q" name="q" type="search" defaultValue={panel.q} maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="edit-type">Type</label>
            <select id="edit-type" name="type" defaultValue={panel.type}>
              <option value="">{entry.type === 'LIVE' ? 'MUS' : entry.type} (as the entry)</option>
              {TRACK_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary">
            Search
          </button>
        </Form>
      ) : null}
      <Form method="post" preventScrollReset className="edit-form">
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="version" value={props.version} />
        <input type="hidden" name="choice" value={panel.choice} />
        <input type="hidden" name="entryId" value={entry.id} />
        <input type="hidden" name="what" value={what} />
        {searchesLibrary({ ...panel, what }) ? <Candidates candidates={props.candidates} error={errors.trackId} chosen={values.trackId} /> : null}
        {isInsert && what === 'note' ? (
          <div className="field-row">
            <Field name="noteText" label="What the presenter does" error={errors.noteText} hint='A live read, "talk up to the post"…'>
              {(attrs) => <input {...attrs} type="text" maxLength={300} defaultValue={values.noteText ?? ''} />}
            </Field>
            <Field name="noteLength" label="Length (m:ss)" error={errors.noteLength} hint="0:00 for an instruction that takes no air time">
              {(attrs) => <input {...attrs} type="text" inputMode="numeric" size={6} defaultValue={values.noteLength ?? '0:30'} />}
            </Field>
          </div>
        ) : null}
        {panel.choice === 'move' ? (
          <div className="field-row">
            <Field name="placement" label="Put it">
              {(attrs) => (
                <select {...attrs} defaultValue={values.placement === 'before' ? 'before' : 'after'}>
                  <option value="after">after</option>
                  <option value="before">before</option>
                </select>
              )}
            </Field>
            <Field name="anchorEntryId" label="The entry" error={errors.anchorEntryId}>
              {(attrs) => (
                <select {...attrs} defaultValue={values.anchorEntryId ?? ''}>
                  <option value="">Choose an entry…</option>
                  {hours.map((h) => (
                    <optgroup key={h.startsAt} label={h.label}>
                      {h.entries.map((e) => (
                        <option key={e.id} value={e.id}>
                          {stationTime(e.startsAt, timezone)} {e.type} {e.title}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              )}
            </Field>
          </div>
        ) : null}
        <Field name="reason" label="Why" error={errors.reason} hint="Kept with the edit and in the audit log.">
          {(attrs) => <input {...attrs} type="text" maxLength={500} defaultValue={values.reason ?? ''} />}
        </Field>
        <p className="edit-buttons">
          <button type="submit" disabled={props.busy}>
            {SUBMIT[panel.choice]}
          </button>{' '}
          {close}
        </p>
      </Form>
    </div>
  );
}

function Candidates(props: { candidates: { items: Candidate[]; problem: string | null } | null; error: string | undefined; chosen: string | undefined }): ReactNode {
  const items = props.candidates?.items ?? [];
  const errorId = 'field-trackId-error';
  return (
    <fieldset className="candidates" aria-describedby={props.error ? errorId : undefined}>
      <legend>Library items for this place</legend>
      {props.candidates?.problem ? <p className="problem">{props.candidates.problem}</p> : null}
      {items.length === 0 && !props.candidates?.problem ? <p className="muted">Nothing in the library matches: search for other words or another type.</p> : null}
      <ul>
        {items.map((c) => {
          const warningsId = `candidate-${c.id}-warnings`;
          return (
            <li key={c.id}>
              <label className="check">
                <input type="radio" name="trackId" value={c.id} defaultChecked={props.chosen === c.id} aria-invalid={Boolean(props.error)} aria-describedby={c.warnings.length > 0 ? warningsId : undefined} /> {c.title}
                {c.artist ? <span className="muted"> — {c.artist}</span> : null} <span className="candidate-length">{length(c.lengthMs)}</span>
              </label>
              <Warnings items={c.warnings} id={warningsId} className="candidate-warnings" />
            </li>
          );
        })}
      </ul>
      {props.error ? (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Separation an edit breaks (or would), each said as a warning; nothing when there is none. */
export function Warnings(props: { items: readonly string[]; id?: string; className: string }): ReactNode {
  if (props.items.length === 0) return null;
  return (
    <ul id={props.id} className={props.className}>
      {props.items.map((w) => (
        <li key={w} className="exception exception-warning">
          <span className="visually-hidden">Warning: </span>
          {w}
        </li>
      ))}
    </ul>
  );
}
