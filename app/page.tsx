import { Suspense } from "react";
import { ChartsSection, TableSection } from "./components/dashboard-sections";
import { FilterBar } from "./components/filter-bar";
import { HistoryNotice } from "./components/history-notice";
import { KpiCards } from "./components/kpi-cards";
import { ParamNotice } from "./components/param-notice";
import { TeamBreakdown } from "./components/team-breakdown";
import { ChartsSkeleton, KpiSkeleton, TableSkeleton } from "./components/skeletons";
import { requireRequestContext } from "@/lib/server/request-context";
import { describeFilters } from "@/lib/dashboard/describe-filters";
import { loadOwnerNames, loadOwners, readPipelineView, type SearchParamsRecord } from "@/lib/dashboard/pipeline-view";
import { ownerListNamesOf } from "@/lib/dashboard/view-models";
import { changesHrefForDashboard } from "@/lib/dashboard/changes-view";

export default async function DashboardPage(props: { searchParams: Promise<SearchParamsRecord> }) {
  const view = readPipelineView(await props.searchParams, await requireRequestContext("/"));
  const { query } = view;
  const [owners, ownerNames] = await Promise.all([loadOwners(view), loadOwnerNames(view)]);
  return (
    <div className="dashboard">
      <div className="page-title">
        <h1>Pipeline</h1> <a href={changesHrefForDashboard(query, view.today)}>What changed</a>
        <p className="muted">
          As of <time dateTime={query.asOf}>{query.asOf}</time>
          {query.asOf !== view.today && " (not today)"}
        </p>
      </div>
      <ParamNotice issues={view.issues} />
      <HistoryNotice view={view} />
      <FilterBar
        owners={owners}
        ownerNames={ownerListNamesOf(owners, ownerNames)}
        active={describeFilters(query, view.today, ownerNames)}
        values={{
          owners: query.owners,
          stages: query.stages,
          status: query.status,
          closeFrom: query.closeFrom,
          closeTo: query.closeTo,
          minAmount: query.minAmount?.toFixed(),
          maxAmount: query.maxAmount?.toFixed(),
          risk: query.risk,
          pushedMin: query.pushedMin?.toString(),
          stalledDays: query.stalledDays?.toString(),
          q: query.q,
          asOf: query.asOf,
          today: view.today,
        }}
      />
      {/* Keyed by the view, so a new filter shows skeletons instead of stale figures. */}
      <Suspense key={`kpi-${view.search}`} fallback={<KpiSkeleton />}>
        <KpiCards view={view} />
      </Suspense>
      <div className="dashboard-charts">
        <Suspense key={`charts-${view.search}`} fallback={<ChartsSkeleton />}>
          <ChartsSection view={view} />
        </Suspense>
      </div>
      {view.viewer.role === "manager" && (
        <div className="dashboard-team">
          <Suspense key={`team-${view.search}`} fallback={<TableSkeleton label="Loading the team" />}>
            <TeamBreakdown view={view} />
          </Suspense>
        </div>
      )}
      <div className="dashboard-table">
        <Suspense key={`table-${view.search}`} fallback={<TableSkeleton label="Loading opportunities" />}>
          <TableSection view={view} />
        </Suspense>
      </div>
    </div>
  );
}
