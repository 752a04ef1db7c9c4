// The clock builder: add, reorder and remove the elements of an hour, with their options, and
// see the hour as the engine times it (the API's preview of the saved clock, refreshed on save).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { DeleteButton } from '../components/delete-button.js';
import { api, ApiError } from '../lib/api.server.js';
import { deleteThrough } from '../lib/delete.server.js';
import { length } from '../lib/format.js';
import { text } from '../lib/forms.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Clock ${data?.clock.name ?? ''} · LibreLog` }];

const TYPES = ['MUS', 'ADV', 'PSA', 'LIN', 'INT', 'PRO', 'BED', 'VT', 'LIVE'] as const;
const TYPE_NAMES: Record<(typeof TYPES)[number], string> = { MUS: 'Music', ADV: 'Advertising', PSA: 'PSA', LIN: 'Legal ID', INT: 'Interview', PRO: 'Promo', BED: 'Bed', VT: 'Voice track', LIVE: 'Live show, network feed or outside programme' };
/** Where a live programme comes from (LibreLog does not fill it; LibreTime keeps its time). */
const SOURCES = { live: 'Live from the studio', network: 'Network feed', outside: 'Outside broadcast' } as const;

interface Element {
  type: (typeof TYPES)[number];
  title: string | null;
  source: keyof typeof SOURCES | null;
  count: number;
  fallback: string | null;
  category: string | null;
  ruleSet: string | null;
  length: number | null;
  start: { at: string; kind: 'soft' | 'hard' } | null;
}
interface Clock {
  id: string;
  name: string;
  hour: string | null;
  daypart: string | null;
  targetLength: number;
  version: number;
  elements: (Element & { id: string; position: number; trackId: string | null })[];
}
interface Preview {
  entries: { offsetMs: number; lengthMs: number; type: string; title: string; artist: string | null; isFallback: boolean }[];
  exceptions: { kind: string; severity: string; message: string }[];
  totalMs: number;
  targetMs: number;
  differenceMs: number;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const base = `/stations/${encodeURIComponent(String(params.station))}`;
  const id = encodeURIComponent(String(params.clockId));
  const [clock, categories, ruleSets, preview] = await Promise.all([
    api<Clock>(request, `${base}/clocks/${id}`),
    api<{ code: string; name: string }[]>(request, `${base}/categories`),
    api<{ name: string }[]>(request, `${base}/rule-sets`),
    api<Preview>(request, `${base}/clocks/${id}/preview`, { method: 'POST', body: {} }).catch((error: unknown) => {
      if (error instanceof ApiError) return { problem: error.problem.detail ?? error.problem.title };
      throw error;
    }),
  ]);
  return { clock, categories, ruleSets: ruleSets.map((r) => r.name), preview, mayChange: mayAny(await rolesAt(request, params.station), ['programming']) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  if (text(form, 'intent') === 'delete') {
    const station = encodeURIComponent(String(params.station));
    const deleted = await deleteThrough(request, `/stations/${station}/clocks/${encodeURIComponent(String(params.clockId))}`, String(params.clockId));
    if (deleted.deleted) throw redirect(`/stations/${station}/clocks`);
    return { ok: false, message: 'The clock was not deleted.', errors: {} as Record<string, string>, refused: deleted.refused };
  }
  const clock = JSON.parse(text(form, 'clock')) as { name: string; version: number; elements: Element[] };
  try {
    await api(request, `/stations/${encodeURIComponent(String(params.station))}/clocks/${encodeURIComponent(String(params.clockId))}`, {
      method: 'PUT',
      body: { ...clock, elements: clock.elements.map(({ title, ...e }) => ({ ...e, title: title || null })) },
      headers: { 'If-Match': `"${clock.version}"` },
    });
    return { ok: true, message: 'Saved; the preview shows the new hour.', errors: {} as Record<string, string> };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // "body.elements[2].category" → errors["2.category"], shown next to that element's field.
    const errors: Record<string, string> = {};
    for (const e of error.problem.errors ?? []) errors[e.path.replace(/^body\.elements\[(\d+)\]\./, '$1.').replace(/^body\./, '')] ??= e.message;
    const message = error.problem.status === 412 ? 'Someone changed this clock since you opened it; reload to see their change.' : (error.problem.detail ?? error.problem.title);
    return { ok: false, message, errors };
  }
}

const blank = (type: Element['type']): Element =>
  type === 'LIVE'
    ? // Half an hour from the top to begin with; the fields change it.
      { type, title: null, source: 'live', count: 1, fallback: null, category: null, ruleSet: null, length: 1800, start: { at: '00:00', kind: 'hard' } }
    : { type, title: null, source: null, count: 1, fallback: type === 'ADV' ? 'PSA' : null, category: null, ruleSet: null, length: null, start: null };

export default function ClockBuilder() {
  const { clock, categories, ruleSets, preview, mayChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const station = useParams().station ?? '';
  const busy = useNavigation().state !== 'idle';
  const fromServer = () => clock.elements.map(({ id: _id, position: _position, trackId: _trackId, ...e }) => e);
  const [elements, setElements] = useState<Element[]>(fromServer);
  const [name, setName] = useState(clock.name);
  const [adding, setAdding] = useState<Element['type']>('MUS');
  // A new version from the server (after saving) is the new starting point.
  useEffect(() => setElements(fromServer()), [clock.version]);
  const errors = result?.errors ?? {};
  // The live preview follows the edits on screen (half a second after the last change).
  const live = useFetcher<Preview | { problem: string }>();
  const edited = JSON.stringify({ name, elements }) !== JSON.stringify({ name: clock.name, elements: fromServer() });
  useEffect(() => {
    if (!edited) return;
    const timer = setTimeout(() => {
      const body = { name, hour: clock.hour, daypart: clock.daypart, targetLength: clock.targetLength, elements: elements.map(({ title, ...e }) => ({ ...e, title: title || null })) };
      live.submit({ clock: JSON.stringify(body) }, { method: 'post', action: `/stations/${station}/clocks/${clock.id}/preview` });
    }, 500);
    return () => clearTimeout(timer);
    // live.submit is stable; the edits are what matter.
  }, [name, elements, edited]);
  const shown: Preview | { problem: string } = edited && live.data ? live.data : preview;
  const change = (i: number, patch: Partial<Element>) => setElements((all) => all.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const move = (i: number, by: -1 | 1) =>
    setElements((all) => {
      const next = [...all];
      const [moved] = next.splice(i, 1);
      next.splice(i + by, 0, moved!);
      return next;
    });

  return (
    <>
      <p>
        <Link to={`/stations/${station}/clocks`}>← Clocks</Link>
      </p>
      <h1>Clock: {clock.name}</h1>
      <p className="muted">
        Version {clock.version} · {elements.length} elements · target {length(clock.targetLength * 1000)}
      </p>
      {result ? (
        <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      <div className="builder">
        <Form method="post" className="builder-elements" aria-label="Elements of the clock">
          <input type="hidden" name="clock" value={JSON.stringify({ name, version: clock.version, hour: clock.hour, daypart: clock.daypart, targetLength: clock.targetLength, elements })} />
          <div className="field">
            <label htmlFor="clock-name">Name</label>
            <input id="clock-name" value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!mayChange} />
          </div>
          <ol className="elements">
            {elements.map((e, i) => (
              <li key={i} className="element">
                <fieldset disabled={!mayChange}>
                  <legend>
                    {i + 1}. <span className={`type type-${e.type}`}>{e.type}</span> {TYPE_NAMES[e.type]}
                  </legend>
                  {e.type === 'LIVE' ? (
                    <div className="field-row">
                      <label>
                        Title <input value={e.title ?? ''} placeholder="Queer Talk Live" onChange={(ev) => change(i, { title: ev.currentTarget.value || null })} />
                      </label>
                      <label>
                        Source{' '}
                        <select value={e.source ?? 'live'} onChange={(ev) => change(i, { source: ev.currentTarget.value as keyof typeof SOURCES })} aria-invalid={Boolean(errors[`${i}.source`])}>
                          {Object.entries(SOURCES).map(([value, words]) => (
                            <option key={value} value={value}>
                              {words}
                            </option>
                          ))}
                        </select>
                      </label>
                      <label>
                        Starts at (hard){' '}
                        <input
                          placeholder="MM:SS"
                          pattern="[0-5][0-9]:[0-5][0-9]"
                          value={e.start?.at ?? ''}
                          size={6}
                          aria-invalid={Boolean(errors[`${i}.start`])}
                          onChange={(ev) => change(i, { start: ev.currentTarget.value ? { at: ev.currentTarget.value, kind: 'hard' } : null })}
                        />
                      </label>
                      <label>
                        Minutes{' '}
                        <input
                          type="number"
                          min={1}
                          max={60}
                          value={e.length === null ? '' : Math.round(e.length / 60)}
                          aria-invalid={Boolean(errors[`${i}.length`])}
                          onChange={(ev) => change(i, { length: ev.currentTarget.value ? Math.max(1, Number(ev.currentTarget.value)) * 60 : null })}
                        />
                      </label>
                      <p className="muted">LibreLog puts nothing here and leaves this time to LibreTime; it ends by the end of its hour.</p>
                    </div>
                  ) : (
                  <div className="field-row">
                    <label>
                      Count <input type="number" min={1} max={60} value={e.count} onChange={(ev) => change(i, { count: Math.max(1, Number(ev.currentTarget.value) || 1) })} />
                    </label>
                    <label>
                      Title <input value={e.title ?? ''} onChange={(ev) => change(i, { title: ev.currentTarget.value || null })} />
                    </label>
                    {e.type === 'MUS' ? (
                      <label>
                        Rule set{' '}
                        <select value={e.ruleSet ?? ''} onChange={(ev) => change(i, { ruleSet: ev.currentTarget.value || null })}>
                          <option value="">station default</option>
                          {ruleSets.map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      </label>
                    ) : null}
                    <label>
                      Category{' '}
                      <select value={e.category ?? ''} onChange={(ev) => change(i, { category: ev.currentTarget.value || null })} aria-invalid={Boolean(errors[`${i}.category`])}>
                        <option value="">any</option>
                        {categories.map((c) => (
                          <option key={c.code} value={c.code}>
                            {c.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Starts at{' '}
                      <input
                        placeholder="MM:SS"
                        pattern="[0-5][0-9]:[0-5][0-9]"
                        value={e.start?.at ?? ''}
                        size={6}
                        onChange={(ev) => change(i, { start: ev.currentTarget.value ? { at: ev.currentTarget.value, kind: e.start?.kind ?? 'soft' } : null })}
                      />
                    </label>
                    {e.start ? (
                      <label>
                        <input type="checkbox" checked={e.start.kind === 'hard'} onChange={(ev) => change(i, { start: { at: e.start!.at, kind: ev.currentTarget.checked ? 'hard' : 'soft' } })} /> hard start
                      </label>
                    ) : null}
                  </div>
                  )}
                  {Object.entries(errors)
                    .filter(([key]) => key.startsWith(`${i}.`))
                    .map(([key, message]) => (
                      <p key={key} className="field-error">
                        {message}
                      </p>
                    ))}
                  <div className="element-actions">
                    <button type="button" className="secondary" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move element ${i + 1} up`}>
                      ↑
                    </button>
                    <button type="button" className="secondary" onClick={() => move(i, 1)} disabled={i === elements.length - 1} aria-label={`Move element ${i + 1} down`}>
                      ↓
                    </button>
                    <button type="button" className="secondary" onClick={() => setElements((all) => all.filter((_, j) => j !== i))} disabled={elements.length === 1} aria-label={`Remove element ${i + 1}`}>
                      Remove
                    </button>
                  </div>
                </fieldset>
              </li>
            ))}
          </ol>
          {mayChange ? (
            <div className="actions">
              <label htmlFor="add-type">Add an element</label>
              <select id="add-type" value={adding} onChange={(e) => setAdding(e.currentTarget.value as Element['type'])}>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TYPE_NAMES[t]}
                  </option>
                ))}
              </select>
              <button type="button" className="secondary" onClick={() => setElements((all) => [...all, blank(adding)])}>
                Add
              </button>
              <button type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save and preview'}
              </button>
            </div>
          ) : null}
        </Form>
        <section className="builder-preview" aria-labelledby="preview-title">
          <h2 id="preview-title">The hour as it would play</h2>
          <p className="muted" role="status">
            {edited ? (live.state !== 'idle' ? 'Updating the preview…' : 'Live preview of your edits (not saved yet)') : 'The saved clock'}
          </p>
          {'problem' in shown ? (
            <p className="problem">{shown.problem}</p>
          ) : (
            <>
              <p className={Math.abs(shown.differenceMs) < 30_000 ? 'fill fill-ok' : 'fill fill-under'} data-testid="preview-total">
                {length(shown.totalMs)} of {length(shown.targetMs)}
                {shown.differenceMs ? ` (${length(Math.abs(shown.differenceMs))} ${shown.differenceMs < 0 ? 'under' : 'over'})` : ''}
              </p>
              <table className="entries">
                <thead>
                  <tr>
                    <th scope="col">At</th>
                    <th scope="col">Type</th>
                    <th scope="col">Title</th>
                    <th scope="col">Length</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.entries.map((e, i) => (
                    <tr key={i} className={e.isFallback ? 'fallback' : undefined}>
                      <td>{length(e.offsetMs)}</td>
                      <td>
                        <span className={`type type-${e.type}`}>{e.type}</span>
                      </td>
                      <td>
                        {e.title}
                        {e.artist ? <span className="muted"> — {e.artist}</span> : null}
                      </td>
                      <td>{length(e.lengthMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {shown.exceptions.length ? (
                <ul className="exceptions">
                  {shown.exceptions.map((x, i) => (
                    <li key={i} className={`exception exception-${x.severity}`}>
                      {x.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </section>
      </div>
      {mayChange ? <DeleteButton id={clock.id} name={clock.name} what="clock" refused={result && 'refused' in result ? result.refused : null} /> : null}
    </>
  );
}
