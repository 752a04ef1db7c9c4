// Delete, in two steps: "Delete…" opens the question, "Delete <name>" in it deletes. A refusal
// (something still uses it) is shown under it as the API listed it: one line per user, each
// saying what to change first.
import { Form, useNavigation } from '@remix-run/react';

export interface DeleteRefusal {
  detail: string;
  uses: string[];
}

export function DeleteButton(props: { id: string; name: string; what: string; refused?: DeleteRefusal | null | undefined; action?: string }) {
  const busy = useNavigation().state !== 'idle';
  return (
    <div className="delete-thing">
      <details open={Boolean(props.refused)}>
        <summary className="danger-link">Delete…</summary>
        <Form method="post" action={props.action} className="delete-confirm" aria-label={`Delete ${props.what} ${props.name}`}>
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={props.id} />
          <p>
            Delete the {props.what} <strong>{props.name}</strong>? This cannot be undone. LibreLog refuses while anything still uses it, and says what.
          </p>
          <button type="submit" className="danger" disabled={busy}>
            Delete {props.name}
          </button>
        </Form>
      </details>
      {props.refused ? <RefusalList refused={props.refused} /> : null}
    </div>
  );
}

export function RefusalList({ refused }: { refused: DeleteRefusal }) {
  return (
    <div className="delete-refused" role="alert">
      <p>{refused.detail}</p>
      {refused.uses.length ? (
        <ul>
          {refused.uses.map((use) => (
            <li key={use}>{use[0]!.toUpperCase() + use.slice(1)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
