import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { NO_DISPOSITION, type ReportOptions, type ReportSeries, type ReportSummary } from '../../../shared/cloud/reports';
import { SERIES_COLORS } from './report-labels';

/** One stacked bar per series key (user, team, time bucket), one segment per disposition. */
export interface StackedChartProps {
  title: string;
  series: ReportSeries[];
  /** The bar's label for a key (a user's name, a team's, a date). */
  nameOf: (key: string) => string;
  dispositions: ReadonlyArray<{ id: string; name: string }>;
  /** Clicking a segment (or its button) filters the table. */
  onPick: (key: string, dispositionId: string | null) => void;
  pickLabel: string;
}

export function StackedChart(props: StackedChartProps) {
  const used = useMemo(() => {
    const ids = new Set(props.series.flatMap((s) => Object.keys(s.counts)));
    const known = props.dispositions.filter((d) => ids.has(d.id));
    return ids.has(NO_DISPOSITION) ? [...known, { id: NO_DISPOSITION, name: 'No disposition' }] : known;
  }, [props.series, props.dispositions]);
  const data = useMemo(() => props.series.map((s) => ({ key: s.key, name: props.nameOf(s.key), total: s.total, ...s.counts })), [props]);
  const height = Math.max(180, Math.min(420, 48 + data.length * 26));
  return (
    <figure className="report-chart">
      <figcaption>{props.title}</figcaption>
      {data.length === 0 ? (
        <p className="muted">No calls.</p>
      ) : (
        <>
          <div className="chart-box" aria-hidden="true">
            <ResponsiveContainer width="100%" height={height}>
              {/* No keyboard layer: the box is hidden from assistive tech, so nothing in it may take focus (the buttons below do). */}
              <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis type="number" allowDecimals={false} stroke="var(--muted)" />
                <YAxis type="category" dataKey="name" width={120} stroke="var(--muted)" />
                <Tooltip contentStyle={{ background: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)' }} />
                <Legend />
                {used.map((d, i) => (
                  <Bar
                    key={d.id}
                    dataKey={d.id}
                    name={d.name}
                    stackId="d"
                    fill={SERIES_COLORS[i % SERIES_COLORS.length]}
                    cursor="pointer"
                    onClick={(entry: { payload?: { key?: string } }) => entry.payload?.key && props.onPick(entry.payload.key, d.id)}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          {/* The same figures as buttons: the keyboard's and the screen reader's way into the chart. */}
          <ul className="chart-keys" aria-label={props.title}>
            {data.map((row) => (
              <li key={row.key}>
                <button type="button" onClick={() => props.onPick(row.key, null)} aria-label={`${props.pickLabel} ${row.name}: ${row.total} calls`}>
                  {row.name} <span className="muted">{row.total}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  );
}

/** Labels for the chart keys: users, teams, and time buckets (dates, week starts or date+hour). */
export function keyNamer(options: ReportOptions | null, kind: 'user' | 'team' | 'time'): (key: string) => string {
  if (kind === 'time') return (key) => (key.includes('T') ? `${key.slice(5, 10)} ${key.slice(11)}:00` : key.slice(5));
  const list = kind === 'user' ? options?.users : options?.teams;
  const names = new Map((list ?? []).map((o) => [o.id, o.name]));
  return (key) => names.get(key) ?? key;
}

export type { ReportSummary };
