// The start page: the stations this person can see; with one station, straight to its days.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { api } from '../lib/api.server.js';

export const meta: MetaFunction = () => [{ title: 'Stations · LibreLog' }];

interface Station {
  slug: string;
  name: string;
  timezone: string;
  playoutTarget: string;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const stations = await api<Station[]>(request, '/stations');
  const chosen = new URL(request.url).searchParams.get('station');
  if (chosen && stations.some((s) => s.slug === chosen)) throw redirect(`/stations/${chosen}/days`);
  if (stations.length === 1) throw redirect(`/stations/${stations[0]!.slug}/days`);
  return { stations };
}

export default function Stations() {
  const { stations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Stations</h1>
      {stations.length === 0 ? (
        <div className="empty">
          <p>No stations for you yet.</p>
          <p className="muted">You see the stations where you hold a role. Ask an owner of this LibreLog to give you one; owners add stations through the API or by importing a station bundle.</p>
        </div>
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
