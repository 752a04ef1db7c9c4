// The avails of each day as stacked columns — sold, free and (above the avails) oversold — drawn
// with recharts like the reports' charts: SVG of a fixed size scaled by CSS, an image with a label
// for screen readers, and the same figures as a table under "Show the figures".
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, Figures } from './report-charts.js';

const WIDTH = 960;
const COLOURS = { sold: '#7a3fb0', free: '#9fd3a8', oversold: '#b3261e' };

export interface AvailsChartDay {
  date: string;
  /** "Mon 7", as the axis says it. */
  label: string;
  avails: number;
  sold: number;
  free: number;
  oversold: number;
}

export function AvailsChart(props: { days: AvailsChartDay[] }) {
  const title = 'Sold and free avails by day';
  const avails = props.days.reduce((s, d) => s + d.avails, 0);
  const sold = props.days.reduce((s, d) => s + d.sold, 0);
  const free = props.days.reduce((s, d) => s + d.free, 0);
  const oversoldDays = props.days.filter((d) => d.oversold > 0).length;
  const label = `${title}: ${props.days.length} days, ${avails} avails, ${sold} sold, ${free} free${oversoldDays ? `, oversold on ${oversoldDays} days` : ''}`;
  // Sold within the avails, free, then what is sold beyond them: each column is max(avails, sold) high.
  const data = props.days.map((d) => ({ ...d, soldWithin: d.sold - d.oversold }));
  return (
    <ChartFrame
      className="avails-chart"
      title={title}
      label={label}
      figures={<Figures caption={title} head={['Day', 'Avails', 'Sold', 'Free', 'Oversold']} rows={props.days.map((d) => [d.date, d.avails, d.sold, d.free, d.oversold])} />}
    >
      <BarChart width={WIDTH} height={300} data={data} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} angle={-45} textAnchor="end" height={56} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="soldWithin" name="Sold" stackId="avails" fill={COLOURS.sold} isAnimationActive={false} />
        <Bar dataKey="free" name="Free" stackId="avails" fill={COLOURS.free} isAnimationActive={false} />
        <Bar dataKey="oversold" name="Oversold" stackId="avails" fill={COLOURS.oversold} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
