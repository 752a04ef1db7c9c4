// Programming: the station's music rule sets, dayparts and categories in one place, with how
// many of each there are (clocks and the grid have their own links in the navigation).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { api } from '../lib/api.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Programming · LibreLog' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const station = encodeURIComponent(String(params.station));
  const [ruleSets, dayparts, categories] = await Promise.all([
    api<unknown[]>(request, `/stations/${station}/rule-sets`),
    api<unknown[]>(request, `/stations/${station}/dayparts`),
    api<unknown[]>(request, `/stations/${station}/categories`),
  ]);
  return { ruleSets: ruleSets.length, dayparts: dayparts.length, categories: categories.length };
}

export default function Programming() {
  const counts = useLoaderData<typeof loader>();
  const station = useParams().station ?? '';
  const items = [
    { to: 'rule-sets', title: 'Music rule sets', count: counts.ruleSets, about: 'What a music slot may play: genres, moods, tempo and energy, dayparts, and how far apart an artist and a song come back — with the songs each allows now.' },
    { to: 'dayparts', title: 'Dayparts', count: counts.dayparts, about: 'Named spans of the week (morning drive, overnight) that rule sets, clocks, songs and campaigns are kept to.' },
    { to: 'categories', title: 'Categories', count: counts.categories, about: 'Labels on PSAs and ads (health, auto): a break keeps two of one category apart, and an unsold ad gets a PSA of its category.' },
    { to: 'clocks', title: 'Clocks', count: null, about: 'The hour templates; the grid says which plays when.' },
  ];
  return (
    <>
      <h1>Programming</h1>
      <ul className="programming-hub">
        {items.map((item) => (
          <li key={item.to}>
            <Link to={`/stations/${station}/${item.to}`}>{item.title}</Link>
            {item.count !== null ? <span className="muted"> · {item.count}</span> : null}
            <p className="muted">{item.about}</p>
          </li>
        ))}
      </ul>
      <p className="muted">Anything still in use cannot be deleted: LibreLog says what uses it and what to change first.</p>
    </>
  );
}
