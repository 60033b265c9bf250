"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatUsd, formatUsdCompact } from "@/lib/money";

export interface ForecastChartRep {
  key: string;
  label: string;
  won: string;
  commit: string;
  bestCase: string;
  pipeline: string;
  quota: string;
}

const SERIES = [
  { key: "won", name: "Won", color: "var(--ok)" },
  { key: "commit", name: "Commit", color: "var(--accent)" },
  { key: "bestCase", name: "Best case", color: "var(--chart-other)" },
  { key: "pipeline", name: "Pipeline", color: "var(--chart-others)" },
] as const;

/** Won, commit, best case and pipeline against quota per rep; amounts become numbers only here, at the chart. */
export function ForecastChart({ reps }: { reps: ForecastChartRep[] }) {
  const data = reps.map((rep) => ({
    label: rep.label,
    won: Number(rep.won),
    commit: Number(rep.commit),
    bestCase: Number(rep.bestCase),
    pipeline: Number(rep.pipeline),
    quota: Number(rep.quota),
  }));
  return (
    <figure className="card chart-card forecast-chart">
      <figcaption>
        <h2>Against quota, per rep</h2>
        <p className="muted small">Bars: won, commit, best case and pipeline; the marker is the quota.</p>
      </figcaption>
      {reps.length === 0 ? (
        <p className="chart-empty">No reps with deals or a quota in this period.</p>
      ) : (
        <div className="chart-box" aria-hidden="true">
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={data} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis
                dataKey="label"
                tick={{ fill: "var(--muted)", fontSize: 12 }}
                interval={0}
                angle={reps.length > 8 ? -30 : 0}
                textAnchor={reps.length > 8 ? "end" : "middle"}
                height={reps.length > 8 ? 70 : 30}
              />
              <YAxis tickFormatter={formatUsdCompact} tick={{ fill: "var(--muted)", fontSize: 12 }} width={64} />
              <Tooltip formatter={(value) => formatUsd(Number(value).toFixed(2))} cursor={{ fill: "var(--hover)" }} />
              <Legend />
              {SERIES.map((series) => (
                <Bar key={series.key} dataKey={series.key} name={series.name} fill={series.color} />
              ))}
              <Scatter dataKey="quota" name="Quota" fill="var(--risk)" shape="diamond" />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
      <table className="sr-only">
        <caption>Against quota, per rep</caption>
        <thead>
          <tr>
            <th scope="col">Rep</th>
            {SERIES.map((series) => (
              <th key={series.key} scope="col">
                {series.name}
              </th>
            ))}
            <th scope="col">Quota</th>
          </tr>
        </thead>
        <tbody>
          {reps.map((rep) => (
            <tr key={rep.key}>
              <th scope="row">{rep.label}</th>
              {SERIES.map((series) => (
                <td key={series.key}>{formatUsd(rep[series.key])}</td>
              ))}
              <td>{formatUsd(rep.quota)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
