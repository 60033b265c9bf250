import { loadPage, loadSummary, type PipelineView } from "@/lib/dashboard/pipeline-view";
import { toPipelineRowText } from "@/lib/gtm/pipeline-wire";
import { monthChart, ownerChart, stageChart } from "@/lib/dashboard/view-models";
import { toMoneyString } from "@/lib/money";
import { describeFilters } from "@/lib/dashboard/describe-filters";
import { PipelineCharts } from "./pipeline-charts";
import { PipelineTable } from "./pipeline-table";

export async function ChartsSection({ view }: { view: PipelineView }) {
  const summary = await loadSummary(view);
  return <PipelineCharts stages={stageChart(summary)} months={monthChart(summary, view.query.asOf)} owners={ownerChart(summary)} />;
}

export async function TableSection({ view }: { view: PipelineView }) {
  const [page, summary] = await Promise.all([loadPage(view), loadSummary(view)]);
  return (
    <PipelineTable
      rows={page.data.map(toPipelineRowText)}
      total={page.total}
      page={page.page}
      pageSize={page.pageSize}
      totalPages={page.totalPages}
      sort={view.query.sort}
      columns={view.columns}
      totalAmount={toMoneyString(summary.totals.amount)}
      detailSearch={view.query.asOf === view.today ? "" : `?asOf=${view.query.asOf}`}
      activeFilters={describeFilters(view.query, view.today)}
      search={view.search}
    />
  );
}
