import type { CalendarDate } from "../gtm/calendar-date";
import { winRateWindow } from "../gtm/forecast-period";
import type { ForecastQuery } from "../gtm/forecast-query";
import { pipelineQueryToParams } from "../gtm/pipeline-query";
import { OPEN_STAGES, type SalesStage } from "../gtm/sales-stage";
import { defaultStatusFilter } from "../gtm/status-filter";

/** The deals each linked column adds up, as dashboard stages; the rest (quota, gap, ratios of them) have no deals of their own. */
const FIGURE_STAGES: Record<string, readonly SalesStage[]> = {
  won: ["closed_won"],
  lost: ["closed_lost"],
  commit: OPEN_STAGES,
  bestCase: OPEN_STAGES,
  pipeline: OPEN_STAGES,
  weighted: OPEN_STAGES,
  riskAdjusted: OPEN_STAGES,
  coverage: OPEN_STAGES,
  winRateByCount: ["closed_won", "closed_lost"],
  winRateByAmount: ["closed_won", "closed_lost"],
  winRateN: ["closed_won", "closed_lost"],
  avgCycleDays: ["closed_won"],
  avgCycleN: ["closed_won"],
};

const WINDOW_COLUMNS = new Set(["winRateByCount", "winRateByAmount", "winRateN", "avgCycleDays", "avgCycleN"]);

/**
 * The dashboard URL that lists the deals behind a figure: the row's owners, the figure's
 * stages and close dates (the period, or the 12-month window for win rate and cycle),
 * within the forecast's own filters. The dashboard has no forecast-category filter, so an
 * open figure (commit, best case, pipeline) links to all the open deals of the period.
 * Null when the figure has no deals (quota, gap, attainment) or the filters leave none.
 */
export function forecastFigureHref(
  column: string,
  owners: string[] | null,
  query: ForecastQuery,
  today: CalendarDate,
): string | null {
  const figureStages = FIGURE_STAGES[column];
  if (!figureStages) return null;
  const { filters, period } = query;
  const stages =
    filters.stages.length > 0 ? figureStages.filter((stage) => filters.stages.includes(stage)) : [...figureStages];
  const rowOwners =
    owners === null
      ? filters.owners
      : filters.owners.length > 0
        ? owners.filter((owner) => filters.owners.includes(owner))
        : owners;
  if (stages.length === 0 || (owners !== null && rowOwners.length === 0)) return null;
  const closeFrom = WINDOW_COLUMNS.has(column) ? winRateWindow(period).start : period.start;
  // The figure's stages alone say which deals it adds up: no status narrows them (nor is written).
  const params = pipelineQueryToParams(
    { ...filters, owners: rowOwners, stages, status: defaultStatusFilter(stages), closeFrom, closeTo: period.end },
    today,
  );
  return `/?${params.toString()}`;
}
