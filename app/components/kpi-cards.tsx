import { loadSummary, type PipelineView } from "@/lib/dashboard/pipeline-view";
import { atRiskShare } from "@/lib/dashboard/view-models";
import { formatUsd } from "@/lib/money";

const opportunities = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "opportunity" : "opportunities"}`;

export async function KpiCards({ view }: { view: PipelineView }) {
  const summary = await loadSummary(view);
  const { totals } = summary;
  return (
    <section className="kpis" aria-label="Headline figures">
      <div className="card kpi">
        <h2 className="kpi-label">Open pipeline</h2>
        <p className="kpi-value" data-testid="kpi-open">{formatUsd(totals.openPipeline)}</p>
        <p className="kpi-detail" data-testid="kpi-open-count">{opportunities(totals.openCount)} open</p>
      </div>
      <div className="card kpi kpi-risk">
        <h2 className="kpi-label">Revenue at risk</h2>
        <p className="kpi-value" data-testid="kpi-at-risk">{formatUsd(totals.atRisk)}</p>
        <p className="kpi-detail">
          <span data-testid="kpi-at-risk-count">{opportunities(totals.atRiskCount)}</span>
          {" · "}
          <span data-testid="kpi-at-risk-share">{atRiskShare(summary)}</span> of open pipeline
        </p>
      </div>
      <div className="card kpi kpi-overdue">
        <h2 className="kpi-label">Overdue</h2>
        <p className="kpi-value" data-testid="kpi-overdue">{formatUsd(totals.overdue)}</p>
        <p className="kpi-detail" data-testid="kpi-overdue-count">{opportunities(totals.overdueCount)} past their close date</p>
      </div>
    </section>
  );
}
