// Settings: how the station's logs are built, approved, published and reconciled — its timezone,
// the daily build, the approval deadline, the reconcile grace, how an hour is filled to time, who
// may publish, make-goods, and where approved logs go. The station's admin changes them (saved
// with the version read, so someone else's change in between is said, not overwritten);
// everyone at the station reads them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { Field } from '../components/field.js';
import { SettingsTabs } from '../components/settings-tabs.js';
import { api, ApiError } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { fieldErrors, type FieldErrors } from '../lib/problems.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';
import { TRACK_TYPE_NAMES, type TrackType } from '../../../domain/vocabulary.js';

export const meta: MetaFunction = () => [{ title: 'Settings · LibreLog' }];

/** The fill material a station may choose, in the API's order (api/spec/stations.yaml FillTypes). */
const FILL_TYPES = ['PRO', 'PSA', 'BED', 'LIN', 'INT', 'MUS'] as const satisfies readonly TrackType[];
type FillType = (typeof FILL_TYPES)[number];

/** Whole-number fields with the API's bounds. */
const WHOLE = {
  buildHour: [4, 23],
  buildDaysAhead: [0, 14],
  approvalLeadHours: [0, 336],
  reconcileGraceMinutes: [0, 1440],
  makeGoodGraceDays: [0, 365],
  makeGoodSharePercent: [0, 100],
} as const;
type WholeField = keyof typeof WHOLE;
const MAX_FILL_TOLERANCE_S = 600;

interface StationSettingsView {
  slug: string;
  name: string;
  version: number;
  timezone: string;
  playoutTarget: 'file' | 'libretime';
  buildHour: number;
  buildDaysAhead: number;
  approvalLeadHours: number;
  reconcileGraceMinutes: number;
  fillToleranceMs: number;
  fillTypes: string[];
  trafficMayPublish: boolean;
  makeGoodGraceDays: number;
  makeGoodSharePercent: number;
}

/** The form's values: text as typed, fill types in their order, the box ticked or not. */
interface Values {
  timezone: string;
  playoutTarget: string;
  buildHour: string;
  buildDaysAhead: string;
  approvalLeadHours: string;
  reconcileGraceMinutes: string;
  fillToleranceSeconds: string;
  fillTypes: string[];
  trafficMayPublish: boolean;
  makeGoodGraceDays: string;
  makeGoodSharePercent: string;
}

function valuesOf(s: StationSettingsView): Values {
  return {
    timezone: s.timezone,
    playoutTarget: s.playoutTarget,
    buildHour: String(s.buildHour),
    buildDaysAhead: String(s.buildDaysAhead),
    approvalLeadHours: String(s.approvalLeadHours),
    reconcileGraceMinutes: String(s.reconcileGraceMinutes),
    fillToleranceSeconds: String(s.fillToleranceMs / 1000),
    fillTypes: s.fillTypes,
    trafficMayPublish: s.trafficMayPublish,
    makeGoodGraceDays: String(s.makeGoodGraceDays),
    makeGoodSharePercent: String(s.makeGoodSharePercent),
  };
}

/** The form as the API takes it, or the fields that are not numbers in range (said before asking the API). */
function changesOf(values: Values): { changes: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const changes: Record<string, unknown> = { timezone: values.timezone, playoutTarget: values.playoutTarget, trafficMayPublish: values.trafficMayPublish };
  for (const [field, [min, max]] of Object.entries(WHOLE) as [WholeField, readonly [number, number]][]) {
    const typed = values[field].trim();
    const n = Number(typed);
    if (!/^\d+$/.test(typed) || n < min || n > max) errors[field] = `must be a whole number from ${min} to ${max}`;
    else changes[field] = n;
  }
  const seconds = Number(values.fillToleranceSeconds.trim());
  if (values.fillToleranceSeconds.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_FILL_TOLERANCE_S) {
    errors.fillToleranceSeconds = `must be a number of seconds from 0 to ${MAX_FILL_TOLERANCE_S}`;
  } else {
    changes.fillToleranceMs = Math.round(seconds * 1000);
  }
  if (values.fillTypes.length === 0) errors.fillTypes = 'choose at least one type of fill';
  else changes.fillTypes = values.fillTypes;
  return { changes, errors };
}

/** The API's field names where the form's differ. */
function formErrors(errors: FieldErrors): FieldErrors {
  const { fillToleranceMs, ...rest } = errors;
  return { ...rest, ...(fillToleranceMs !== undefined && { fillToleranceSeconds: fillToleranceMs }) };
}

