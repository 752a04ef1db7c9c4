// Charts for the reports page, drawn with recharts (SVG, rendered on the server too, so they
// show before any script runs). Each is an image with a label for screen readers, and the same
// figures as a table under "Show the figures" for anyone who would rather read them.
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

const WIDTH = 720;
const BAR_COLOUR = '#7a3fb0';

/** A chart's figures as a table, for anyone who would rather read them: a column per heading. */
export function Figures(props: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <details className="chart-figures">
      <summary>Show the figures</summary>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([name, ...values], i) => (
            <tr key={`${name}-${i}`}>
              <td>{name}</td>
              {values.map((v, k) => (
                <td key={k} className="number">
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A chart as an image with a label for screen readers, its caption, and its figures under it. */
export function ChartFrame(props: { title: string; label: string; children: ReactNode; figures: ReactNode; className?: string }) {
  return (
    <figure className={props.className ? `chart ${props.className}` : 'chart'}>
      <figcaption>{props.title}</figcaption>
      <div role="img" aria-label={props.label} className="chart-image">
        {props.children}
      </div>
      {props.figures}
    </figure>
  );
}

/** The most played, as horizontal bars: a row per name, its spins. */
export function SpinsChart(props: { title: string; rows: { name: string; spins: number }[] }) {
  const height = 40 + props.rows.length * 26;
  const top = props.rows[0];
  return (
    <ChartFrame
      title={props.title}
      label={top ? `${props.title}: ${props.rows.length} shown, ${top.name} most with ${top.spins} spins` : `${props.title}: none`}
      figures={<Figures caption={props.title} head={['Name', 'Spins']} rows={props.rows.map((r) => [r.name, r.spins])} />}
    >
      <BarChart width={WIDTH} height={height} data={props.rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="name" width={260} tick={{ fontSize: 12 }} interval={0} />
        <Tooltip />
        <Bar dataKey="spins" name="Spins" fill={BAR_COLOUR} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

/** Listener hours of each day of the period, as columns. */
export function ListenerHoursChart(props: { days: { date: string; listenerHours: number; sessions: number }[] }) {
  const total = props.days.reduce((sum, d) => sum + d.listenerHours, 0);
  const best = props.days.reduce<{ date: string; listenerHours: number } | null>((b, d) => (!b || d.listenerHours > b.listenerHours ? d : b), null);
  const title = 'Listener hours by day';
  return (
    <ChartFrame
      title={title}
      label={`${title}: ${Math.round(total * 10) / 10} hours over ${props.days.length} days${best && best.listenerHours > 0 ? `, most on ${best.date} (${best.listenerHours})` : ''}`}
      figures={<Figures caption={title} head={['Day', 'Listener hours']} rows={props.days.map((d) => [d.date, d.listenerHours])} />}
    >
      <BarChart width={WIDTH} height={260} data={props.days.map((d) => ({ ...d, day: d.date.slice(5) }))} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} />
        <YAxis />
        <Tooltip />
        <Bar dataKey="listenerHours" name="Listener hours" fill={BAR_COLOUR} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

/** A campaign's delivery over its flight: ordered, placed and aired to date, with today marked. */
export function DeliveryChart(props: { days: { date: string; orderedToDate: number; placedToDate: number; airedToDate: number }[]; today: string }) {
  const last = props.days.at(-1);
  const upToToday = props.days.filter((d) => d.date <= props.today).at(-1);
  const title = 'Delivery over the flight';
  const label = last
    ? `${title}: ${last.orderedToDate} spots ordered in all; ${upToToday ? `by ${upToToday.date}, ${upToToday.orderedToDate} ordered, ` : ''}${last.placedToDate} placed in logs, ${last.airedToDate} aired`
    : `${title}: no days`;
  return (
    <ChartFrame
      title={title}
      label={label}
      figures={<Figures caption={title} head={['Day', 'Ordered to date', 'Placed to date', 'Aired to date']} rows={props.days.map((d) => [d.date, d.orderedToDate, d.placedToDate, d.airedToDate])} />}
    >
      <LineChart width={WIDTH} height={280} data={props.days.map((d) => ({ ...d, day: d.date.slice(5) }))} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {props.days.some((d) => d.date === props.today) ? <ReferenceLine x={props.today.slice(5)} stroke="#666" strokeDasharray="4 2" label="today" /> : null}
        <Line type="stepAfter" dataKey="orderedToDate" name="Ordered" stroke="#555" strokeDasharray="6 3" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="placedToDate" name="Placed" stroke={BAR_COLOUR} dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="airedToDate" name="Aired" stroke="#1f7a4d" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
