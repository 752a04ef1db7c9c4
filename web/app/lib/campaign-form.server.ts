// Creating and changing a campaign from the web app's form: what the form needs to offer
// (advertisers, dayparts, ADV copy), and turning the submitted form into the API's body —
// the order fields included: order number, agency and commission, the rate typed as dollars
// and cents (sent as integer cents), and an ISCI code or Ad-ID per copy.
import { redirect } from '@remix-run/node';
import { amountFromCents, centsFromAmount } from '../../../domain/orders.js';
import { api, ApiError, type ApiProblem } from './api.server.js';
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
  orderNumber: string;
  agency: string;
  /** Percent, as typed; empty = the API's default (15 with an agency). */
  agencyCommission: string;
  /** Dollars and cents, as typed ("80.00"). */
  rate: string;
  currency: string;
  /** ISCI code or Ad-ID per copy track id, as typed. */
  isci: Record<string, string>;
  /** Weight (1–100, for weighted rotation), first and last day per copy track id, as typed. */
  weight: Record<string, string>;
  copyStart: Record<string, string>;
  copyEnd: Record<string, string>;
}

/** Per-copy fields of the form: its name prefix, and the API's name for it in `copy[i]`. */
const COPY_FIELDS = { isci: 'isci', weight: 'weight', copyStart: 'start', copyEnd: 'end' } as const;

/** The form field of a copy's ISCI or Ad-ID, and the key of its problem. */
export const isciField = (trackId: string) => `isci:${trackId}`;

/** A campaign as the API reads it → what the form shows. */
export function valuesOfCampaign(campaign: {
  advertiserId: string;
  name: string;
  start: string;
  end: string;
  priority: number;
  spotsPerDay: number | null;
  spotLength: number;
  status: string;
  dayparts: string[];
  copy: { trackId: string; isci: string | null; weight?: number; start?: string | null; end?: string | null }[];
  orderNumber: string | null;
  agency: string | null;
  agencyCommission: number;
  ratePerSpotCents: number | null;
  currency: string;
}): CampaignValues {
  return {
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
    orderNumber: campaign.orderNumber ?? '',
    agency: campaign.agency ?? '',
    agencyCommission: campaign.agency ? String(campaign.agencyCommission) : '',
    rate: campaign.ratePerSpotCents === null ? '' : amountFromCents(campaign.ratePerSpotCents),
    currency: campaign.currency,
    isci: Object.fromEntries(campaign.copy.filter((c) => c.isci).map((c) => [c.trackId, c.isci!])),
    weight: Object.fromEntries(campaign.copy.filter((c) => c.weight !== undefined).map((c) => [c.trackId, String(c.weight)])),
    copyStart: Object.fromEntries(campaign.copy.filter((c) => c.start).map((c) => [c.trackId, c.start!])),
    copyEnd: Object.fromEntries(campaign.copy.filter((c) => c.end).map((c) => [c.trackId, c.end!])),
  };
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
  const perCopy = { isci: {}, weight: {}, copyStart: {}, copyEnd: {} } as Record<keyof typeof COPY_FIELDS, Record<string, string>>;
  for (const [key, value] of form.entries()) {
    const colon = key.indexOf(':');
    const field = key.slice(0, colon) as keyof typeof COPY_FIELDS;
    if (colon > 0 && field in COPY_FIELDS && typeof value === 'string' && value.trim()) perCopy[field][key.slice(colon + 1)] = value.trim();
  }
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
    orderNumber: text(form, 'orderNumber').trim(),
    agency: text(form, 'agency').trim(),
    agencyCommission: text(form, 'agencyCommission').trim(),
    rate: text(form, 'rate').trim(),
    currency: text(form, 'currency').trim().toUpperCase() || 'USD',
    ...perCopy,
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
  for (const [field, label] of [['priority', 'Priority'], ['spotsPerDay', 'Spots per day'], ['spotLength', 'Spot length'], ['agencyCommission', 'The commission']] as const) {
    if (values[field] && !Number.isFinite(Number(values[field]))) errors[field] = `${label} is a number.`;
  }
  if (values.rate && centsFromAmount(values.rate) === null) errors.rate = 'Type the rate as dollars and cents, like 80.00.';
  for (const track of values.copy) {
    const weight = values.weight[track];
    if (weight !== undefined && !(Number.isInteger(Number(weight)) && Number(weight) >= 1 && Number(weight) <= 100)) errors[`weight:${track}`] = 'A weight is a whole number from 1 to 100.';
    const [start, end] = [values.copyStart[track], values.copyEnd[track]];
    if (start && end && end < start) errors[`copyEnd:${track}`] = 'The last day comes on or after the first.';
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
    orderNumber: values.orderNumber || null,
    agency: values.agency || null,
    // Left empty, the API gives a named agency its usual 15% (or keeps the percent it had).
    ...(values.agencyCommission && { agencyCommission: Number(values.agencyCommission) }),
    ratePerSpotCents: values.rate ? centsFromAmount(values.rate) : null,
    currency: values.currency,
    copy: values.copy.map((track) => ({
      track,
      ...(values.isci[track] && { isci: values.isci[track] }),
      ...(values.weight[track] && { weight: Number(values.weight[track]) }),
      ...(values.copyStart[track] && { start: values.copyStart[track] }),
      ...(values.copyEnd[track] && { end: values.copyEnd[track] }),
    })),
  };
}

/**
 * The API's problems by form field: a copy's code next to that copy's code field (the API
 * counts the copy sent, `body.copy[1].isci`), the rate next to the rate; the rest by name.
 */
function problemsByField(problem: ApiProblem, values: CampaignValues): FieldErrors {
  const errors: FieldErrors = {};
  const rest: NonNullable<ApiProblem['errors']> = [];
  for (const e of problem.errors ?? []) {
    const code = /^body\.copy\[(\d+)\]\.(isci|weight|start|end)$/.exec(e.path);
    const track = code ? values.copy[Number(code[1])] : undefined;
    const field = code ? (Object.entries(COPY_FIELDS).find(([, api]) => api === code[2])?.[0] ?? 'isci') : 'isci';
    if (track) errors[`${field}:${track}`] ??= e.message;
    else if (e.path === 'body.ratePerSpotCents') errors.rate ??= e.message;
    else rest.push(e);
  }
  return { ...fieldErrors({ ...problem, errors: rest }), ...errors };
}

/** Saves the form (create, or change the version read); field errors come back to the form. */
export async function saveCampaign(request: Request, station: string, campaign?: { id: string; version: number }): Promise<{ values: CampaignValues; errors: FieldErrors; message: string | null }> {
  const values = valuesOf(await request.formData());
  const errors = formErrors(values);
  if (Object.keys(errors).length) return { values, errors, message: 'Some fields need attention.' };
  const base = `/stations/${encodeURIComponent(station)}/campaigns`;
  try {
    if (campaign) {
      // A campaign keeps its advertiser: the API's changes have no advertiserId (it refused every edit that sent one).
      const { advertiserId: _advertiser, ...changes } = bodyOf(values);
      await api(request, `${base}/${campaign.id}`, { method: 'PATCH', body: changes, headers: { 'If-Match': `"${campaign.version}"` } });
    }
    else await api(request, base, { method: 'POST', body: bodyOf(values) });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const fields = problemsByField(error.problem, values);
    return { values, errors: fields, message: error.problem.status === 412 ? 'Someone changed this campaign since you opened it; reload to see their change.' : (error.problem.detail ?? error.problem.title) };
  }
  throw redirect(`/stations/${encodeURIComponent(station)}/campaigns`);
}
