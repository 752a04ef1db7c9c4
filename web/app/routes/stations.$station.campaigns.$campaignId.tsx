import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { formatMoney } from '../../../domain/orders.js';
import { CampaignForm } from '../components/campaign-form.js';
import { DeleteButton } from '../components/delete-button.js';
import { DeliveryChart } from '../components/report-charts.js';
import { api } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { campaignFormChoices, saveCampaign, valuesOf, valuesOfCampaign } from '../lib/campaign-form.server.js';
import { deleteThrough } from '../lib/delete.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.values.name ?? 'Campaign'} · LibreLog` }];

interface OrderMoney {
  spots: number;
  rateCents: number;
  currency: string;
  grossCents: number;
  commissionCents: number;
  netCents: number;
}

interface Campaign {
  id: string;
  advertiserId: string;
  advertiser: string;
  name: string;
  start: string;
  end: string;
  priority: number;
  spotsPerDay: number | null;
  spotLength: number;
  status: string;
  state: 'upcoming' | 'running' | 'ended' | 'paused' | 'cancelled';
  delivery: { ordered: number; placed: number; aired: number };
  version: number;
  dayparts: string[];
  copy: { trackId: string; isci: string | null }[];
  orderNumber: string | null;
  agency: string | null;
  agencyCommission: number;
  ratePerSpotCents: number | null;
  currency: string;
  money: OrderMoney | null;
}

/** Where the order stands, in words. */
const STATE_WORDS: Record<Campaign['state'], string> = { upcoming: 'Upcoming', running: 'Running', ended: 'Ended', paused: 'Paused', cancelled: 'Cancelled' };

const read = (request: Request, station: string, id: string) => api<Campaign>(request, `/stations/${encodeURIComponent(station)}/campaigns/${encodeURIComponent(id)}`);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const station = encodeURIComponent(String(params.station));
  const id = encodeURIComponent(String(params.campaignId));
  const [campaign, choices, delivery] = await Promise.all([
    read(request, String(params.station), String(params.campaignId)),
    campaignFormChoices(request, String(params.station)),
    api<{ state: Campaign['state']; today: string; days: { date: string; orderedToDate: number; placedToDate: number; airedToDate: number }[] }>(request, `/stations/${station}/campaigns/${id}/delivery`),
  ]);
  const order = { advertiser: campaign.advertiser, orderNumber: campaign.orderNumber, agency: campaign.agency, agencyCommission: campaign.agencyCommission, money: campaign.money };
  // Traffic may delete only where the station lets it publish: the API says so if not.
  const mayDelete = mayAny(await rolesAt(request, params.station), ['traffic']);
  return { choices, values: valuesOfCampaign(campaign), version: campaign.version, order, state: campaign.state, totals: campaign.delivery, delivery, name: campaign.name, id: campaign.id, mayDelete };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.clone().formData();
  if (text(form, 'intent') === 'delete') {
    const station = encodeURIComponent(String(params.station));
    const deleted = await deleteThrough(request, `/stations/${station}/campaigns/${encodeURIComponent(String(params.campaignId))}`, String(params.campaignId));
    if (deleted.deleted) throw redirect(`/stations/${station}/campaigns`);
    // The form's own values stay as loaded (this result's are not shown).
    return { values: valuesOf(form), errors: {}, message: null, refused: deleted.refused };
  }
  const version = Number(text(form, 'version'));
  return saveCampaign(request, String(params.station), { id: String(params.campaignId), version });
}

/** What the ordered spots are worth, as the affidavit totals them. */
function OrderValue({ order }: { order: { advertiser: string; orderNumber: string | null; agency: string | null; agencyCommission: number; money: OrderMoney | null } }) {
  const { money } = order;
  return (
    <section aria-labelledby="order-value" className="order-value">
      <h2 id="order-value">Order</h2>
      <p>
        {order.orderNumber ? <>Order {order.orderNumber}, </> : <>No order number, </>}
        {order.agency ? <>placed by {order.agency}</> : <>direct from {order.advertiser}</>}.
      </p>
      {money ? (
        <dl className="money">
          <div>
            <dt>Gross</dt>
            <dd>
              {formatMoney(money.grossCents, money.currency)}{' '}
              <span className="muted">
                ({money.spots} ordered spots × {formatMoney(money.rateCents, money.currency)})
              </span>
            </dd>
          </div>
          <div>
            <dt>Agency commission{order.agency ? ` (${order.agencyCommission}%)` : ''}</dt>
            <dd>{formatMoney(money.commissionCents, money.currency)}</dd>
          </div>
          <div>
            <dt>Net</dt>
            <dd>{formatMoney(money.netCents, money.currency)}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">No rate per spot: the affidavit will show no money.</p>
      )}
    </section>
  );
}

export default function EditCampaign() {
  const { choices, values, version, order, state, totals, delivery, name, id, mayDelete } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/stations/${useParams().station ?? ''}/campaigns`}>← Campaigns</Link>
      </p>
      <h1>{values.name}</h1>
      <p className="muted">
        <span className={`flight-state flight-${state}`}>{STATE_WORDS[state] ?? state}</span> · version {version} · {totals.ordered} ordered, {totals.placed} placed, {totals.aired} aired
      </p>
      <OrderValue order={order} />
      <section aria-labelledby="delivery-heading">
        <h2 id="delivery-heading" className="visually-hidden">
          Delivery
        </h2>
        <DeliveryChart days={delivery.days} today={delivery.today} />
      </section>
      <CampaignForm choices={choices} values={result && !('refused' in result) ? result.values : values} errors={result?.errors ?? {}} message={result?.message ?? null} submitLabel="Save changes" version={version} />
      {mayDelete ? <DeleteButton id={id} name={name} what="campaign" refused={result && 'refused' in result ? result.refused : null} /> : null}
    </>
  );
}
