// The day's hand edits, newest first: what each did, why, who and when, the version it made,
// and whether it still applies — one a rebuild could not place again says why it was dropped.
import type { LogEdit } from './edit-types.js';

const STATES: Record<LogEdit['state'], string> = {
  active: 'Applies',
  dropped: 'Dropped',
  undone: 'Undone',
};

const when = (iso: string, timezone: string) =>
  new Date(iso).toLocaleString('en-GB', {
    timeZone: timezone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

export function EditsList(props: { edits: readonly LogEdit[]; timezone: string; highlight: string | null }) {
  if (props.edits.length === 0) return null;
  const dropped = props.edits.filter((e) => e.state === 'dropped').length;
  return (
    <section aria-labelledby="log-edits" className="log-edits">
      <h2 id="log-edits">Hand edits of the day</h2>
      <p className="muted hint">
        A rebuild makes them again where their place still exists
        {dropped > 0 ? `; ${dropped} could not be placed again and ${dropped === 1 ? 'is' : 'are'} listed as dropped` : ''}.
      </p>
      <div className="table-scroll">
        <table className="edits-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Edit</th>
              <th scope="col">Why</th>
              <th scope="col">Who, when</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {props.edits.map((e) => (
              <tr key={e.id} className={[`edit-${e.state}`, e.id === props.highlight ? 'edit-new' : ''].filter(Boolean).join(' ')} data-testid={`edit-${e.id}`}>
                <td>v{e.madeInVersion}</td>
                <td>{e.summary}</td>
                <td>{e.reason}</td>
                <td>
                  {e.madeBy?.name ?? 'An API client'}, <time dateTime={e.madeAt}>{when(e.madeAt, props.timezone)}</time>
                </td>
                <td>
                  <span className={`edit-state edit-state-${e.state}`}>{STATES[e.state]}</span>
                  {e.state === 'dropped' ? (
                    <span className="entry-note">
                      {e.droppedInVersion ? `in v${e.droppedInVersion}: ` : ''}
                      {e.droppedBecause}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