/** Every IANA zone this server knows, and the station's own even if it is not among them. */
function timezones(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const station = await api<StationSettingsView>(request, `/stations/${encodeURIComponent(String(params.station))}`);
  return {
    station: { slug: station.slug, name: station.name, version: station.version },
    values: valuesOf(station),
    timezones: timezones(station.timezone),
    mayEdit: mayAny(await rolesAt(request, params.station), []),
    // Straight from the new station page: say what comes next.
    created: new URL(request.url).searchParams.get('created') === '1',
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const chosen = form.getAll('fillTypes').filter((v): v is FillType => typeof v === 'string' && (FILL_TYPES as readonly string[]).includes(v));
  const values: Values = {
    timezone: text(form, 'timezone'),
    playoutTarget: text(form, 'playoutTarget'),
    buildHour: text(form, 'buildHour'),
    buildDaysAhead: text(form, 'buildDaysAhead'),
    approvalLeadHours: text(form, 'approvalLeadHours'),
    reconcileGraceMinutes: text(form, 'reconcileGraceMinutes'),
    fillToleranceSeconds: text(form, 'fillToleranceSeconds'),
    fillTypes: [...new Set(chosen)],
    trafficMayPublish: text(form, 'trafficMayPublish') === 'on',
    makeGoodGraceDays: text(form, 'makeGoodGraceDays'),
    makeGoodSharePercent: text(form, 'makeGoodSharePercent'),
  };
  const version = text(form, 'version');
  const { changes, errors } = changesOf(values);
  if (Object.keys(errors).length) return { ok: false, values, version: null, errors, message: 'Some settings need a look: see the fields marked.' };
  try {
    const station = await api<StationSettingsView>(request, `/stations/${encodeURIComponent(String(params.station))}`, {
      method: 'PATCH',
      body: changes,
      ...(/^\d+$/.test(version) && { headers: { 'If-Match': `"${version}"` } }),
    });
    return { ok: true, values: valuesOf(station), version: station.version, errors: {} as FieldErrors, message: 'Saved. The next build uses these settings.' };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { status } = error.problem;
    const message =
      status === 412
        ? 'Someone else changed the station since you opened this page: reload it to see their change, then make yours again.'
        : status === 403
          ? 'Only the station’s admin may change its settings.'
          : (error.problem.detail ?? error.problem.title);
    return { ok: false, values, version: null, errors: status === 400 ? formErrors(fieldErrors(error.problem)) : {}, message };
  }
}

const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

export default function StationSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const values = result?.values ?? loaded.values;
  const errors: FieldErrors = result?.errors ?? {};
  const version = result?.version ?? loaded.station.version;
  const disabled = !loaded.mayEdit || busy;
  const number = (name: WholeField | 'fillToleranceSeconds', label: string, props: { hint?: string; min: number; max: number; step?: number; unit?: string }) => (
    <Field name={name} label={props.unit ? `${label} (${props.unit})` : label} error={errors[name]} {...(props.hint !== undefined && { hint: props.hint })}>
      {(attrs) => <input {...attrs} name={name} type="number" inputMode="decimal" min={props.min} max={props.max} step={props.step ?? 1} defaultValue={values[name]} required />}
    </Field>
  );
  return (
    <>
      <h1>Settings</h1>
      <SettingsTabs station={loaded.station.slug} />
      <p className="muted">How {loaded.station.name}’s logs are built, approved, published and reconciled.</p>
      {!loaded.mayEdit ? (
        <p className="notice" role="status">
          Only the station’s admin may change these.
        </p>
      ) : null}
      {loaded.created && !result ? (
        <div className="notice" role="status">
          <p>
            {loaded.station.name} is added. Check how its logs are built here, then its <Link to={`/stations/${loaded.station.slug}/settings`}>details</Link> and{' '}
            <Link to={`/stations/${loaded.station.slug}/settings/connections`}>connections</Link>; then <Link to={`/stations/${loaded.station.slug}/library`}>add tracks</Link>, make a{' '}
            <Link to={`/stations/${loaded.station.slug}/clocks`}>clock</Link> and put it on the <Link to={`/stations/${loaded.station.slug}/grid`}>grid</Link>.
          </p>
        </div>
      ) : null}
      {result ? (
        <p className={result.ok ? 'notice' : 'problem'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      <Form method="post" noValidate aria-label="Station settings" key={`${version}-${result ? 'after' : 'before'}`} className="settings-form">
        <input type="hidden" name="version" value={version} />
        <fieldset disabled={disabled}>
          <legend>Time and the daily build</legend>
          <div className="field-row">
            <Field name="timezone" label="Timezone" error={errors.timezone} hint="The broadcast day is counted in it; DST days have 23 or 25 hours.">
              {(attrs) => (
                <select {...attrs} name="timezone" defaultValue={values.timezone}>
                  {loaded.timezones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="buildHour" label="Build hour" error={errors.buildHour} hint="Local time of the daily build; 04:00 or later exists on every day.">
              {(attrs) => (
                <select {...attrs} name="buildHour" defaultValue={values.buildHour}>
                  {Array.from({ length: 20 }, (_, i) => i + 4).map((h) => (
                    <option key={h} value={String(h)}>
                      {hour(h)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {number('buildDaysAhead', 'Days ahead', { min: 0, max: 14, unit: 'days', hint: 'How many days ahead the daily build makes logs.' })}
          </div>
        </fieldset>
        <fieldset disabled={disabled}>
          <legend>Approval, publishing and reconciliation</legend>
          <div className="field-row">
            {number('approvalLeadHours', 'Approval lead', { min: 0, max: 336, unit: 'hours', hint: 'A log must be approved this long before its day starts.' })}
            {number('reconcileGraceMinutes', 'Reconcile grace', { min: 0, max: 1440, unit: 'minutes', hint: 'Wait this long after the day for the as-run.' })}
            <Field name="playoutTarget" label="Playout target" error={errors.playoutTarget} hint="Where approved logs go.">
              {(attrs) => (
                <select {...attrs} name="playoutTarget" defaultValue={values.playoutTarget}>
                  <option value="file">A file (the station’s own playout reads it)</option>
                  <option value="libretime">LibreTime (see Connections)</option>
                </select>
              )}
            </Field>
          </div>
          <div className="field checkbox">
            <input id="field-trafficMayPublish" type="checkbox" name="trafficMayPublish" defaultChecked={values.trafficMayPublish} aria-describedby="field-trafficMayPublish-hint" />
            <label htmlFor="field-trafficMayPublish">Traffic may publish</label>
            <p id="field-trafficMayPublish-hint" className="muted hint">
              Lets the traffic role publish approved logs; otherwise only the admin does.
            </p>
            {errors.trafficMayPublish ? <p className="field-error">{errors.trafficMayPublish}</p> : null}
          </div>
        </fieldset>
        <fieldset disabled={disabled}>
          <legend>Filling an hour to time</legend>
          {number('fillToleranceSeconds', 'Fill tolerance', { min: 0, max: MAX_FILL_TOLERANCE_S, step: 0.1, unit: 'seconds', hint: 'How far from the hour a soft-start hour may end.' })}
          <FillTypes chosen={values.fillTypes} error={errors.fillTypes} disabled={disabled} />
        </fieldset>
        <fieldset disabled={disabled}>
          <legend>Make-goods</legend>
          <div className="field-row">
            {number('makeGoodGraceDays', 'Grace after the flight', { min: 0, max: 365, unit: 'days', hint: 'Make-goods are still owed this long after a campaign ends.' })}
            {number('makeGoodSharePercent', 'Largest share of a day’s avails', { min: 0, max: 100, unit: '%', hint: 'At least one a day unless 0.' })}
          </div>
        </fieldset>
        {loaded.mayEdit ? (
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        ) : null}
      </Form>
    </>
  );
}

/**
 * The fill types as an ordered list of checkboxes: ticked ones are used, in the order shown; Up
 * and Down move a type. The form sends the ticked ones in that order (without script, in the
 * order the page came with).
 */
function FillTypes({ chosen, error, disabled }: { chosen: string[]; error: string | undefined; disabled: boolean }) {
  const [order, setOrder] = useState<string[]>(() => [...chosen, ...FILL_TYPES.filter((t) => !chosen.includes(t))]);
  const move = (index: number, by: -1 | 1) => {
    const next = [...order];
    const [type] = next.splice(index, 1);
    next.splice(index + by, 0, type!);
    setOrder(next);
  };
  return (
    <fieldset className="fill-types" aria-describedby={`fill-types-hint${error ? ' fill-types-error' : ''}`}>
      <legend>Fill types, in order of preference</legend>
      <p id="fill-types-hint" className="muted hint">
        What a build may use to fill an hour short of a hard start: the best fit first, then this order.
      </p>
      <ol>
        {order.map((type, index) => (
          <li key={type}>
            <input id={`fill-${type}`} type="checkbox" name="fillTypes" value={type} defaultChecked={chosen.includes(type)} />
            <label htmlFor={`fill-${type}`}>
              {TRACK_TYPE_NAMES[type as TrackType]} ({type})
            </label>
            <button type="button" className="secondary fill-move" onClick={() => move(index, -1)} disabled={disabled || index === 0} aria-label={`Move ${TRACK_TYPE_NAMES[type as TrackType]} up`}>
              Up
            </button>
            <button type="button" className="secondary fill-move" onClick={() => move(index, 1)} disabled={disabled || index === order.length - 1} aria-label={`Move ${TRACK_TYPE_NAMES[type as TrackType]} down`}>
              Down
            </button>
          </li>
        ))}
      </ol>
      {error ? (
        <p id="fill-types-error" className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
