"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { type ChartBar, OTHERS_KEY } from "@/lib/dashboard/view-models";
import { formatUsd, formatUsdCompact } from "@/lib/money";
import { useUrlState } from "./use-url-state";

const HEIGHT = 260;

function ExactTooltip({ active, payload, label }: { active?: boolean; payload?: { payload: ChartBar }[]; label?: string }) {
  const bar = payload?.[0]?.payload;
  if (!active || !bar) return null;
  return (
    <div className="chart-tooltip">
      <strong>{bar.label ?? label}</strong>
      <div><span className="swatch swatch-risk" /> At risk: {formatUsd(bar.atRisk)}</div>
      <div><span className="swatch swatch-other" /> Not at risk: {formatUsd(bar.other)}</div>
    </div>
  );
}

/** The chart's numbers as a table for screen readers (and anyone who prefers figures). */
function ChartTable({ caption, bars, first }: { caption: string; bars: ChartBar[]; first: string }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr><th scope="col">{first}</th><th scope="col">At risk</th><th scope="col">Not at risk</th></tr>
      </thead>
      <tbody>
        {bars.map((bar) => (
          <tr key={bar.key}><th scope="row">{bar.label}</th><td>{formatUsd(bar.atRisk)}</td><td>{formatUsd(bar.other)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function ChartCard({ title, hint, children }: { title: string; hint?: string; children: React.ReactNode }) {
  return (
    <figure className="card chart-card">
      <figcaption>
        <h2>{title}</h2>
        {hint && <p className="muted small">{hint}</p>}
      </figcaption>
      {children}
    </figure>
  );
}

export function PipelineCharts({ stages, months, owners }: { stages: ChartBar[]; months: ChartBar[]; owners: ChartBar[] }) {
  const { update } = useUrlState();
  return (
    <section className="charts" aria-label="Charts">
      <ChartCard title="Open pipeline by stage" hint="Click a stage to filter to it.">
        <div className="chart-box" aria-hidden="true">
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <BarChart data={stages} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="label" tick={{ fill: "var(--muted)", fontSize: 12 }} />
              <YAxis tickFormatter={formatUsdCompact} tick={{ fill: "var(--muted)", fontSize: 12 }} width={64} />
              <Tooltip content={<ExactTooltip />} cursor={{ fill: "var(--hover)" }} />
              <Bar dataKey="atRiskValue" name="At risk" stackId="stage" fill="var(--risk)" cursor="pointer" onClick={(data) => update({ stage: (data.payload as ChartBar).key })} />
              <Bar dataKey="otherValue" name="Not at risk" stackId="stage" fill="var(--chart-other)" cursor="pointer" onClick={(data) => update({ stage: (data.payload as ChartBar).key })} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption="Open pipeline by stage" bars={stages} first="Stage" />
        <ul className="chart-actions sr-only">
          {stages.map((bar) => (
            <li key={bar.key}><button type="button" onClick={() => update({ stage: bar.key })}>Filter to stage {bar.label}</button></li>
          ))}
        </ul>
      </ChartCard>
      <ChartCard title="Revenue at risk by close month" hint="The next 12 months.">
        <div className="chart-box" aria-hidden="true">
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <BarChart data={months} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="label" tick={{ fill: "var(--muted)", fontSize: 11 }} interval={0} angle={-35} textAnchor="end" height={44} />
              <YAxis tickFormatter={formatUsdCompact} tick={{ fill: "var(--muted)", fontSize: 12 }} width={64} />
              <Tooltip content={<ExactTooltip />} cursor={{ fill: "var(--hover)" }} />
              <Bar dataKey="atRiskValue" name="At risk" fill="var(--risk)" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption="Revenue at risk by close month" bars={months} first="Month" />
      </ChartCard>
      <ChartCard title="Revenue at risk by sales owner" hint="Top 10. Click an owner to filter to them.">
        <div className="chart-box" aria-hidden="true">
          {owners.length === 0 ? (
            <p className="muted chart-empty">No revenue at risk in this view.</p>
          ) : (
            <ResponsiveContainer width="100%" height={HEIGHT}>
              <BarChart data={owners} layout="vertical" margin={{ top: 0, right: 12, left: 8, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
                <XAxis type="number" tickFormatter={formatUsdCompact} tick={{ fill: "var(--muted)", fontSize: 11 }} />
                <YAxis type="category" dataKey="label" width={104} tick={{ fill: "var(--muted)", fontSize: 11 }} interval={0} />
                <Tooltip content={<ExactTooltip />} cursor={{ fill: "var(--hover)" }} />
                <Bar
                  dataKey="atRiskValue"
                  name="At risk"
                  fill="var(--risk)"
                  cursor="pointer"
                  onClick={(data) => {
                    const key = (data.payload as ChartBar).key;
                    if (key !== OTHERS_KEY) update({ owner: key });
                  }}
                >
                  {owners.map((bar) => (
                    <Cell key={bar.key} fill={bar.key === OTHERS_KEY ? "var(--chart-others)" : "var(--risk)"} cursor={bar.key === OTHERS_KEY ? "default" : "pointer"} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          )}
        </div>
        <ChartTable caption="Revenue at risk by sales owner" bars={owners} first="Owner" />
        <ul className="chart-actions sr-only">
          {owners.filter((bar) => bar.key !== OTHERS_KEY).map((bar) => (
            <li key={bar.key}><button type="button" onClick={() => update({ owner: bar.key })}>Filter to owner {bar.label}</button></li>
          ))}
        </ul>
      </ChartCard>
    </section>
  );
}
