import {
  detailLinkSearch,
  loadOwnerNames,
  loadPage,
  loadSummary,
  loadTopAtRiskDeals,
  type PipelineView,
} from "@/lib/dashboard/pipeline-view";
import { ownerName } from "@/lib/gtm/owner-names";
import { dealChart, monthChart, ownerChartOf, stageChart, tableRowsOf } from "@/lib/dashboard/view-models";
import { toMoneyString } from "@/lib/money";
import { describeFilters } from "@/lib/dashboard/describe-filters";
import { PipelineCharts, type RankedChartProps } from "./pipeline-charts";
import { PipelineTable } from "./pipeline-table";

export async function ChartsSection({ view }: { view: PipelineView }) {
  const [summary, names] = await Promise.all([loadSummary(view), loadOwnerNames(view)]);
  // An owner chart of one owner (a rep's own, or a view filtered to one owner) would be one bar:
  // the largest deals at risk say more.
  const rep = view.viewer.role === "rep";
  const oneOwner = !rep && view.query.owners.length === 1 ? view.query.owners[0] : undefined;
  const ranked: RankedChartProps =
    rep || oneOwner !== undefined
      ? {
          kind: "deals",
          chart: dealChart(await loadTopAtRiskDeals(view), summary),
          dealsTitle: oneOwner && `Largest deals at risk of ${ownerName(oneOwner, names)}`,
        }
      : { kind: "owners", chart: ownerChartOf(summary, names) };
  return (
    <PipelineCharts
      stages={stageChart(summary)}
      months={monthChart(summary, view.query.asOf)}
      ranked={ranked}
      detailSearch={detailLinkSearch(view)}
    />
  );
}

export async function TableSection({ view }: { view: PipelineView }) {
  const [page, summary, names] = await Promise.all([loadPage(view), loadSummary(view), loadOwnerNames(view)]);
  const { rows, ownerNames } = tableRowsOf(page.data, names);
  return (
    <PipelineTable
      rows={rows}
      ownerNames={ownerNames}
      total={page.total}
      page={page.page}
      pageSize={page.pageSize}
      totalPages={page.totalPages}
      sort={view.query.sort}
      columns={view.columns}
      totalAmount={toMoneyString(summary.totals.amount)}
      detailSearch={detailLinkSearch(view)}
      activeFilters={describeFilters(view.query, view.today, names)}
      search={view.search}
    />
  );
}
