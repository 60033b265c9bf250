import type { CalendarDate } from "./calendar-date";
import { type ForecastPeriod, isForecastPeriodKey, parseForecastPeriod, quarterContaining } from "./forecast-period";
import { type ParamIssue, type PipelineQuery, parsePipelineQuery, pipelineQueryToParams } from "./pipeline-query";

/** Columns the forecast table (and its export) can be sorted by. */
export const FORECAST_SORT_COLUMNS = [
  "owner",
  "quota",
  "won",
  "commit",
  "bestCase",
  "pipeline",
  "weighted",
  "riskAdjusted",
  "gap",
  "coverage",
  "attainment",
] as const;
export type ForecastSortColumn = (typeof FORECAST_SORT_COLUMNS)[number];
export interface ForecastSort {
  column: ForecastSortColumn;
  direction: "asc" | "desc";
}
export const DEFAULT_FORECAST_SORT: ForecastSort = { column: "owner", direction: "asc" };

/**
 * A forecast view as one value: the period (default the quarter of today), the dashboard's
 * filters that narrow its deals (owner, stage, amount, risk, search, asOf) and the table's sort.
 * The page, `/api/forecast` and its export parse the same URL with `parseForecastQuery`.
 */
export interface ForecastQuery {
  period: ForecastPeriod;
  filters: PipelineQuery;
  sort: ForecastSort;
}

/** The pipeline's parameters that the period replaces, or that do not apply to a forecast. */
const NOT_FILTERS = ["closeFrom", "closeTo", "status", "sort", "page", "pageSize", "columns"];
const SORT_PATTERN = new RegExp(`^(${FORECAST_SORT_COLUMNS.join("|")})\\.(asc|desc)$`);

/** Never throws: an invalid parameter is left out (its default applies) and reported as an issue. */
export function parseForecastQuery(
  params: URLSearchParams,
  today: CalendarDate,
): { query: ForecastQuery; issues: ParamIssue[] } {
  const filterParams = new URLSearchParams(params);
  for (const name of NOT_FILTERS) filterParams.delete(name);
  const { query: parsed, issues } = parsePipelineQuery(filterParams, today);
  // A forecast reads won, lost and open deals alike (won, win rate, pipeline): no status narrows it.
  const filters: PipelineQuery = { ...parsed, status: "all" };
  for (const param of ["closeFrom", "closeTo"]) {
    if (params.getAll(param).some((value) => value.trim() !== ""))
      issues.push({ param, message: "does not apply to the forecast: its period sets the close dates" });
  }
  if (params.getAll("status").some((value) => value.trim() !== "")) {
    issues.push({ param: "status", message: "does not apply to the forecast: it counts won, lost and open deals" });
  }
  const period = single(
    params,
    "period",
    issues,
    isForecastPeriodKey,
    "must be a month YYYY-MM or a quarter YYYY-Qn, like 2026-05 or 2026-Q2",
  );
  const sort = single(
    params,
    "sort",
    issues,
    (value) => SORT_PATTERN.test(value),
    `must be <column>.<asc|desc> with column one of ${FORECAST_SORT_COLUMNS.join(", ")}`,
  );
  const [column, direction] = sort?.split(".") ?? [];
  return {
    query: {
      period: period ? parseForecastPeriod(period) : quarterContaining(today),
      filters,
      sort: sort
        ? { column: column as ForecastSortColumn, direction: direction as "asc" | "desc" }
        : DEFAULT_FORECAST_SORT,
    },
    issues,
  };
}

function single(
  params: URLSearchParams,
  param: string,
  issues: ParamIssue[],
  valid: (value: string) => boolean,
  message: string,
): string | undefined {
  const given = params
    .getAll(param)
    .map((value) => value.trim())
    .filter((value) => value !== "");
  if (given.length > 1) issues.push({ param, message: "was given more than once" });
  else if (given.length === 1 && !valid(given[0]))
    issues.push({ param, message: `"${given[0].slice(0, 40)}" ${message}` });
  else return given[0];
  return undefined;
}

/** The URL parameters that reproduce a forecast view; the period is always written, so a bookmark does not move with the quarter. */
export function forecastQueryToParams(query: ForecastQuery, today: CalendarDate): URLSearchParams {
  const params = pipelineQueryToParams(query.filters, today);
  for (const name of NOT_FILTERS) params.delete(name);
  params.set("period", query.period.key);
  if (query.sort.column !== DEFAULT_FORECAST_SORT.column || query.sort.direction !== DEFAULT_FORECAST_SORT.direction)
    params.set("sort", `${query.sort.column}.${query.sort.direction}`);
  return params;
}
