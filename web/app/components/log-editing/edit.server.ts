// The log page's hand edits, server side: the edit form as the API's request (POST …/edits),
// its refusals by field, and the library items for a place (GET …/candidates).
import { api, ApiError, type ApiProblem } from '../../lib/api.server.js';
import { text } from '../../lib/forms.js';
import { EDIT_CHOICES, parseLength, type Candidate, type EditChoice, type EditFailure, type EditField, type EditKind, type EditPanelState } from './edit-types.js';

/** The library items for the panel's entry, or the API's words when it cannot say. */
export async function candidatesFor(request: Request, logPath: string, panel: EditPanelState): Promise<{ items: Candidate[]; problem: string | null }> {
  // Spaces as %20: the API reads a `+` in the query as a plus, not a space.
  const fields: Record<string, string> = { entryId: panel.entryId, limit: '25', ...(panel.q && { q: panel.q }), ...(panel.type && { type: panel.type }) };
  const query = Object.entries(fields)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  try {
    return { items: await api<Candidate[]>(request, `${logPath}/candidates?${query}`), problem: null };
  } catch (error) {
    if (error instanceof ApiError)
      return {
        items: [],
        problem: error.problem.detail ?? error.problem.title,
      };
    throw error;
  }
}

/** The API names the field it refuses ("body.note.text"); the form's field of that name. */
const FIELD_OF: Record<string, EditField> = {
  'body.reason': 'reason',
  'body.trackId': 'trackId',
  'body.note': 'noteText',
  'body.note.text': 'noteText',
  'body.note.lengthMs': 'noteLength',
  'body.anchorEntryId': 'anchorEntryId',
};

function failureOf(problem: ApiProblem, base: Omit<EditFailure, 'message' | 'errors'>): EditFailure {
  const errors: EditFailure['errors'] = {};
  let unplaced = '';
  for (const e of problem.errors ?? []) {
    const field = FIELD_OF[e.path];
    if (field) errors[field] ??= e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.';
    else unplaced ||= e.path === 'body.entryId' ? 'This entry is not in the version shown any more: reload the log.' : '';
  }
  // The detail says it in full (a hard start, a stale version, a status that allows no edits).
  const message = unplaced || (Object.keys(errors).length > 0 && problem.status === 422 ? '' : problem.detail ?? problem.title);
  return { ...base, message, errors };
}

/**
 * The edit form: `choice` (insert-before … unlock), `entryId`, `reason`, and per choice
 * `trackId`, `noteText` + `noteLength` (m:ss), `anchorEntryId` + `placement`. The made edit's id,
 * or where and why it was refused (the page checks what it can first, the API the rest).
 */
export async function makeEdit(request: Request, logPath: string, form: FormData, version: number): Promise<{ editId: string } | { failure: EditFailure }> {
  const choice = text(form, 'choice') as EditChoice;
  const entryId = text(form, 'entryId');
  const values: EditFailure['values'] = {
    reason: text(form, 'reason'),
    trackId: text(form, 'trackId'),
    noteText: text(form, 'noteText'),
    noteLength: text(form, 'noteLength'),
    anchorEntryId: text(form, 'anchorEntryId'),
    placement: text(form, 'placement'),
  };
  const base = { entryId, choice, values };
  if (!EDIT_CHOICES.includes(choice))
    return {
      failure: { ...base, message: `Unknown edit "${choice}".`, errors: {} },
    };
  const errors: EditFailure['errors'] = {};
  const reason = values.reason!.trim();
  if (reason === '') errors.reason = 'Say why: it is kept with the edit and in the audit log.';
  const kind: EditKind = choice === 'insert-before' || choice === 'insert-after' ? 'insert' : choice;
  const body: Record<string, unknown> = { version, kind, entryId, reason };
  if (kind === 'insert') {
    body.placement = choice === 'insert-before' ? 'before' : 'after';
    if (text(form, 'what') === 'note') {
      const lengthMs = parseLength(values.noteLength!);
      if (values.noteText!.trim() === '') errors.noteText = 'Say what the presenter does (a live read, "talk up to the post").';
      if (lengthMs === null) errors.noteLength = 'Give the length as minutes:seconds, like 0:30 (0:00 for an instruction that takes no air time).';
      else if (lengthMs > 3_600_000) errors.noteLength = 'A note lasts at most an hour (60:00).';
      body.note = { text: values.noteText!.trim(), lengthMs: lengthMs ?? 0 };
    } else if (values.trackId === '') errors.trackId = 'Choose the library item to put in.';
    else body.trackId = values.trackId;
  }
  if (kind === 'replace') {
    if (values.trackId === '') errors.trackId = 'Choose the library item to put in its place.';
    body.trackId = values.trackId;
  }
  if (kind === 'move') {
    if (values.anchorEntryId === '') errors.anchorEntryId = 'Choose the entry to put it next to.';
    body.anchorEntryId = values.anchorEntryId;
    body.placement = values.placement === 'before' ? 'before' : 'after';
  }
  if (Object.keys(errors).length > 0) return { failure: { ...base, message: '', errors } };
  try {
    const made = await api<{ edit: { id: string } }>(request, `${logPath}/edits`, { method: 'POST', body, headers: { 'If-Match': `"${version}"` } });
    return { editId: made.edit.id };
  } catch (error) {
    if (error instanceof ApiError) return { failure: failureOf(error.problem, base) };
    throw error;
  }
}
