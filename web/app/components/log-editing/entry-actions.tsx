// An entry's edits, in its row of the log: a disclosure ("Edit", named with the entry's time and
// title for screen readers) of links, each opening the entry's panel for that edit. Links, so
// it works before the page's JavaScript runs and from the keyboard.
import { Link } from '@remix-run/react';
import type { MouseEvent } from 'react';
import { panelHref, type EditChoice } from './edit-types.js';

const LABELS: Record<EditChoice, string> = {
  'insert-before': 'Insert before…',
  'insert-after': 'Insert after…',
  replace: 'Replace…',
  move: 'Move…',
  delete: 'Delete…',
  lock: 'Lock…',
  unlock: 'Unlock…',
};

/** The menu closes once one of its edits is chosen: the panel opens under the row. */
const closeMenu = (event: MouseEvent<HTMLAnchorElement>) => event.currentTarget.closest('details')?.removeAttribute('open');

export function EntryActions(props: { entryId: string; name: string; locked: boolean; open: EditChoice | null }) {
  const choices: EditChoice[] = ['insert-before', 'insert-after', 'replace', 'move', 'delete', props.locked ? 'unlock' : 'lock'];
  return (
    <details className="entry-actions">
      <summary>
        Edit<span className="visually-hidden"> {props.name}</span>
      </summary>
      <ul>
        {choices.map((choice) => (
          <li key={choice}>
            <Link to={panelHref(props.entryId, choice)} preventScrollReset aria-current={props.open === choice ? 'true' : undefined} onClick={closeMenu}>
              {LABELS[choice]}
              <span className="visually-hidden"> {props.name}</span>
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
