// Campaigns: each order with its flight, order number and value, priority, where it stands
// (upcoming, running, ended, paused, cancelled) and delivery — ordered, placed in built logs,
// aired according to the as-run — drawn as bars so a shortfall shows at a glance.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../../domain/orders.js';
import { api } from '../lib/api.server.js';
import { requireSignedIn } from '../lib/session.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction = () => [{ title: 'Campaigns · LibreLog' }];

interface Campaign {
  id: string;
  name: string;
  advertiser: string;
  start: string;
  end: string;
  priority: number;
  status: string;
  state: 'upcoming' | 'running' | 'ended' | 'paused' | 'cancelled';
  orderNumber: string | null;
  money: { grossCents: number; netCents: number; currency: string } | null;
  delivery: { ordered: number; placed: number; aired: number };
}

/** Where an order stands, in words (never "active" for a flight that has ended). */
const STATE_WORDS: Record<Campaign['state'], string> = { upcoming: 'Upcoming', running: 'Running', ended: 'Ended', paused: 'Paused', cancelled: 'Cancelled' };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const roles = await rolesAt(request, params.station);
  const slug = encodeURIComponent(String(params.station));
  const [station, campaigns] = await Promise.all([
    api<{ slug: string; name: string; trafficMayPublish: boolean }>(request, `/stations/${slug}`),
    api<Campaign[]>(request, `/stations/${slug}/campaigns`),
  ]);
  return { station, campaigns, mayChange: mayAny(roles, []) || (roles.includes('traffic') && station.trafficMayPublish) };
}

function DeliveryBars({ delivery }: { delivery: Campaign['delivery'] }) {
  const most = Math.max(delivery.ordered, delivery.placed, delivery.aired, 1);
  return (
    <dl className="delivery" aria-label={`ordered ${delivery.ordered}, placed ${delivery.placed}, aired ${delivery.aired}`}>
      {(['ordered', 'placed', 'aired'] as const).map((kind) => (
        <div key={kind} className="delivery-row">
          <dt>{kind}</dt>
          <dd>
            <span className={`bar bar-${kind}`} style={{ width: `${(delivery[kind] / most) * 100}%` }} aria-hidden="true" />
            <span className="bar-value">{delivery[kind]}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export default function Campaigns() {
  const { station, campaigns, mayChange } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{station.name}: campaigns</h1>
      {mayChange ? (
        <p>
          <Link to={`/stations/${station.slug}/campaigns/new`} className="button-link">
            New campaign
          </Link>
        </p>
      ) : null}
      {campaigns.length === 0 ? (
        <div className="empty">
          <p>No campaigns yet.</p>
        </div>
      ) : (
        <table className="campaigns">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Advertiser</th>
              <th scope="col">Flight</th>
              <th scope="col">Order</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">Delivery</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <td>{mayChange ? <Link to={`/stations/${station.slug}/campaigns/${c.id}`}>{c.name}</Link> : c.name}</td>
                <td>{c.advertiser}</td>
                <td>
                  <time dateTime={c.start}>{c.start}</time> – <time dateTime={c.end}>{c.end}</time>
                </td>
                <td>
                  {c.orderNumber ?? <span className="muted">—</span>}
                  {c.money ? <span className="muted"> · {formatMoney(c.money.grossCents, c.money.currency)} gross</span> : null}
                </td>
                <td>{c.priority}</td>
                <td>
                  <span className={`flight-state flight-${c.state}`}>{STATE_WORDS[c.state] ?? c.state}</span>
                </td>
                <td>
                  <DeliveryBars delivery={c.delivery} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
