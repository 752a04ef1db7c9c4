// The start page: the stations this person can see; with one station, straight to its days.
// Owners always see the list, with the way to add a station (also when there is none yet).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { api } from '../lib/api.server.js';
import { whoAmI } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Stations · LibreLog' }];

interface Station {
  slug: string;
  name: string;
  timezone: string;
  playoutTarget: string;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const [stations, me] = await Promise.all([api<Station[]>(request, '/stations'), whoAmI(request)]);
  const chosen = new URL(request.url).searchParams.get('station');
  if (chosen && stations.some((s) => s.slug === chosen)) throw redirect(`/stations/${chosen}/days`);
  if (stations.length === 1 && !me.owner) throw redirect(`/stations/${stations[0]!.slug}/days`);
  return { stations, owner: me.owner };
}

export default function Stations() {
  const { stations, owner } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>Stations</h1>
        {owner && stations.length > 0 ? (
          <Link to="/stations/new" className="button-link">
            New station
          </Link>
        ) : null}
      </div>
      {stations.length === 0 ? (
        owner ? (
          <div className="empty">
            <p>No stations yet.</p>
            <p className="muted">Add the first one: its name, timezone and where its approved logs go. Then its clocks, grid, library and campaigns.</p>
            <p>
              <Link to="/stations/new" className="button-link">
                Add the first station
              </Link>
            </p>
          </div>
        ) : (
          <div className="empty">
            <p>No stations for you yet.</p>
            <p className="muted">You see the stations where you hold a role. Ask an owner of this LibreLog to give you one; owners add stations here or by importing a station bundle.</p>
          </div>
        )
      ) : (
        <ul className="station-list">
          {stations.map((s) => (
            <li key={s.slug}>
              <Link to={`/stations/${s.slug}/days`}>{s.name}</Link> <span className="muted">· {s.timezone} · plays out to {s.playoutTarget}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
