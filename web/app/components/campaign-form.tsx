// The campaign form, for a new campaign and for changing one: every field labelled, each
// problem next to its field — the order's paperwork (order number, agency, commission, rate)
// and each copy's ISCI code or Ad-ID included.
import { Form, useNavigation } from '@remix-run/react';
import { centsFromAmount, formatMoney } from '../../../domain/orders.js';
import type { CampaignFormChoices, CampaignValues } from '../lib/campaign-form.server.js';
import type { FieldErrors } from '../lib/problems.js';
import { Field } from './field.js';

/** A new campaign's form before anything is typed. */
export const EMPTY_CAMPAIGN: CampaignValues = {
  advertiserId: '',
  name: '',
  start: '',
  end: '',
  priority: '5',
  spotsPerDay: '',
  spotLength: '30',
  status: 'active',
  dayparts: [],
  copy: [],
  orderNumber: '',
  agency: '',
  agencyCommission: '',
  rate: '',
  currency: 'USD',
  isci: {},
  weight: {},
  copyStart: {},
  copyEnd: {},
};

export function CampaignForm(props: { choices: CampaignFormChoices; values: CampaignValues; errors: FieldErrors; message: string | null; submitLabel: string; version?: number }) {
  const { choices, values, errors } = props;
  const busy = useNavigation().state !== 'idle';
  return (
    <Form method="post" noValidate className="campaign-form">
      {props.version !== undefined ? <input type="hidden" name="version" value={props.version} /> : null}
      {props.message ? (
        <p className="problem" role="alert">
          {props.message}
        </p>
      ) : null}
      <Field name="advertiserId" label="Advertiser" error={errors.advertiserId}>
        {(attrs) => (
          <select {...attrs} defaultValue={values.advertiserId}>
            <option value="">Choose…</option>
            {choices.advertisers.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="name" label="Campaign name" error={errors.name}>
        {(attrs) => <input {...attrs} defaultValue={values.name} maxLength={200} />}
      </Field>
      <div className="field-row">
        <Field name="start" label="First day" error={errors.start}>
          {(attrs) => <input {...attrs} type="date" defaultValue={values.start} />}
        </Field>
        <Field name="end" label="Last day" error={errors.end}>
          {(attrs) => <input {...attrs} type="date" defaultValue={values.end} />}
        </Field>
      </div>
      <div className="field-row">
        <Field name="priority" label="Priority (1–10)" error={errors.priority} hint="A higher priority takes a break's place first.">
          {(attrs) => <input {...attrs} type="number" min={1} max={10} defaultValue={values.priority} />}
        </Field>
        <Field name="spotsPerDay" label="Spots per day" error={errors.spotsPerDay}>
          {(attrs) => <input {...attrs} type="number" min={1} max={200} defaultValue={values.spotsPerDay} />}
        </Field>
        <Field name="spotLength" label="Spot length (seconds)" error={errors.spotLength}>
          {(attrs) => <input {...attrs} type="number" min={1} max={3600} defaultValue={values.spotLength} />}
        </Field>
      </div>
      <fieldset className="order">
        <legend>Order (what the affidavit and invoice print)</legend>
        <div className="field-row">
          <Field name="orderNumber" label="Order or contract number" error={errors.orderNumber}>
            {(attrs) => <input {...attrs} defaultValue={values.orderNumber} maxLength={64} />}
          </Field>
          <Field name="agency" label="Agency" error={errors.agency} hint="Leave empty for a direct order.">
            {(attrs) => <input {...attrs} defaultValue={values.agency} maxLength={200} />}
          </Field>
          <Field name="agencyCommission" label="Agency commission (%)" error={errors.agencyCommission} hint="15 when an agency is named and this is left empty.">
            {(attrs) => <input {...attrs} type="number" min={0} max={100} step={0.01} defaultValue={values.agencyCommission} />}
          </Field>
        </div>
        <div className="field-row">
          <Field name="rate" label={`Rate per spot (${values.currency})`} error={errors.rate} hint={rateHint(values)}>
            {(attrs) => <input {...attrs} inputMode="decimal" placeholder="80.00" defaultValue={values.rate} />}
          </Field>
          <Field name="currency" label="Currency" error={errors.currency}>
            {(attrs) => <input {...attrs} defaultValue={values.currency} maxLength={3} size={4} />}
          </Field>
        </div>
      </fieldset>
      {props.version !== undefined ? (
        <Field name="status" label="Status" error={errors.status}>
          {(attrs) => (
            <select {...attrs} defaultValue={values.status}>
              <option value="active">active</option>
              <option value="paused">paused</option>
              <option value="cancelled">cancelled</option>
            </select>
          )}
        </Field>
      ) : null}
      <fieldset aria-describedby={errors.dayparts ? 'dayparts-error' : undefined}>
        <legend>Dayparts (none: any time)</legend>
        {choices.dayparts.map((d) => (
          <label key={d.name} className="check">
            <input type="checkbox" name="dayparts" value={d.name} defaultChecked={values.dayparts.includes(d.name)} /> {d.name}
          </label>
        ))}
        {errors.dayparts ? (
          <p id="dayparts-error" className="field-error">
            {errors.dayparts}
          </p>
        ) : null}
      </fieldset>
      <fieldset aria-describedby={errors.copy ? 'copy-error' : undefined}>
        <legend>Copy (the spots to air)</legend>
        {choices.copy.length === 0 ? <p className="muted">The library has no ADV tracks yet.</p> : null}
        {choices.copy.map((t) => {
          const codeError = errors[`isci:${t.id}`];
          const codeId = `field-isci-${t.id}`;
          return (
            <div key={t.id} className="copy-row">
              <label className="check">
                <input type="checkbox" name="copy" value={t.id} defaultChecked={values.copy.includes(t.id)} /> <span id={`${codeId}-copy`}>{t.title}</span>
              </label>
              {/* Named "ISCI or Ad-ID" and described by its copy's title, so the title names only the checkbox. */}
              <label htmlFor={codeId} className="copy-code">
                ISCI or Ad-ID
              </label>
              <input
                id={codeId}
                name={`isci:${t.id}`}
                defaultValue={values.isci[t.id] ?? ''}
                maxLength={32}
                placeholder="ABCD1234 or ABCD1234000"
                aria-invalid={Boolean(codeError)}
                aria-describedby={[`${codeId}-copy`, codeError ? `${codeId}-error` : ''].filter(Boolean).join(' ')}
              />
              {codeError ? (
                <p id={`${codeId}-error`} className="field-error">
                  {codeError}
                </p>
              ) : null}
              <CopyField track={t} name="weight" label="Weight" error={errors[`weight:${t.id}`]} value={values.weight[t.id] ?? ''} type="number" hint="1–100: how often it airs against the others (weighted rotation)" />
              <CopyField track={t} name="copyStart" label="From" error={errors[`copyStart:${t.id}`]} value={values.copyStart[t.id] ?? ''} type="date" hint="first day it may air (empty: the flight's)" />
              <CopyField track={t} name="copyEnd" label="Until" error={errors[`copyEnd:${t.id}`]} value={values.copyEnd[t.id] ?? ''} type="date" hint="last day it may air (empty: the flight's)" />
            </div>
          );
        })}
        {errors.copy ? (
          <p id="copy-error" className="field-error">
            {errors.copy}
          </p>
        ) : null}
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : props.submitLabel}
      </button>
    </Form>
  );
}

/** One of a copy's own fields (weight, first or last day), named for that copy, its problem beside it. */
function CopyField(props: { track: { id: string; title: string }; name: 'weight' | 'copyStart' | 'copyEnd'; label: string; error: string | undefined; value: string; type: 'number' | 'date'; hint: string }) {
  const id = `field-${props.name}-${props.track.id}`;
  return (
    <span className="copy-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={`${props.name}:${props.track.id}`}
        type={props.type}
        defaultValue={props.value}
        {...(props.type === 'number' ? { min: 1, max: 100, step: 1, inputMode: 'numeric' as const } : {})}
        title={props.hint}
        aria-invalid={Boolean(props.error)}
        aria-describedby={[`field-isci-${props.track.id}-copy`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ')}
      />
      {props.error ? (
        <span id={`${id}-error`} className="field-error">
          {props.error}
        </span>
      ) : null}
    </span>
  );
}

/** The rate as the paperwork will print it, when one was typed. */
function rateHint(values: CampaignValues): string {
  const cents = values.rate ? centsFromAmount(values.rate) : null;
  if (cents === null) return 'Dollars and cents, like 80.00; leave empty when the order has no rate.';
  try {
    return `${formatMoney(cents, values.currency)} a spot.`;
  } catch {
    return 'Dollars and cents, like 80.00.';
  }
}
