import type { ReactNode } from "react";
import { loadSummary, type PipelineView } from "@/lib/dashboard/pipeline-view";
import { atRiskShare } from "@/lib/dashboard/view-models";
import { plural } from "@/lib/view/format";
import { ShortMoney } from "./money";

const opportunities = (count: number) => plural(count, "opportunity", "opportunities");

function Kpi({ label, tone, children, detail }: { label: string; tone?: "risk" | "overdue" | "won"; children: ReactNode; detail: ReactNode }) {
  return (
    <div className={`card kpi${tone ? ` kpi-${tone}` : ""}`}>
      <h2 className="kpi-label">{label}</h2>
      <p className="kpi-value">{children}</p>
      <p className="kpi-detail">{detail}</p>
    </div>
  );
}

export async function KpiCards({ view }: { view: PipelineView }) {
  const summary = await loadSummary(view);
  const { totals } = summary;
  return (
    <section className="kpis" aria-label="Headline figures">
      <Kpi label="Open pipeline" detail={<span data-testid="kpi-open-count">{opportunities(totals.openCount)} open</span>}>
        <ShortMoney amount={totals.openPipeline} testId="kpi-open" />
      </Kpi>
      <Kpi
        label="Revenue at risk"
        tone="risk"
        detail={
          <>
            <span data-testid="kpi-at-risk-count">{opportunities(totals.atRiskCount)}</span>
            {" · "}
            <span data-testid="kpi-at-risk-share">{atRiskShare(summary)}</span> of open pipeline
          </>
        }
      >
        <ShortMoney amount={totals.atRisk} testId="kpi-at-risk" />
      </Kpi>
      <Kpi label="Overdue" tone="overdue" detail={<span data-testid="kpi-overdue-count">{opportunities(totals.overdueCount)} past their close date</span>}>
        <ShortMoney amount={totals.overdue} testId="kpi-overdue" />
      </Kpi>
    </section>
  );
}
