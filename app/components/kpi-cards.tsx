import { type ReactNode, Suspense } from "react";
import { changesHrefForDashboard } from "@/lib/dashboard/changes-view";
import { loadAtRiskTrend, loadSummary, loadWeekAgo, type PipelineView } from "@/lib/dashboard/pipeline-view";
import type { PipelineQuery } from "@/lib/gtm/pipeline-query";
import { atRiskShare, winRates } from "@/lib/dashboard/view-models";
import { figuresInView } from "@/lib/gtm/status-filter";
import { plural } from "@/lib/view/format";
import { STATUS_FILTER_LABELS } from "@/lib/view/labels";
import { AtRiskSparkline, KpiChange } from "./kpi-change";
import { ShortMoney } from "./money";

const opportunities = (count: number) => plural(count, "opportunity", "opportunities");
const deals = (count: number) => plural(count, "deal", "deals");

function Kpi({
  label,
  tone,
  children,
  detail,
  change,
  aside,
}: {
  label: string;
  tone?: "risk" | "overdue" | "won";
  children: ReactNode;
  detail: ReactNode;
  change?: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <div className={`card kpi${tone ? ` kpi-${tone}` : ""}`}>
      <div className="kpi-head">
        <div>
          <h2 className="kpi-label">{label}</h2>
          <p className="kpi-value">{children}</p>
        </div>
        {aside}
      </div>
      <p className="kpi-detail">{detail}</p>
      {change}
    </div>
  );
}

/** The waterfall of the week that ends on the view's day, for the view's filters (and a risk filter). */
function weekChangesHref(
  query: PipelineQuery,
  today: PipelineView["today"],
  from: string,
  risk?: PipelineQuery["risk"],
): string {
  const href = changesHrefForDashboard({ ...query, risk }, today);
  return `${href}${href.includes("?") ? "&" : "?"}from=${from}&to=${query.asOf}`;
}

type WeekFigure = "openPipeline" | "atRisk" | "overdue";

/**
 * A card's change since a week earlier. It reads history (slow for a past day at scale), so it
 * streams in after the headline figures, in a Suspense boundary of its own (weekChange).
 */
async function WeekChange({
  view,
  figure,
  risk,
  upIsGood,
}: {
  view: PipelineView;
  figure: WeekFigure;
  risk?: PipelineQuery["risk"];
  upIsGood: boolean;
}) {
  // A view with a deal age filter has no waterfall to explain its change (changes-query.ts): no change line.
  if (view.query.pushedMin !== undefined || view.query.stalledDays !== undefined) return null;
  const [summary, weekAgo] = await Promise.all([loadSummary(view), loadWeekAgo(view)]);
  if (!weekAgo) return null;
  return (
    <p className="kpi-detail">
      <KpiChange
        now={summary.totals[figure]}
        weekAgo={weekAgo.summary.totals[figure]}
        href={weekChangesHref(view.query, view.today, weekAgo.asOf, risk)}
        upIsGood={upIsGood}
        testId={`kpi-${figure === "openPipeline" ? "open" : figure === "atRisk" ? "at-risk" : "overdue"}-change`}
      />
    </p>
  );
}

function weekChange(view: PipelineView, figure: WeekFigure, risk: PipelineQuery["risk"], upIsGood: boolean) {
  return (
    <Suspense fallback={null}>
      <WeekChange view={view} figure={figure} risk={risk} upIsGood={upIsGood} />
    </Suspense>
  );
}

/** The 12-week at-risk line: history again, so it streams in on its own too. */
async function AtRiskTrend({ view }: { view: PipelineView }) {
  return <AtRiskSparkline points={await loadAtRiskTrend(view)} />;
}

/** The view's headline figures: open pipeline, at risk and overdue for open deals; won, lost and win rate for closed ones. */
export async function KpiCards({ view }: { view: PipelineView }) {
  const summary = await loadSummary(view);
  const { totals } = summary;
  const groups = figuresInView(view.query);
  const rates = winRates(summary);
  if (!groups.open && !groups.won && !groups.lost) {
    return (
      <p className="card muted">
        No deal can be in this view: status “{STATUS_FILTER_LABELS[view.query.status]}” takes none of the stages picked.
      </p>
    );
  }
  return (
    <section className="kpis" aria-label="Headline figures">
      {groups.open && (
        <>
          <Kpi
            label="Open pipeline"
            detail={<span data-testid="kpi-open-count">{opportunities(totals.openCount)} open</span>}
            change={weekChange(view, "openPipeline", view.query.risk, true)}
          >
            <ShortMoney amount={totals.openPipeline} testId="kpi-open" />
          </Kpi>
          <Kpi
            label="Revenue at risk"
            tone="risk"
            aside={
              <Suspense fallback={null}>
                <AtRiskTrend view={view} />
              </Suspense>
            }
            change={weekChange(view, "atRisk", "at-risk", false)}
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
          <Kpi
            label="Overdue"
            tone="overdue"
            detail={
              <span data-testid="kpi-overdue-count">{opportunities(totals.overdueCount)} past their close date</span>
            }
            change={weekChange(view, "overdue", "overdue", false)}
          >
            <ShortMoney amount={totals.overdue} testId="kpi-overdue" />
          </Kpi>
        </>
      )}
      {groups.won && (
        <Kpi label="Won" tone="won" detail={<span data-testid="kpi-won-count">{deals(totals.wonCount)} won</span>}>
          <ShortMoney amount={totals.won} testId="kpi-won" />
        </Kpi>
      )}
      {groups.lost && (
        <Kpi label="Lost" detail={<span data-testid="kpi-lost-count">{deals(totals.lostCount)} lost</span>}>
          <ShortMoney amount={totals.lost} testId="kpi-lost" />
        </Kpi>
      )}
      {groups.won && groups.lost && (
        <Kpi
          label="Win rate"
          detail={
            rates.closedCount === 0 ? (
              "No closed deals in this view"
            ) : (
              <>
                by count, of {deals(rates.closedCount)} closed ·{" "}
                <span data-testid="kpi-win-rate-amount">{rates.byAmount ?? "—"}</span> by amount
              </>
            )
          }
        >
          <span data-testid="kpi-win-rate">{rates.byCount ?? "—"}</span>
        </Kpi>
      )}
    </section>
  );
}
