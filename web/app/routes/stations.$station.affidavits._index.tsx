// Affidavits (proof of performance): choose an advertiser and a period, download the affidavit
// as PDF (to sign and send) or CSV; and the ones the monthly Schedule filed, by month.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useParams } from '@remix-run/react';
import { DateTime } from 'luxon';
import { Field } from '../components/field.js';
import { api } from '../lib/api.server.js';
import { mayAny, rolesAt } from '../lib/roles.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Affidavits · LibreLog' }];

interface Advertiser {
  id: string;
  name: string;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const roles = await rolesAt(request, params.station);
  const mayHave = mayAny(roles, ['traffic']);
  const [advertisers, station] = await Promise.all([api<Advertiser[]>(request, `/stations/${slug}/advertisers`), api<{ timezone: string; name: string }>(request, `/stations/${slug}`)]);
  const filed = mayHave ? await api<{ month: string; files: string[] }[]>(request, `/stations/${slug}/affidavits/filed`).catch(() => []) : [];
  const lastMonth = DateTime.now().setZone(station.timezone).minus({ months: 1 }).toFormat('yyyy-MM');
  return { advertisers, filed, mayHave, lastMonth, stationName: station.name };
}

export default function Affidavits() {
  const { advertisers, filed, mayHave, lastMonth, stationName } = useLoaderData<typeof loader>();
  const { station } = useParams();
  const base = `/stations/${station}/affidavits`;
  return (
    <>
      <h1>Affidavits</h1>
      <p className="muted">Proof of performance for {stationName}'s advertisers: every spot of the period from the as-run, make-goods with their originals, totals, and the certification to sign.</p>
      {!mayHave ? (
        <p className="notice" role="status">
          Affidavits are traffic's: ask a traffic manager or the station's admin.
        </p>
      ) : advertisers.length === 0 ? (
        <p className="empty">No advertisers yet.</p>
      ) : (
        <Form method="get" action={`${base}/download`} reloadDocument className="affidavit-form" aria-label="Make an affidavit">
          <div className="field-row">
            <Field name="affidavit-advertiser" label="Advertiser">
              {(attrs) => (
                <select {...attrs} name="advertiser" required>
                  {advertisers.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="affidavit-period" label="Period" hint="A broadcast month runs Monday to Sunday, ending on the month's last Sunday.">
              {(attrs) => (
                <select {...attrs} name="period" defaultValue="month">
                  <option value="month">Calendar month</option>
                  <option value="broadcast-month">Broadcast month</option>
                  <option value="flight">The whole flight</option>
                </select>
              )}
            </Field>
            <Field name="affidavit-month" label="Month" hint="Not needed for the whole flight.">
              {(attrs) => <input {...attrs} name="month" type="month" defaultValue={lastMonth} />}
            </Field>
          </div>
          <div className="field-row">
            <Field name="affidavit-signer" label="Signed by (optional)" hint="Left blank, the PDF has lines to sign by hand.">
              {(attrs) => <input {...attrs} name="signer" maxLength={100} autoComplete="name" />}
            </Field>
            <Field name="affidavit-signer-title" label="Title (optional)">
              {(attrs) => <input {...attrs} name="signerTitle" maxLength={100} placeholder="Traffic Manager" />}
            </Field>
          </div>
          <div className="button-row">
            <button type="submit" name="format" value="pdf">
              Download PDF
            </button>
            <button type="submit" name="format" value="csv" className="secondary">
              Download CSV
            </button>
          </div>
        </Form>
      )}
      {mayHave ? (
        <section aria-labelledby="filed-heading">
          <h2 id="filed-heading">Filed each month</h2>
          {filed.length === 0 ? (
            <p className="empty">Nothing filed yet: on the 2nd of each month the month before's affidavits are filed here.</p>
          ) : (
            <ul className="filed-affidavits">
              {filed.map(({ month, files }) => (
                <li key={month}>
                  <strong>{DateTime.fromFormat(month, 'yyyy-MM').toFormat('LLLL yyyy')}</strong>
                  <ul>
                    {files.map((file) => (
                      <li key={file}>
                        <a href={`${base}/filed/${month}/${file}`} download>
                          {file}
                        </a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
