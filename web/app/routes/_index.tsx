import type { MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { temporalUiLinks } from '../lib/config.server.js';
import { getDb } from '../lib/db.server.js';
import { DAY_STATUS_LABELS, formatBroadcastDate } from '../lib/day-status.js';
import { NEXT_DAYS } from '../lib/broadcast-day.js';
import { listStationsWithNextDays } from '../lib/stations.server.js';
import type { StationDays } from '../lib/stations.server.js';

export const meta: MetaFunction = () => [{ title: 'Stations · LibreLog' }];

export async function loader() {
  const stations = await listStationsWithNextDays(getDb(), { now: new Date(), ...temporalUiLinks() });
  return { stations };
}

export default function StationsPage() {
  const { stations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Stations</h1>
      {stations.length === 0 ? (
        <div className="empty">
          <p>No stations yet.</p>
          <p className="muted">Import a station bundle or add a station through the API; its next {NEXT_DAYS} broadcast days will show here.</p>
        </div>
      ) : (
        stations.map((station) => <StationCard key={station.id} station={station} />)
      )}
    </>
  );
}

function StationCard({ station }: { station: StationDays }) {
  return (
    <section className="station" aria-labelledby={`station-${station.slug}`}>
      <h2 id={`station-${station.slug}`}>{station.name}</h2>
      <p className="station-facts">
        <span className="workflow-id">{station.slug}</span> · {station.timezone}
      </p>
      {station.problem ? (
        <p className="problem">{station.problem}</p>
      ) : (
        <table className="days">
          <thead>
            <tr>
              <th scope="col">Broadcast day</th>
              <th scope="col">Log</th>
              <th scope="col">Version</th>
              <th scope="col">Run in Temporal UI</th>
            </tr>
          </thead>
          <tbody>
            {station.days.map((day) => (
              <tr key={day.date} className={day.isToday ? 'today' : undefined}>
                <td>
                  <time dateTime={day.date}>{formatBroadcastDate(day.date)}</time>
                  {day.isToday ? <span className="tag">today</span> : null}
                </td>
                <td>
                  <span className={`status status-${day.status}`}>{DAY_STATUS_LABELS[day.status]}</span>
                </td>
                <td>{day.version ?? '—'}</td>
                <td>
                  <a className="workflow-id" href={day.temporalUrl} target="_blank" rel="noreferrer">
                    {day.workflowId}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
