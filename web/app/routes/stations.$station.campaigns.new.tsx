import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { CampaignForm, EMPTY_CAMPAIGN } from '../components/campaign-form.js';
import { campaignFormChoices, saveCampaign } from '../lib/campaign-form.server.js';

export const meta: MetaFunction = () => [{ title: 'New campaign · LibreLog' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return { choices: await campaignFormChoices(request, String(params.station)) };
}

export const action = ({ request, params }: ActionFunctionArgs) => saveCampaign(request, String(params.station));

export default function NewCampaign() {
  const { choices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/stations/${useParams().station ?? ''}/campaigns`}>← Campaigns</Link>
      </p>
      <h1>New campaign</h1>
      <CampaignForm choices={choices} values={result?.values ?? EMPTY_CAMPAIGN} errors={result?.errors ?? {}} message={result?.message ?? null} submitLabel="Create campaign" />
    </>
  );
}
