// Charts for the reports page, drawn with recharts (SVG, rendered on the server too, so they
// show before any script runs). Each is an image with a label for screen readers, and the same
// figures as a table under "Show the figures" for anyone who would rather read them.
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';

const WIDTH = 720;
const BAR_COLOUR = '#7a3fb0';

function Figures(props: { caption: string; head: [string, string]; rows: [string, string | number][] }) {
  return (
    <details className="chart-figures">
      <summary>Show the figures</summary>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.head[0]}</th>
            <th scope="col">{props.head[1]}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([name, value], i) => (
            <tr key={`${name}-${i}`}>
              <td>{name}</td>
              <td className="number">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function ChartFrame(props: { title: string; label: string; children: ReactNode; figures: ReactNode }) {
  return (
    <figure className="chart">
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
