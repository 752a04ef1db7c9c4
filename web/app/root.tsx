import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLoaderData, useNavigate, useNavigation, useParams, useRouteError } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useNonce } from './lib/nonce.js';
import { whoAmI, type Me } from './lib/roles.server.js';
import { getSession } from './lib/session.server.js';
import stylesHref from './styles.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [{ title: 'LibreLog' }];

interface StationChoice {
  slug: string;
  name: string;
}

/** Who is signed in, their roles per station, and the stations they work for; nothing on the sign-in page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  const token = session.get('accessToken');
  if (!token || (session.get('expiresAt') ?? 0) <= Date.now()) return { me: null, stations: [] as StationChoice[] };
  const me: Me = await whoAmI(request).catch(() => ({ id: '', name: session.get('name') ?? '', owner: false, stations: [] }));
  return { me, stations: me.stations.map(({ slug, name }) => ({ slug, name })) };
}

/** What the header says the person is: owner, or their roles at the station shown. */
function rolesLabel(me: Me, station: string | undefined): string {
  if (me.owner) return 'owner';
  const roles = me.stations.find((s) => s.slug === station)?.roles;
  return roles?.length ? roles.join(', ') : me.stations.length ? 'member' : 'no station yet';
}

function StationSwitcher({ stations }: { stations: StationChoice[] }) {
  const { station } = useParams();
  const navigate = useNavigate();
  if (stations.length < 2) return null;
  return (
    <Form method="get" action="/" className="station-switcher">
      <label htmlFor="station-switch">Station</label>
      <select id="station-switch" name="station" value={station ?? ''} onChange={(e) => navigate(`/stations/${e.currentTarget.value}/days`)}>
        {station ? null : <option value="">Choose…</option>}
        {stations.map((s) => (
          <option key={s.slug} value={s.slug}>
            {s.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Go</button>
      </noscript>
    </Form>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {/* Inline scripts run only with this response's CSP nonce (web/server.ts). */}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { me, stations } = useLoaderData<typeof loader>();
  const { station } = useParams();
  const loading = useNavigation().state !== 'idle';
  return (
    <>
      {loading ? <div className="progress" role="progressbar" aria-label="Loading" /> : null}
      <header className="site-header">
        <Link to="/" className="brand">
          LibreLog
        </Link>
        {me ? (
          <>
            <StationSwitcher stations={stations} />
            {station ? (
              <nav aria-label="Station">
                <NavLink to={`/stations/${station}/days`}>Days</NavLink>
                <NavLink to={`/stations/${station}/campaigns`}>Campaigns</NavLink>
                <NavLink to={`/stations/${station}/avails`}>Avails</NavLink>
                <NavLink to={`/stations/${station}/advertisers`}>Advertisers</NavLink>
                <NavLink to={`/stations/${station}/make-goods`}>Make-goods</NavLink>
                <NavLink to={`/stations/${station}/reconciliation`}>Reconciliation</NavLink>
                <NavLink to={`/stations/${station}/as-run`}>As-run</NavLink>
                <NavLink to={`/stations/${station}/affidavits`}>Affidavits</NavLink>
                <NavLink to={`/stations/${station}/reports`}>Reports</NavLink>
                <NavLink to={`/stations/${station}/clocks`}>Clocks</NavLink>
                <NavLink to={`/stations/${station}/grid`}>Grid</NavLink>
                <NavLink to={`/stations/${station}/programming`}>Programming</NavLink>
                <NavLink to={`/stations/${station}/voice`}>Voice tracks</NavLink>
                <NavLink to={`/stations/${station}/library`}>Library</NavLink>
                {me.owner || me.stations.some((s) => s.slug === station && s.roles.includes('admin')) ? <NavLink to={`/stations/${station}/settings`}>Station details</NavLink> : null}
              </nav>
            ) : null}
            {me.owner || me.stations.some((s) => s.roles.includes('admin')) ? (
              <nav aria-label="Install">
                {me.owner ? <NavLink to="/people">People</NavLink> : null}
                <NavLink to="/audit">Audit log</NavLink>
              </nav>
            ) : null}
            <Form method="post" action="/sign-out" className="who">
              <span>
                {me.name} <span className="muted">({rolesLabel(me, station)})</span>
              </span>
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </>
        ) : null}
      </header>
      <main className="content">
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const forbidden = isRouteErrorResponse(error) && error.status === 403;
  const said = isRouteErrorResponse(error) && typeof error.data === 'string' && error.data ? error.data : null;
  return (
    <main className="content">
      <section className="error-panel" role="alert">
        <h1>{notFound ? 'Not found' : forbidden ? 'Not for your role' : 'Something went wrong'}</h1>
        <p>
          {notFound
            ? (said ?? 'There is no page at this address.')
            : forbidden
              ? (said ?? 'Your role may not see this page.')
              : 'LibreLog could not show this page. Check that the API is running, then try again in a moment.'}
        </p>
        {isRouteErrorResponse(error) && !notFound && !forbidden ? (
          <p className="muted">
            {error.status} {typeof error.data === 'string' ? error.data : error.statusText}
          </p>
        ) : null}
        <p>
          <Link to="/">Back to the stations</Link>
        </p>
      </section>
    </main>
  );
}
