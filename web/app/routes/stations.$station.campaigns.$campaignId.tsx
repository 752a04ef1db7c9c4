import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { CampaignForm } from '../components/campaign-form.js';
import { api } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { campaignFormChoices, saveCampaign, type CampaignValues } from '../lib/campaign-form.server.js';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.values.name ?? 'Campaign'} · LibreLog` }];

interface Campaign {
  id: string;
  advertiserId: string;
  name: string;
  start: string;
  end: string;
  priority: number;
  spotsPerDay: number | null;
  spotLength: number;
  status: string;
  version: number;
  dayparts: string[];
  copy: { trackId: string }[];
}

const read = (request: Request, station: string, id: string) => api<Campaign>(request, `/stations/${encodeURIComponent(station)}/campaigns/${encodeURIComponent(id)}`);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const [campaign, choices] = await Promise.all([read(request, String(params.station), String(params.campaignId)), campaignFormChoices(request, String(params.station))]);
  const values: CampaignValues = {
    advertiserId: campaign.advertiserId,
    name: campaign.name,
    start: campaign.start,
    end: campaign.end,
    priority: String(campaign.priority),
    spotsPerDay: campaign.spotsPerDay === null ? '' : String(campaign.spotsPerDay),
    spotLength: String(campaign.spotLength),
    status: campaign.status,
    dayparts: campaign.dayparts,
    copy: campaign.copy.map((c) => c.trackId),
  };
  return { choices, values, version: campaign.version };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.clone().formData();
  const version = Number(text(form, 'version'));
  return saveCampaign(request, String(params.station), { id: String(params.campaignId), version });
}

export default function EditCampaign() {
  const { choices, values, version } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/stations/${useParams().station ?? ''}/campaigns`}>← Campaigns</Link>
      </p>
      <h1>{values.name}</h1>
      <p className="muted">Version {version}</p>
      <CampaignForm choices={choices} values={result?.values ?? values} errors={result?.errors ?? {}} message={result?.message ?? null} submitLabel="Save changes" version={version} />
    </>
  );
}
