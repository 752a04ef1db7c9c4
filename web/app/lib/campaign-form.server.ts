// Creating and changing a campaign from the web app's form: what the form needs to offer
// (advertisers, dayparts, ADV copy), and turning the submitted form into the API's body.
import { redirect } from '@remix-run/node';
import { api, ApiError } from './api.server.js';
import { text } from './forms.js';
import { fieldErrors, type FieldErrors } from './problems.js';

export interface CampaignFormChoices {
  advertisers: { id: string; name: string }[];
  dayparts: { name: string }[];
  copy: { id: string; title: string }[];
}

export interface CampaignValues {
  advertiserId: string;
  name: string;
  start: string;
  end: string;
  priority: string;
  spotsPerDay: string;
  spotLength: string;
  status: string;
  dayparts: string[];
  copy: string[];
}

export async function campaignFormChoices(request: Request, station: string): Promise<CampaignFormChoices> {
  const s = encodeURIComponent(station);
  const [advertisers, dayparts, page] = await Promise.all([
    api<{ id: string; name: string }[]>(request, `/stations/${s}/advertisers`),
    api<{ name: string }[]>(request, `/stations/${s}/dayparts`),
    api<{ items: { id: string; title: string }[] }>(request, `/stations/${s}/tracks?type=ADV&limit=200`),
  ]);
  return { advertisers: advertisers.map(({ id, name }) => ({ id, name })), dayparts: dayparts.map(({ name }) => ({ name })), copy: page.items.map(({ id, title }) => ({ id, title })) };
}

export function valuesOf(form: FormData): CampaignValues {
  return {
    advertiserId: text(form, 'advertiserId'),
    name: text(form, 'name').trim(),
    start: text(form, 'start'),
    end: text(form, 'end'),
    priority: text(form, 'priority'),
    spotsPerDay: text(form, 'spotsPerDay'),
    spotLength: text(form, 'spotLength'),
    status: text(form, 'status') || 'active',
    dayparts: form.getAll('dayparts').filter((v): v is string => typeof v === 'string'),
    copy: form.getAll('copy').filter((v): v is string => typeof v === 'string'),
  };
}

/** What the browser can say before asking the API; the API checks the rest (and says where). */
function formErrors(values: CampaignValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.advertiserId) errors.advertiserId = 'Choose the advertiser.';
  if (!values.name) errors.name = 'Give the campaign a name.';
  if (!values.start) errors.start = 'Give the first day of the flight.';
  if (!values.end) errors.end = 'Give the last day of the flight.';
  if (!values.copy.length) errors.copy = 'Choose at least one spot to air.';
  for (const [field, label] of [['priority', 'Priority'], ['spotsPerDay', 'Spots per day'], ['spotLength', 'Spot length']] as const) {
    if (values[field] && !Number.isFinite(Number(values[field]))) errors[field] = `${label} is a number.`;
  }
  return errors;
}

function bodyOf(values: CampaignValues) {
  return {
    advertiserId: values.advertiserId,
    name: values.name,
    start: values.start,
    end: values.end,
    ...(values.priority && { priority: Number(values.priority) }),
    ...(values.spotsPerDay && { spotsPerDay: Number(values.spotsPerDay) }),
    ...(values.spotLength && { spotLength: Number(values.spotLength) }),
    status: values.status,
    dayparts: values.dayparts,
    copy: values.copy.map((track) => ({ track })),
  };
}

/** Saves the form (create, or change the version read); field errors come back to the form. */
export async function saveCampaign(request: Request, station: string, campaign?: { id: string; version: number }): Promise<{ values: CampaignValues; errors: FieldErrors; message: string | null }> {
  const values = valuesOf(await request.formData());
  const errors = formErrors(values);
  if (Object.keys(errors).length) return { values, errors, message: 'Some fields need attention.' };
  const base = `/stations/${encodeURIComponent(station)}/campaigns`;
  try {
    if (campaign) await api(request, `${base}/${campaign.id}`, { method: 'PATCH', body: bodyOf(values), headers: { 'If-Match': `"${campaign.version}"` } });
    else await api(request, base, { method: 'POST', body: bodyOf(values) });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const fields = fieldErrors(error.problem);
    return { values, errors: fields, message: error.problem.status === 412 ? 'Someone changed this campaign since you opened it; reload to see their change.' : (error.problem.detail ?? error.problem.title) };
  }
  throw redirect(`/stations/${encodeURIComponent(station)}/campaigns`);
}
