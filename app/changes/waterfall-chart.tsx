"use client";

import { useRouter } from "next/navigation";
import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatUsd, formatUsdCompact } from "@/lib/money";
import { isEmptyWaterfall, type WaterfallStep } from "@/lib/view/changes-waterfall";

const COLORS = { total: "var(--accent)", up: "var(--ok)", down: "var(--risk)" } as const;

/** The waterfall; amounts become numbers only here, at the chart. A bucket's bar opens its deals. */
export function WaterfallChart({ steps, hrefs }: { steps: WaterfallStep[]; hrefs: Record<string, string> }) {
  const router = useRouter();
  if (isEmptyWaterfall(steps)) {
    return (
      <figure className="card chart-card">
        <figcaption>
          <h2>Waterfall</h2>
        </figcaption>
        <p className="muted chart-empty">No open pipeline in this view at either day, and nothing moved in or out.</p>
      </figure>
    );
  }
  const data = steps.map((step) => ({
    ...step,
    range: [Number(step.low), Number(step.high)] as [number, number],
    text: formatUsdCompact(step.amount),
  }));
  return (
    <figure className="card chart-card">
      <figcaption>
        <h2>Waterfall</h2>
        <p className="muted small">Start, each bucket (green adds, red takes off), end. Click a bar for its deals.</p>
      </figcaption>
      <div className="chart-box chart-box-tall" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 20, right: 8, left: 8, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fill: "var(--muted)", fontSize: 12 }}
              interval={0}
              angle={-35}
              textAnchor="end"
              height={64}
            />
            <YAxis tickFormatter={formatUsdCompact} tick={{ fill: "var(--muted)", fontSize: 12 }} width={64} />
            <Tooltip
              cursor={{ fill: "var(--hover)" }}
              content={({ active, payload }) => {
                const step = active ? (payload?.[0]?.payload as WaterfallStep | undefined) : undefined;
                if (!step) return null;
                return (
                  <div className="chart-tooltip">
                    <strong>{step.label}</strong>: {formatUsd(step.amount)} ({step.count} deals)
                  </div>
                );
              }}
            />
            <Bar
              dataKey="range"
              isAnimationActive={false}
              cursor="pointer"
              onClick={(entry) => {
                const href = hrefs[(entry as unknown as { payload: WaterfallStep }).payload.key];
                if (href) router.push(href);
              }}
            >
              {data.map((step) => (
                <Cell key={step.key} fill={COLORS[step.direction]} />
              ))}
              <LabelList dataKey="text" position="top" style={{ fill: "var(--muted)", fontSize: 11 }} />
            </Bar>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
