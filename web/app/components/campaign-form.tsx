// The campaign form, for a new campaign and for changing one: every field labelled, each
// problem next to its field.
import { Form, useNavigation } from '@remix-run/react';
import type { CampaignFormChoices, CampaignValues } from '../lib/campaign-form.server.js';
import type { FieldErrors } from '../lib/problems.js';
import { Field } from './field.js';

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
        {choices.copy.map((t) => (
          <label key={t.id} className="check">
            <input type="checkbox" name="copy" value={t.id} defaultChecked={values.copy.includes(t.id)} /> {t.title}
          </label>
        ))}
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
