"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { type ChartBar, isEmptyChart, type RankedChart } from "@/lib/dashboard/view-models";
import { formatUsd } from "@/lib/money";
import { formatUsdTick, plural } from "@/lib/view/format";
import { ShortMoney } from "./money";
import { useUrlState } from "./use-url-state";

const HEIGHT = 260;
const TICK = { fill: "var(--muted)", fontSize: 12 };

function ExactTooltip({
  active,
  payload,
  showOther,
}: {
  active?: boolean;
  payload?: { payload: ChartBar }[];
  showOther: boolean;
}) {
  const bar = payload?.[0]?.payload;
  if (!active || !bar) return null;
  return (
    <div className="chart-tooltip">
      <strong>{bar.label}</strong>
      {bar.detail && <div className="muted">{bar.detail}</div>}
      <div>
        <span className="swatch swatch-risk" /> At risk: {formatUsd(bar.atRisk)}
      </div>
      {showOther && (
        <div>
          <span className="swatch swatch-other" /> Open, not at risk: {formatUsd(bar.other)}
        </div>
      )}
    </div>
  );
}

/** The chart's numbers as a table for screen readers (and anyone who prefers figures). */
function ChartTable({
  caption,
  bars,
  first,
  showOther,
}: {
  caption: string;
  bars: ChartBar[];
  first: string;
  showOther: boolean;
}) {
  return (
    // In a div: a table ignores the 1px width of .sr-only and would widen the page.
    <div className="sr-only">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">At risk</th>
            {showOther && <th scope="col">Open, not at risk</th>}
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row">{bar.detail ? `${bar.label} (${bar.detail})` : bar.label}</th>
              <td>{formatUsd(bar.atRisk)}</td>
              {showOther && <td>{formatUsd(bar.other)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChartCard(props: {
  title: string;
  hint?: string;
  legend?: boolean;
  empty: string | null;
  children: React.ReactNode;
  footer?: React.ReactNode;
}) {
  return (
    <figure className="card chart-card">
      <figcaption>
        <h2>{props.title}</h2>
        {props.empty === null && props.hint && <p className="muted small">{props.hint}</p>}
        {props.empty === null && props.legend && (
          <p className="chart-legend small">
            <span>
              <span className="swatch swatch-risk" /> At risk
            </span>
            <span>
              <span className="swatch swatch-other" /> Open, not at risk
            </span>
          </p>
        )}
      </figcaption>
      {props.empty === null ? props.children : <p className="muted chart-empty">{props.empty}</p>}
      {props.footer}
    </figure>
  );
}

const truncate = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function RestLine({ rest, noun }: { rest: RankedChart["rest"]; noun: [string, string] }) {
  if (!rest) return null;
  return (
    <p className="chart-rest small" data-testid="chart-rest">
      Plus {plural(rest.count, noun[0], noun[1])} with <ShortMoney amount={rest.atRisk} /> at risk, not drawn.
    </p>
  );
}

export interface RankedChartProps {
  /** Owners; or, where that would be one bar (a rep, or a view of one owner), the largest at-risk deals, labelled by customer. */
  kind: "owners" | "deals";
  chart: RankedChart;
  /** The title of the deals chart: "Your largest deals at risk" for a rep, "Largest deals at risk of <owner>" otherwise. */
  dealsTitle?: string;
}

export function PipelineCharts({
  stages,
  months,
  ranked,
  detailSearch,
}: {
  stages: ChartBar[];
  months: ChartBar[];
  ranked: RankedChartProps;
  detailSearch: string;
}) {
  const { update } = useUrlState();
  const router = useRouter();
  const { bars } = ranked.chart;
  const deals = ranked.kind === "deals";
  const title = deals ? (ranked.dealsTitle ?? "Your largest deals at risk") : "Revenue at risk by sales owner";
  const pick = (key: string) =>
    deals ? router.push(`/opportunities/${encodeURIComponent(key)}${detailSearch}`) : update({ owner: key });
  return (
    <section className="charts" aria-label="Charts">
      <ChartCard
        title="Open pipeline by stage"
        hint="Click a stage to filter to it."
        legend
        empty={isEmptyChart(stages) ? "No open pipeline in this view." : null}
      >
        <div className="chart-box" aria-hidden="true">
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <BarChart data={stages} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="label" tick={TICK} />
              <YAxis tickFormatter={formatUsdTick} tick={TICK} width={68} />
              <Tooltip content={<ExactTooltip showOther />} cursor={{ fill: "var(--hover)" }} />
              <Bar
                dataKey="atRiskValue"
                name="At risk"
                stackId="stage"
                fill="var(--risk)"
                cursor="pointer"
                onClick={(data) => update({ stage: (data.payload as ChartBar).key })}
              />
              <Bar
                dataKey="otherValue"
                name="Open, not at risk"
                stackId="stage"
                fill="var(--chart-other)"
                cursor="pointer"
                onClick={(data) => update({ stage: (data.payload as ChartBar).key })}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption="Open pipeline by stage" bars={stages} first="Stage" showOther />
        <ul className="chart-actions sr-only">
          {stages.map((bar) => (
            <li key={bar.key}>
              <button type="button" onClick={() => update({ stage: bar.key })}>
                Filter to stage {bar.label}
              </button>
            </li>
          ))}
        </ul>
      </ChartCard>
      <ChartCard
        title="Revenue at risk by close month"
        hint="The next 12 months."
        empty={
          months.every((bar) => bar.atRiskValue === 0)
            ? "No revenue at risk closes in the next 12 months in this view."
            : null
        }
      >
        <div className="chart-box" aria-hidden="true">
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <BarChart data={months} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis
                dataKey="label"
                tick={{ ...TICK, fontSize: 11 }}
                interval={0}
                angle={-35}
                textAnchor="end"
                height={52}
              />
              <YAxis tickFormatter={formatUsdTick} tick={TICK} width={68} />
              <Tooltip content={<ExactTooltip showOther />} cursor={{ fill: "var(--hover)" }} />
              <Bar dataKey="atRiskValue" name="At risk" fill="var(--risk)" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption="Revenue at risk by close month" bars={months} first="Month" showOther />
      </ChartCard>
      <ChartCard
        title={title}
        hint={deals ? "By customer. Click a deal to open it." : "Top 10. Click an owner to filter to them."}
        empty={
          bars.length === 0
            ? deals
              ? ranked.dealsTitle
                ? "No deal in this view is at risk."
                : "None of your deals in this view is at risk."
              : "No revenue at risk in this view."
            : null
        }
        footer={
          <RestLine
            rest={ranked.chart.rest}
            noun={deals ? ["more deal", "more deals"] : ["other owner", "other owners"]}
          />
        }
      >
        <div className="chart-box" aria-hidden="true">
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <BarChart data={bars} layout="vertical" margin={{ top: 0, right: 12, left: 8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
              <XAxis type="number" tickFormatter={formatUsdTick} tick={{ ...TICK, fontSize: 11 }} />
              <YAxis
                type="category"
                dataKey="key"
                width={deals ? 140 : 104}
                tick={{ ...TICK, fontSize: 11 }}
                interval={0}
                tickFormatter={(key: string) =>
                  truncate(bars.find((bar) => bar.key === key)?.label ?? key, deals ? 22 : 16)
                }
              />
              <Tooltip content={<ExactTooltip showOther={!deals} />} cursor={{ fill: "var(--hover)" }} />
              <Bar
                dataKey="atRiskValue"
                name="At risk"
                fill="var(--risk)"
                cursor="pointer"
                onClick={(data) => pick((data.payload as ChartBar).key)}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption={title} bars={bars} first={deals ? "Customer (deal)" : "Owner"} showOther={!deals} />
        <ul className="chart-actions sr-only">
          {bars.map((bar) => (
            <li key={bar.key}>
              <button type="button" onClick={() => pick(bar.key)}>
                {deals ? `Open deal ${bar.key} (${bar.label})` : `Filter to owner ${bar.label}`}
              </button>
            </li>
          ))}
        </ul>
      </ChartCard>
    </section>
  );
}
