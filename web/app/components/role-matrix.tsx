// The roles someone holds at each station, as a table of checkboxes: one row per station, one
// column per role. Each checkbox is named for its role and station ("Voice at KQTR"), the
// whole cell takes a tap, and a problem the API had with a station sits in that station's row.
import { USER_ROLES, type UserRole } from '../../../domain/vocabulary.js';

export const ROLE_LABELS: Record<UserRole, string> = {
  admin: 'Admin',
  traffic: 'Traffic',
  programming: 'Programming',
  voice: 'Voice',
  viewer: 'Viewer',
};

/** What each role may do at a station, in the station's words (as the API's scopes say). */
export const ROLE_MEANINGS: Record<UserRole, string> = {
  admin: 'everything at the station, its settings and publishing logs included',
  traffic: 'advertisers and campaigns; approves logs',
  programming: 'the library, clocks, grid and music rules',
  voice: 'records and uploads voice tracks',
  viewer: 'reads everything, changes nothing',
};

export interface StationChoice {
  slug: string;
  name: string;
}

/** The form field a station's roles are sent in: `roles-<slug>`, one value per role ticked. */
export const rolesField = (slug: string) => `roles-${slug}`;

export function RoleMatrix(props: {
  /** Unique on the page: the checkboxes' ids start with it. */
  id: string;
  legend: string;
  stations: readonly StationChoice[];
  /** The roles ticked, by station slug. */
  held: Readonly<Record<string, readonly UserRole[]>>;
  /** A problem with a station's entry, by station slug. */
  errors?: Readonly<Record<string, string>>;
  hint?: string;
  /** Say what each role may do under the legend (once or twice a page is enough). */
  explain?: boolean;
}) {
  const { id, stations, held, errors = {} } = props;
  const hintId = `${id}-hint`;
  const hinted = Boolean(props.hint || props.explain);
  return (
    <fieldset className="role-matrix" aria-describedby={hinted ? hintId : undefined}>
      <legend>{props.legend}</legend>
      {hinted ? (
        <p id={hintId} className="muted hint">
          {props.hint ? `${props.hint} ` : ''}
          {props.explain
            ? USER_ROLES.map((role, i) => (
                <span key={role}>
                  <strong>{ROLE_LABELS[role]}</strong>: {ROLE_MEANINGS[role]}
                  {i < USER_ROLES.length - 1 ? '. ' : '.'}
                </span>
              ))
            : null}
        </p>
      ) : null}
      {stations.length === 0 ? (
        <p className="empty">No stations yet: an owner adds stations first, then gives people roles there.</p>
      ) : (
        <table className="role-table">
          <thead>
            <tr>
              <th scope="col">Station</th>
              {USER_ROLES.map((role) => (
                <th scope="col" key={role}>
                  {ROLE_LABELS[role]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stations.map((station) => {
              const error = errors[station.slug];
              const errorId = `${id}-${station.slug}-error`;
              return (
                <tr key={station.slug} className={error ? 'has-error' : undefined}>
                  <th scope="row">
                    {station.name}
                    {error ? (
                      <span id={errorId} className="field-error">
                        {error}
                      </span>
                    ) : null}
                  </th>
                  {USER_ROLES.map((role) => (
                    <td key={role}>
                      <label className="cell-check">
                        <input
                          type="checkbox"
                          id={`${id}-${station.slug}-${role}`}
                          name={rolesField(station.slug)}
                          value={role}
                          defaultChecked={held[station.slug]?.includes(role) ?? false}
                          aria-invalid={error ? true : undefined}
                          aria-describedby={error ? errorId : undefined}
                        />
                        <span className="visually-hidden">
                          {ROLE_LABELS[role]} at {station.name}
                        </span>
                      </label>
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}

/** The roles ticked in a submitted form, one entry per station with at least one role, roles in their usual order. */
export function rolesFromForm(form: FormData): { station: string; roles: UserRole[] }[] {
  const byStation = new Map<string, Set<UserRole>>();
  for (const [key, value] of form.entries()) {
    if (!key.startsWith('roles-') || typeof value !== 'string' || !(USER_ROLES as readonly string[]).includes(value)) continue;
    const station = key.slice('roles-'.length);
    if (!station) continue;
    if (!byStation.has(station)) byStation.set(station, new Set());
    byStation.get(station)!.add(value as UserRole);
  }
  return [...byStation].map(([station, roles]) => ({ station, roles: USER_ROLES.filter((r) => roles.has(r)) }));
}
