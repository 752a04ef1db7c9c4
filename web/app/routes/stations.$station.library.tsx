// The library: search and filter the station's tracks, change a track's type, categories and
// dayparts (programming), and see when it was last synced from LibreTime.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { api, ApiError } from '../lib/api.server.js';
import { length } from '../lib/format.js';
import { text } from '../lib/forms.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Library · LibreLog' }];

const TYPES = ['MUS', 'ADV', 'PSA', 'LIN', 'INT', 'PRO', 'BED', 'VT'] as const;

interface Track {
  id: string;
  type: string;
  title: string;
  artist: string | null;
  genre: string | null;
  lengthMs: number;
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
  failure: string | null;
}

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
    api<{ items: Track[]; nextCursor: string | null }>(request, `/stations/${slug}/tracks?${query.toString()}`),
    api<{ code: string; name: string }[]>(request, `/stations/${slug}/categories`),
    api<{ name: string }[]>(request, `/stations/${slug}/dayparts`),
    api<Sync[]>(request, `/stations/${slug}/library/syncs`),
  ]);
  return { page, categories, dayparts: dayparts.map((d) => d.name), lastSync: syncs[0] ?? null, mayEdit: mayAny(await rolesAt(request, params.station), ['programming']) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const id = text(form, 'trackId');
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  try {
    await api(request, `/stations/${encodeURIComponent(String(params.station))}/tracks/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { type: text(form, 'type'), categories: strings('categories'), dayparts: strings('dayparts') },
    });
    return { trackId: id, ok: true, message: 'Saved.' };
  } catch (error) {
    if (error instanceof ApiError) return { trackId: id, ok: false, message: error.problem.errors?.[0]?.message ?? error.problem.detail ?? error.problem.title };
    throw error;
  }
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
      </p>
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
